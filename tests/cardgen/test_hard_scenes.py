"""The harder scenes (issue 13) on real generated images: what each promises is in the pixels and the labels."""

from __future__ import annotations

import math
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from cardgen import generate_set, scenes
from cardgen.generate import cards_for, rngs_for
from cardgen.scenes import EXIF_TURN, HARD_CONDITIONS, Placement, Scene, SceneOptions
from tests.cardgen.helpers import load_label

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def hard_set(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One image of every hard scene, and a second panel and exif image."""
    paths = generate_set(tmp_path_factory.mktemp("hard"), len(HARD_CONDITIONS), 31, HARD_CONDITIONS)
    out = {load_label(p)["conditions"][0]: p for p in paths}
    for p in generate_set(tmp_path_factory.mktemp("hard2"), 2, 32, ("panel", "exif")):
        out[load_label(p)["conditions"][0] + "2"] = p
    return out


def _shown(path: Path) -> np.ndarray:
    """The picture as a viewer that honours the EXIF tag shows it, RGB."""
    with Image.open(path) as im:
        return np.asarray(ImageOps.exif_transpose(im).convert("RGB"))


def _card(path: Path, width: int = 900) -> np.ndarray:
    """The labelled card cut out of the shown picture and flattened, upright as printed."""
    card = load_label(path)["cards"][0]
    quad = np.array(card["bbox"], np.float32).reshape(4, 2) - 0.5
    side = np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0])
    height = round(width * side[1] / side[0])
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    return cv2.warpPerspective(_shown(path), cv2.getPerspectiveTransform(quad, dst), (width, height))


def _luma(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


@pytest.mark.slow
def test_labels_name_their_scene(hard_set: dict[str, Path]) -> None:
    for condition in HARD_CONDITIONS:
        label = load_label(hard_set[condition])
        assert label["conditions"][0] == condition
        assert len(label["cards"]) == 1


@pytest.mark.slow
def test_panel_card_has_a_dark_panel_on_one_side_of_a_light_card_on_a_light_desk(hard_set: dict[str, Path]) -> None:
    for key in ("panel", "panel2"):
        card = _luma(_card(hard_set[key]))
        columns = np.median(card, axis=0)  # text is thin: the median of a column is its paper (or panel)
        w = len(columns)
        dark = columns < 0.55 * np.percentile(columns, 90)
        # One run of dark columns at the left or right edge (the outermost pixel columns are the desk's), a quarter
        # to two fifths of the width.
        edge = dark[w // 100 : w // 20].all() or dark[-(w // 20) : -(w // 100)].all()
        assert edge and 0.22 * w < dark.sum() < 0.45 * w, (key, dark.sum() / w)
        shown = _luma(_shown(hard_set[key]))
        quad = np.array(load_label(hard_set[key])["cards"][0]["bbox"], np.float32).reshape(4, 2)
        outside = np.ones(shown.shape, np.uint8)
        cv2.fillConvexPoly(outside, np.round(quad).astype(np.int32), 0)
        # The desk is about as light as the card's light part: the panel is the darkest big thing in the picture.
        assert np.median(shown[outside > 0]) > 0.6 * np.percentile(columns, 90)


def _exif_tag(path: Path) -> int | None:
    with Image.open(path) as im:
        return im.getexif().get(0x0112)


@pytest.mark.slow
def test_exif_scene_tag_contradicts_the_pixels(hard_set: dict[str, Path]) -> None:
    for key in ("exif", "exif2"):
        card = load_label(hard_set[key])["cards"][0]
        tag = _exif_tag(hard_set[key])
        assert tag == card["exif_orientation"] and tag in EXIF_TURN
        # Honouring the tag leaves the card turned: rotation = pixels' turn + the tag's turn, never upright.
        assert card["rotation"] == (card["pixel_rotation"] + EXIF_TURN[tag]) % 360 != 0
    for key in ("upside",):
        assert _exif_tag(hard_set[key]) in (None, 1)
        assert load_label(hard_set[key])["cards"][0]["rotation"] in (90, 180, 270)


@pytest.mark.slow
def test_upside_down_pixels_under_a_contradicting_tag() -> None:
    """An exif image whose pixels hold the card upside down: they are the upright photo turned 180 degrees,
    and the tag says to turn them again (so the viewer shows the card sideways)."""
    seed = next(s for s in range(200) if random.Random(s).choice((0, 0, 180, 90, 270)) == 180)
    rng, nprng = rngs_for(5, 0)
    plan = cards_for("scan", rng)[0].plan
    np_state = nprng.bit_generator.state
    scene = scenes.exif(plan, random.Random(seed), nprng, SceneOptions())
    # The same photo without the turn: replay the scene's draws up to the photo.
    replay = random.Random(seed)
    replay.choice((0, 0, 180, 90, 270))
    tag = replay.choice([t for t, turn in EXIF_TURN.items() if (180 + turn) % 360 != 0])
    hook = scenes.shade if replay.random() < 0.3 else None
    nprng.bit_generator.state = np_state
    base = scenes.photo(plan, replay, nprng, SceneOptions(), hook=hook)
    assert scene.exif_orientation == tag and EXIF_TURN[tag] != 180
    assert np.array_equal(scene.image, np.rot90(base.image, 2))
    assert scene.placements[0].rotation == (180 + EXIF_TURN[tag]) % 360


@given(st.sampled_from((0, 90, 180, 270)), st.integers(2, 37), st.integers(2, 29))
@settings(max_examples=60, deadline=None)
def test_turning_a_picture_moves_its_labelled_corners_with_it(turn: int, x: int, y: int) -> None:
    img = np.zeros((32, 40, 3), np.uint8)
    img[y, x] = (255, 0, 0)
    # Edge coordinates of the marked pixel's centre.
    corners = np.array([[x + 0.5, y + 0.5]] * 4)
    turned = scenes._turn(Scene(img, [Placement(corners, 90)]), turn)
    cx, cy = turned.placements[0].corners[0] - 0.5
    assert turned.image[round(cy), round(cx)].tolist() == [255, 0, 0]
    assert turned.placements[0].rotation == (90 + turn) % 360


@pytest.mark.slow
def test_tiny_cards_are_tiny_tilted_and_crushed(hard_set: dict[str, Path]) -> None:
    for key in ("tiny",):
        card = load_label(hard_set[key])["cards"][0]
        q = np.array(card["bbox"]).reshape(4, 2)
        width = float(np.linalg.norm(q[1] - q[0]))
        angle = math.degrees(math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0]))
        assert 490 <= width <= 710 and abs(angle) <= 14.5, (width, angle)
        with Image.open(hard_set[key]) as im:
            assert im.format == "JPEG"
            # Quality 25-50 quantises the luminance DC at 16..32 (the standard table's 16, scaled by 5000/q %).
            assert 15 <= im.quantization[0][0] <= 33, im.quantization[0][0]


@pytest.mark.slow
def test_shaded_photos_are_unevenly_lit_across_the_card(hard_set: dict[str, Path]) -> None:
    for key in ("shaded",):
        card = _luma(_card(hard_set[key], 400))
        h, w = card.shape
        tiles = [np.percentile(card[i * h // 4 : (i + 1) * h // 4, j * w // 4 : (j + 1) * w // 4], 80)
                 for i in range(4) for j in range(4)]  # fmt: skip
        assert max(tiles) > 1.4 * min(tiles), (key, min(tiles), max(tiles))


@pytest.mark.slow
def test_hard_scenes_are_deterministic(tmp_path: Path, hard_set: dict[str, Path]) -> None:
    again = generate_set(tmp_path, 2, 31, HARD_CONDITIONS)
    for p in again:
        first = hard_set[load_label(p)["conditions"][0]]
        assert p.name == first.name and p.read_bytes() == first.read_bytes()
