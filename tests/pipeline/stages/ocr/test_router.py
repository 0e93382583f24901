"""The `auto` router: PP-OCR's lines, Tesseract's reading where the line is Cyrillic, by the stated rule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

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
SCENES = Path(__file__).parents[1] / "scenes"


def latin(text: str, conf: float = 0.99) -> LineReading:
    words = tuple(OcrWord(w, 100 * conf, 10 + 80 * i, 0, 70, 40) for i, w in enumerate(text.split()))
    right = 10 + 80 * len(words) if words else 400  # the box the detector grew around the words
    box = np.array([[0, 0], [right, 0], [right, 40], [0, 40]], dtype=np.float32)
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


def test_cyrillic_shown_in_the_latin_recognisers_stand_ins_goes_to_tesseract() -> None:
    """The sample cards' lines the router kept in Latin before: PP-OCR sure of 'IIAO"ABPOPA"' (0.99),
    '3axap' (1.00), 'Φakc: ...' (0.98)."""
    assert router.decide(latin('IIAO"ABPOPA"', 0.99), tess('ПАО "АВРОРА"')) == "tess"
    assert router.decide(latin("3axap", 1.0), tess("Захар")) == "tess"
    assert router.decide(latin("Φakc: +7 (812) 732 07 37", 0.98), tess("Факс: +7 (812) 732 07 37")) == "tess"
    assert router.decide(latin("Teπ.: 8-4012-20-43-00", 0.95), tess("Тел.: 8-4012-20-43-00")) == "tess"
    assert router.decide(latin("MAKAP HNKNTNY", 0.84), tess("МАКАР НИКИТИЧ")) == "tess"
    # One plain Latin letter for one Cyrillic one is how Latin words look too: a Brazilian 'Pabx' stays.
    assert router.decide(latin("Pabx:(11)2131-3400-Fax:2131-3418", 1.0),
                         tess("Рабх:(11) 2134-3400 Fax: 2131-3448")) == "latin"
    # Tesseract's letters where L's glyphs are not theirs: no agreement, the Latin face stays Latin.
    assert not router._shapes_agree("AUTO PEÇAS", "АЧТО РЕСАЗ")
    assert not router._shapes_agree("Nina", "Нина")


def test_a_reading_spelled_only_in_latin_twins_of_cyrillic_letters_goes_to_tesseract() -> None:
    """PP-OCR sure of lines printed in capitals whose Latin reading is all twins of Cyrillic letters (tuning
    seeds 3 and 14-15: a company, a name, a title), where Tesseract read letters no Latin one looks like."""
    assert router.decide(latin("CEBEPHbI BETEP", 0.97), tess("СЕВЕРНЫЙ ВЕТЕР")) == "tess"
    assert router.decide(latin("BEPA TMPOBHA", 0.95), tess("ВЕРА ТИМУРОВНА")) == "tess"
    assert router.decide(latin("AJIEBTHA KOHCTAHTHOBHA", 0.93), tess("АЛЕВТИНА КОНСТАНТИНОВНА")) == "tess"
    # A glyph longer than its letter: 'Ш' as four strokes.
    assert router.decide(latin("KOIIIIOBA", 0.97), tess("КОШОВА")) == "tess"
    assert router.decide(latin("APT-IPEKTOP", 0.96), tess("АРТ-ДИРЕКТОР")) == "tess"
    # A Latin word with a letter no Cyrillic one looks like stays Latin, whatever Tesseract's rus made of it.
    assert router.decide(latin("AUTO PEÇAS", 0.948), tess("АЧТО РЕСАЗ")) == "latin"
    assert router.decide(latin("MIKE JOHNSON", 0.97), tess("МИКЕ ЈОНИЅОН")) == "latin"


@pytest.mark.slow
def test_a_company_in_capitals_is_read_in_cyrillic_not_in_its_latin_twins() -> None:
    """A shaded photo (tuning seed 14, image 00015): the router kept PP-OCR's 'CEBEPHbI BETEP'."""
    image = SCENES / "twins_seed14_00015.jpg"
    card = scan_image(image, Settings(ocr_engine="auto")).cards[0]
    assert card.fields.company == label_of(image)["cards"][0]["company"] == "СЕВЕРНЫЙ ВЕТЕР"


def test_a_latin_line_takes_the_spaces_pp_ocr_dropped_from_tesseract() -> None:
    words = router.respace(tuple(tess("Hauptstraße 171, 20811Hamburg")), tess("Hauptstra&e 171, 20811 Hamburg"))
    assert [w.text for w in words] == ["Hauptstraße", "171,", "20811", "Hamburg"]
    assert words[2].left == 170 and words[3].left + words[3].width == 240  # the box cut in proportion
    words = router.respace(tuple(tess("T.+74012202248 NY10001")), tess("т. +74012202248 NY 10001"))
    assert [w.text for w in words] == ["T.", "+74012202248", "NY", "10001"]
    # Tesseract's cut inside a number, and any cut in an address, are not taken.
    assert [w.text for w in router.respace(tuple(tess("400138,")), tess("4001 38,"))] == ["400138,"]
    assert [w.text for w in router.respace(tuple(tess("kirillov.nl@bk.ruEmail:")), tess("kirillov.nl@bk.ru Email:"))
            ] == ["kirillov.nl@bk.ruEmail:"]
    assert [w.text for w in router.respace(tuple(tess("20811Hamburg")), None)] == ["20811Hamburg"]


def test_tesseract_numbers_cut_in_two_are_taken_whole_from_pp_ocr() -> None:
    line = latin("400138, .", 0.96)
    line = replace(line, words=(OcrWord("400138,", 96.0, 10, 0, 150, 40), OcrWord(".", 96.0, 170, 0, 10, 40)))
    read = [OcrWord("4001", 90.0, 10, 0, 90, 40), OcrWord("38,", 90.0, 105, 0, 55, 40),
            OcrWord("г.", 90.0, 170, 0, 20, 40), OcrWord("Волгоград", 90.0, 200, 0, 190, 40)]
    assert [w.text for w in router._with_latin_digits(read, line)] == ["400138,", "г.", "Волгоград"]


def test_a_box_its_words_leave_bare_at_one_end_sends_the_line_to_tesseract() -> None:
    """'ИНН 7602212710' read '7602212710': the number sits at the right of a box twice as wide."""
    line = replace(latin("7602212710", 1.0), words=(OcrWord("7602212710", 100.0, 200, 0, 190, 40),))
    assert router.may_be_cyrillic(line)
    assert not router.may_be_cyrillic(replace(line, words=(OcrWord("7602212710", 100.0, 10, 0, 380, 40),)))


def test_the_at_sign_pp_ocr_dropped_is_put_back_where_tesseract_read_it() -> None:
    words = router.respace(tuple(tess("E-mail: t.yoshidahoshino-denki.co.jp")),
                           tess("Е- тай: t yoshida@hostine-denti.co jp"))
    assert [w.text for w in words] == ["E-mail:", "t.yoshida@hoshino-denki.co.jp"]
    # Where T's letters beside its '@' are not L's, L stays as it is.
    words = router.respace(tuple(tess("t.yoshidahoshino-denki.co.jp")), tess("t yoshida@lwostine-denti.co jp"))
    assert [w.text for w in words] == ["t.yoshidahoshino-denki.co.jp"]
