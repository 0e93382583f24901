"""Each OCR line's box lands on the stored card picture where the line is printed, whatever the scan did to the
card on the way (cut out of a photo, scaled, deskewed, turned upright), with either engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Settings, scan
from tests.conftest import draw_card, red_box

LINES = [("Northwind Traders Ltd", 52), ("Margaret Peacock", 46), ("Sales Representative", 34),
         ("Tel +44 20 7946 0321", 32), ("margaret.peacock@northwind.co.uk", 32), ("www.northwind.co.uk", 32)]
EMAIL = 4  # printed red
TOLERANCE = 12  # px of the stored picture (1000 px long): a box edge may sit this far from the print's


def _check(path: Path, engine: str, turned: int) -> None:
    (card,) = scan(path, Settings(ocr_engine=engine)).cards
    assert card.rotation == turned and card.crop is not None
    (line,) = [line for line in card.lines if "emails" in line.fields]
    assert line.text.replace(" ", "") == LINES[EMAIL][0]
    left, top, right, bottom = red_box(card.crop)
    x, y, w, h = line.box
    assert max(abs(x - left), abs(y - top), abs(x + w - right), abs(y + h - bottom)) <= TOLERANCE, (
        line.box, (left, top, right, bottom))
    named = {line.fields[0] for line in card.lines if line.fields}
    assert {"company", "name", "title", "phones", "emails", "websites"} <= named


def test_the_e_mail_box_covers_the_e_mail_on_a_card_cut_out_of_a_photo(tmp_path: Path) -> None:
    _check(draw_card(tmp_path / "desk.png", LINES, red=EMAIL, turn=3.0), "tesseract", 0)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["tesseract", "auto"])
def test_the_e_mail_box_covers_the_e_mail_on_a_skewed_upside_down_scan(tmp_path: Path, engine: str) -> None:
    # White on white: no card edge is found, so the whole page is read, deskewed by 2.5 degrees and turned.
    path = draw_card(tmp_path / "scan.png", LINES, red=EMAIL, turn=182.5, background=(255, 255, 255))
    _check(path, engine, 180)


@pytest.mark.slow
def test_the_e_mail_box_covers_the_e_mail_read_by_the_router(tmp_path: Path) -> None:
    _check(draw_card(tmp_path / "desk.png", LINES, red=EMAIL, turn=183.0), "auto", 180)
