"""Per-image clean-ups: each measures the card first and leaves it alone when nothing is wrong."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.stages.enhance import MIN_SKEW_DEG, deskew, skew_angle
from pipeline.stages.load import load
from pipeline.stages.preprocess import find_cards, normalise
from tests.conftest import label_of, sample_images

SCANS = [p for p in sample_images() if label_of(p)["conditions"][0] == "scan"][:3]


def _card(image: Path) -> np.ndarray:
    return normalise(find_cards(load(image).pages[0])[0]).image


def _turned(gray: np.ndarray, degrees: float) -> np.ndarray:
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


@pytest.mark.parametrize("image", SCANS, ids=lambda p: p.name)
@pytest.mark.parametrize("degrees", [-3.0, 1.5, 4.0])
def test_a_skew_is_measured_and_straightened(image: Path, degrees: float) -> None:
    gray = _card(image)
    before = skew_angle(gray) or 0.0  # a scanned card not cut out keeps the scan's own skew
    skewed = _turned(gray, degrees)
    angle = skew_angle(skewed)
    assert angle is not None and abs(angle - (before + degrees)) < 0.4
    straight = skew_angle(deskew(skewed))
    assert straight is None or abs(straight) < MIN_SKEW_DEG


def test_straight_cards_are_left_alone() -> None:
    cards = [_card(p) for p in SCANS]
    straight = [g for g in cards if skew_angle(g) is None]
    assert straight, "some sample scans are cut out straight"
    assert all(np.array_equal(deskew(g), g) for g in straight)


@pytest.mark.parametrize("turn", [cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE])
def test_a_skewed_card_lying_on_its_side_is_straightened_too(turn: int) -> None:
    """The skew is undone before the card is turned upright: columns of text count as lines."""
    gray = _card(SCANS[0])
    sideways = cv2.rotate(_turned(gray, 2.5), turn)
    assert skew_angle(sideways) is not None
    upright = cv2.rotate(deskew(sideways), cv2.ROTATE_90_CLOCKWISE if turn != cv2.ROTATE_90_CLOCKWISE
                         else cv2.ROTATE_90_COUNTERCLOCKWISE)
    straight = skew_angle(upright)
    assert straight is None or abs(straight) < MIN_SKEW_DEG


@pytest.mark.parametrize("image", sample_images()[:6], ids=lambda p: p.name)
def test_the_skew_search_scores_each_turn_as_numpy_row_sums_would(image: Path) -> None:
    """The search's row sums come from OpenCV (for speed); they must be numpy's float32 sums exactly, or the
    angles, and every card's OCR input, would move."""
    from pipeline.stages.enhance import _sharpness

    gray = cv2.cvtColor(load(image).pages[0].image, cv2.COLOR_BGR2GRAY)
    scale = 600 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    h, w = ink.shape
    for angle in np.arange(-8.0, 8.01, 0.7):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
        rows = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float32)
        assert _sharpness(ink, float(angle)) == float(np.square(rows).sum())
