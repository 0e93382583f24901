"""Both OCR engines behind one interface read a clean card alike (tesserocr only when installed)."""

from dataclasses import replace

import pytest

from pipeline import Settings, scan_image
from pipeline.stages.ocr.tesserocr import available
from tests.conftest import SAMPLES


@pytest.mark.skipif(not available(), reason="tesserocr is an optional extra: pip install -e '.[tesserocr]'")
def test_tesserocr_reads_a_clean_card_like_pytesseract() -> None:
    image = SAMPLES / "ru_classic_scan.png"
    base = Settings(region="RU")
    a = scan_image(image, replace(base, ocr_engine="pytesseract"))
    b = scan_image(image, replace(base, ocr_engine="tesserocr"))
    assert a.status == b.status == "ok"
    fa, fb = a.cards[0].fields, b.cards[0].fields
    assert (fa.name, fa.emails, [p.number for p in fa.phones]) == (fb.name, fb.emails, [p.number for p in fb.phones])
    assert fb.name and fb.phones


def test_the_engine_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDSCAN_OCR", "tesserocr")
    assert Settings().ocr_engine == "tesserocr"
    monkeypatch.delenv("CARDSCAN_OCR")
    assert Settings().ocr_engine == "pytesseract"


def test_an_unknown_engine_fails_each_file_with_one_line() -> None:
    result = scan_image(SAMPLES / "ru_classic_scan.png", Settings(ocr_engine="easyocr"))
    assert result.status == "error" and "unknown OCR engine 'easyocr'" in (result.error or "")
