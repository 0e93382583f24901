"""The cheap orientation cue on the bundled sample cards, turned every way."""

from pathlib import Path

import cv2
import pytest

from pipeline.stages.load import load
from pipeline.stages.orient import text_orientation
from pipeline.stages.preprocess import find_cards, normalise
from tests.conftest import label_of, sample_images

UPRIGHT_SCANS = [p for p in sample_images() if label_of(p)["conditions"][0] == "scan"]
TURNS = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def _card(image: Path):
    return normalise(find_cards(load(image).pages[0])[0]).image


@pytest.mark.parametrize("image", UPRIGHT_SCANS, ids=lambda p: p.name)
def test_lying_on_a_side_is_told_from_upright(image: Path) -> None:
    """The axis is what the pipeline trusts the cue for: it must never call an upright card sideways."""
    gray = _card(image)
    assert text_orientation(gray) in (0, 180, None)
    for turn in (90, 270):
        assert text_orientation(cv2.rotate(gray, TURNS[turn])) in (90, 270, None)


@pytest.mark.slow
def test_the_cue_reads_most_turns_right() -> None:
    answers = [(turn, text_orientation(cv2.rotate(_card(p), TURNS[turn]) if turn else _card(p)))
               for p in UPRIGHT_SCANS for turn in (0, 90, 180, 270)]
    right = sum(turn == got for turn, got in answers)
    assert right >= 0.75 * len(answers), answers
