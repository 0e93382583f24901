from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import phonenumbers
import pytest
from PIL import Image

from cardgen import CONDITIONS
from cardgen.labels import REQUIRED_CARD_KEYS, empty_strings
from cardgen.people import ContentOptions, make_content
from tests.cardgen.helpers import load_label

SAMPLES = Path(__file__).resolve().parents[2] / "sample_cards"
PHONE_TYPES = {"mobile", "work", "fax", "home", "other"}


def _check_card(card: dict[str, Any]) -> None:
    assert set(REQUIRED_CARD_KEYS) <= set(card)
    assert card["rotation"] in (0, 90, 180, 270)
    assert card["language"] in ("ru", "en", "ru+en")
    assert isinstance(card["name"], str)
    assert set(card["name_parts"]) == {"given", "middle", "family", "prefix", "suffix"}
    for phone in card["phones"]:
        _check_phone(phone)
    for email in card["emails"]:
        assert email == email.lower() and email.count("@") == 1 and " " not in email
    for url in card["websites"] + card["social"]:
        assert url.startswith("https://") and "www." not in url
    if card["language"] == "ru+en":
        assert card["aliases"] and all(a.isascii() for a in card["aliases"])


def _check_phone(phone: dict[str, Any]) -> None:
    assert phone["type"] in PHONE_TYPES
    num = phonenumbers.parse(phone["number"])
    assert phonenumbers.is_valid_number(num)
    assert phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164) == phone["number"]
    region = phonenumbers.region_code_for_number(num)
    found = [m.number for m in phonenumbers.PhoneNumberMatcher(phone["raw"], region)]
    assert any(
        f.country_code == num.country_code and f.national_number == num.national_number for f in found
    ), phone["raw"]
    if phone["extension"] is not None:
        assert phone["extension"].isdigit() and phone["extension"] in phone["raw"]


def _check_label(image: Path) -> dict[str, Any]:
    label = load_label(image)
    assert set(label) == {"conditions", "generator", "cards"}
    assert label["conditions"][0] in CONDITIONS
    assert {"seed", "index", "layout"} <= set(label["generator"])
    assert empty_strings(label) == []
    for card in label["cards"]:
        _check_card(card)
    return label


@pytest.mark.slow  # the module's small_set renders one image per condition: ~6-13 s
def test_generated_labels_are_complete_and_valid(small_set: list[Path]) -> None:
    assert [load_label(p)["conditions"][0] for p in small_set] == list(CONDITIONS)
    for image in small_set:
        _check_label(image)


@pytest.mark.slow  # the module's small_set renders one image per condition: ~6-13 s
def test_bboxes_lie_inside_the_image(small_set: list[Path]) -> None:
    for image in small_set:
        width, height = Image.open(image).size
        for card in load_label(image)["cards"]:
            xs, ys = card["bbox"][0::2], card["bbox"][1::2]
            assert len(card["bbox"]) == 8
            assert min(xs) >= 0 and max(xs) <= width and min(ys) >= 0 and max(ys) <= height


def _polygon(card: dict[str, Any]) -> np.ndarray:
    return np.array(card["bbox"], dtype=np.float32).reshape(4, 2)


@pytest.mark.slow  # the module's small_set renders one image per condition: ~6-13 s
def test_bbox_is_clockwise(small_set: list[Path]) -> None:
    for image in small_set:
        for card in load_label(image)["cards"]:
            pts = _polygon(card).astype(np.float64)
            x, y = pts[:, 0], pts[:, 1]
            signed = float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
            assert signed > 0  # clockwise in image coordinates (y grows downwards)


@pytest.mark.slow  # the module's small_set renders one image per condition: ~6-13 s
def test_multi_page_holds_2_to_6_separate_cards(small_set: list[Path]) -> None:
    image = next(p for p in small_set if load_label(p)["conditions"] == ["multi"])
    cards = load_label(image)["cards"]
    assert 2 <= len(cards) <= 6
    for i in range(len(cards)):
        for j in range(i + 1, len(cards)):
            area, _ = cv2.intersectConvexConvex(_polygon(cards[i]), _polygon(cards[j]))
            assert area == pytest.approx(0.0, abs=1e-3)


@pytest.mark.slow  # the module's small_set renders one image per condition: ~6-13 s
def test_rotated_label_turns_the_first_corner(small_set: list[Path]) -> None:
    image = next(p for p in small_set if load_label(p)["conditions"] == ["rotated"])
    card = load_label(image)["cards"][0]
    pts = _polygon(card)
    width, height = Image.open(image).size
    first = pts[0]
    expected = {90: (width, 0), 180: (width, height), 270: (0, height)}[card["rotation"]]
    nearest = min(range(4), key=lambda k: float(np.hypot(*(pts[k] - np.array(expected)))))
    assert np.allclose(pts[nearest], first)


def test_committed_samples_are_valid_and_cover_the_brief() -> None:
    images = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".png", ".jpg"))
    assert len(images) == 16
    labels = [_check_label(p) for p in images]
    conditions = [lab["conditions"][0] for lab in labels]
    assert all(conditions.count(c) >= 2 for c in CONDITIONS)
    languages = {c["language"] for lab in labels for c in lab["cards"]}
    assert languages == {"ru", "en", "ru+en"}
    assert any(ph["extension"] for lab in labels for c in lab["cards"] for ph in c["phones"])
    assert (SAMPLES / "README.md").is_file()


@pytest.mark.parametrize("language", ["ru", "en", "ru+en"])
def test_content_labels_over_many_cards(language: str) -> None:
    from cardgen.labels import card_label

    rng = random.Random(language)
    for _ in range(150):
        content = make_content(rng, ContentOptions(language=language))
        label = card_label(content, np.zeros((4, 2)), 0)
        assert empty_strings(label) == []
        _check_card(label)
        parts = label["name_parts"]
        printed = [p for p in (parts["given"], parts["middle"], parts["family"]) if p]
        assert all(p in label["name"] for p in printed)
        if language != "en":
            assert parts["prefix"] is None and parts["suffix"] is None


def test_female_names_agree() -> None:
    rng = random.Random(3)
    for _ in range(200):
        parts = make_content(rng, ContentOptions(language="ru")).name_parts
        if parts["middle"] and parts["middle"].lower().endswith(("вна", "чна")):
            assert parts["family"].lower().endswith(("а", "я", "ко", "ук", "юк", "их", "ых", "ян", "ец"))


@pytest.mark.slow
def test_multi_page_fits_portrait_cards() -> None:
    """A portrait card is 90 mm tall, its cell 99 mm: it must fit by straightening, not crash the generator."""
    from cardgen.generate import make_card
    from cardgen.scenes import SceneOptions, multi

    for seed in range(3):  # skews up to 4 degrees: some of these 18 cards would not fit straight away
        rng = random.Random(seed)
        plans = [make_card(rng, family="portrait").plan for _ in range(6)]
        scene = multi(plans, rng, np.random.default_rng(seed), SceneOptions())
        assert len(scene.placements) == 6
        for placement in scene.placements:
            assert (placement.corners >= 0).all()
