"""The OCR engines behind one interface: found by name, each reads a clean card alike."""

from dataclasses import replace

import cv2
import pytest

from pipeline import Settings, scan
from pipeline.core.errors import OcrEngineError
from pipeline.stages.ocr import ENGINES, OcrEngine, get_engine
from tests.conftest import SAMPLES

CARD = SAMPLES / "ru_classic_scan.png"
LATIN_ONLY = {"ppocr"}


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_registered_engine_fits_the_interface_and_reads_a_card(name: str) -> None:
    engine = get_engine(name)
    assert isinstance(engine, OcrEngine)
    assert {"rus", "eng"} <= engine.languages()
    image = cv2.imread(str(CARD))
    read = engine.recognise(image, "rus+eng", 11, 30.0)
    text = " ".join(w.text for line in read.lines for w in line.words)
    # `ppocr` alone has no Cyrillic letters (the router, `auto`, is what pairs it with Tesseract).
    assert ("kirillov.nl@bk.ru" if name in LATIN_ONLY else "Кириллов") in text
    assert all(w.left >= 0 and w.left + w.width <= image.shape[1] for line in read.lines for w in line.words)


def test_each_engine_has_an_identity_of_its_own_for_the_cache() -> None:
    identities = {name: get_engine(name).identity() for name in ENGINES}
    assert all(any(ch.isdigit() for ch in ident) for ident in identities.values()), identities  # a version in it
    assert len(set(identities.values())) == len(identities), identities  # never another engine's readings


def test_the_two_tesseract_engines_read_a_clean_card_alike() -> None:
    base = Settings(region="RU")
    a = scan(CARD, replace(base, ocr_engine="pytesseract"))
    b = scan(CARD, replace(base, ocr_engine="tesseract"))
    assert a.status == b.status == "ok"
    fa, fb = a.cards[0].fields, b.cards[0].fields
    assert (fa.name, fa.emails, [p.number for p in fa.phones]) == (fb.name, fb.emails, [p.number for p in fb.phones])
    assert fb.name and fb.phones


def test_the_default_engine_is_the_router_and_the_environment_overrides_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARDSCAN_OCR", raising=False)
    assert Settings().ocr_engine == "auto"
    monkeypatch.setenv("CARDSCAN_OCR", "pytesseract")
    assert Settings().ocr_engine == "pytesseract"


def test_an_older_engine_name_still_works() -> None:
    assert get_engine("tesserocr") is get_engine("tesseract")


def test_an_unknown_engine_fails_each_file_with_one_line() -> None:
    with pytest.raises(OcrEngineError, match="unknown OCR engine 'easyocr'"):
        get_engine("easyocr")
    result = scan(CARD, Settings(ocr_engine="easyocr"))
    assert result.status == "error" and "unknown OCR engine 'easyocr'" in (result.error or "")
