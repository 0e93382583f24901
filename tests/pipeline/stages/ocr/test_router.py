"""The `auto` router: PP-OCR's lines, Tesseract's reading where the line is Cyrillic, by the stated rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.core.config import Settings
from pipeline.core.types import OcrWord
from pipeline.stages.ocr import recognise, router
from pipeline.stages.ocr.ppocr import LineReading
from pipeline.stages.run import scan_image
from tests.conftest import SAMPLES, SHARED, label_of
from tests.pipeline.stages.ocr.cards import card_image

REAL = SHARED / "real_cards"


def latin(text: str, conf: float = 0.99) -> LineReading:
    box = np.array([[0, 0], [400, 0], [400, 40], [0, 40]], dtype=np.float32)
    words = tuple(OcrWord(w, 100 * conf, 10 + 80 * i, 0, 70, 40) for i, w in enumerate(text.split()))
    return LineReading(box, np.zeros((40, 400), dtype=np.uint8), text, conf, words)


def tess(text: str, conf: float = 90.0) -> list[OcrWord]:
    return [OcrWord(w, conf, 10 + 80 * i, 0, 70, 40) for i, w in enumerate(text.split())]


def test_a_cyrillic_reading_wins_over_latin_look_alikes() -> None:
    assert router.decide(latin("M no n", 0.86), tess("Менеджер по персоналу")) == "tess"
    assert router.decide(latin("", 0.88), tess("Кириллов Николай")) == "tess"
    # PP-OCR drops letters it has not got: 'ИНН' read 'H'.
    assert router.decide(latin("H 3894649480", 0.96), tess("ИНН 3894649480")) == "tess"


def test_a_latin_line_keeps_pp_ocr_reading() -> None:
    assert router.decide(latin("Caroline Draper, CPA"), tess("Caroline Draper, CPA")) == "latin"
    # Tesseract's rus data misreading one letter of a sure, complete Latin line does not make it Russian.
    assert router.decide(latin("Business Development"), tess("Вusiness Dеvеlорmеnт")) == "latin"
    # Addresses are Latin: the reading with the valid e-mail wins.
    assert router.decide(latin("e-mail: antonova.di@promavtomatika.org"),
                         tess("е-mail: аntоnоvа.di@рrоmаvtоmаtikа.оrg")) == "latin"


def test_lines_that_cannot_hide_cyrillic_are_not_read_twice() -> None:
    assert not router.may_be_cyrillic(latin("+7 (495) 123-45-67"))
    assert not router.may_be_cyrillic(latin("cdraper@silverline-systems.com"))
    assert router.may_be_cyrillic(latin("0.: +7 8442 41 14 35 . 6631"))  # 'Тел.' and 'доб.' lost
    assert router.may_be_cyrillic(latin("T.: +7(3952)94-21-38"))
    assert router.may_be_cyrillic(latin(""))


def test_look_alike_words_go_by_lexicon_then_by_the_card() -> None:
    assert router.decide(latin("CEO"), tess("СЕО")) is None  # undecided by script alone
    assert router._by_lexicon(latin("CEO"), tess("СЕО")) == "latin"
    assert router._by_lexicon(latin("AO"), tess("АО")) == "tess"  # 'АО' is a Russian legal form
    lines = [router._Line(latin("M no n", 0.8), tess("Менеджер по продажам"), "tess"),
             router._Line(latin("", 0.9), tess("Иванов Иван"), "tess"),
             router._Line(latin("Business Development"), tess("Business Development"), "latin")]
    assert router._card_script(lines) == "tess"


def test_tesseract_words_take_pp_ocr_digits() -> None:
    words = router._with_latin_digits(tess("Тел.: +7(3952)54-21-38"), latin("T.: +7(3952)94-21-38"))
    assert [w.text for w in words] == ["Тел.:", "+7(3952)94-21-38"]


def test_reads_a_russian_card_in_cyrillic() -> None:
    path = SAMPLES / "ru_classic_scan.png"
    card = label_of(path)["cards"][0]
    texts = [line.text for line in recognise(card_image(path), Settings(ocr_engine="auto")).lines]
    assert card["name"] in texts
    assert card["title"] in texts
    assert any(card["emails"][0] in t for t in texts)


@pytest.mark.slow
def test_a_russian_card_reads_as_well_as_with_tesseract() -> None:
    path = SAMPLES / "ru_classic_scan.png"
    base = Settings(region="RU")
    a = scan_image(path, replace(base, ocr_engine="pytesseract")).cards[0].fields
    b = scan_image(path, replace(base, ocr_engine="auto")).cards[0].fields
    assert (b.name, b.title, b.company) == (a.name, a.title, a.company)
    assert [p.number for p in b.phones] == [p.number for p in a.phones]
    assert b.emails == a.emails


@pytest.mark.slow
@pytest.mark.skipif(not REAL.exists(), reason=f"the real photos are not at {REAL}")
def test_reads_a_real_photos_email_tesseract_misses() -> None:
    photo = REAL / "images" / "806623172_156100.jpg"
    result = scan_image(photo, Settings(region="BR", ocr_engine="auto"))
    assert result.status == "ok"
    assert "liderfrio@terra.com.br" in result.cards[0].fields.emails


def test_letters_pp_ocr_dropped_send_the_line_to_tesseract() -> None:
    """'Арт-директор' read '-', a whole title line read '3': the letters went, the box stayed."""
    assert router.may_be_cyrillic(latin("-"))
    assert router.may_be_cyrillic(latin("3"))
    assert router.decide(latin("3", 0.95), tess("Заместитель директора по производству")) == "tess"


def test_a_latin_face_tesseract_misreads_stays_latin() -> None:
    assert router.decide(latin("AUTO PEÇAS", 0.948), tess("АЧТО РЕСАЗ")) == "latin"
    assert router.decide(latin("design"), tess("дез")) == "latin"
