"""Second readings: digits of number lines from an `eng` reading, labels kept from the first."""

import json
from pathlib import Path

import pytest

from cardgen.generate import cards_for as make_cards
from cardgen.generate import rngs_for, write_example
from cardgen.scenes import SceneOptions
from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrWord
from pipeline.stages.reread import _with_digits_from
from pipeline.stages.run import scan_image


def words(*items: tuple[str, float, int]) -> tuple[OcrWord, ...]:
    return tuple(OcrWord(text, conf, left, 0, 10 * len(text), 20) for text, conf, left in items)


def test_only_digits_change_and_only_where_the_second_reading_is_as_sure() -> None:
    first = OcrLine(words(("тел.:", 92, 0), ("+7", 96, 60), ("503-55-56", 86, 100), ("доб.", 90, 200),
                          ("12", 95, 250)))
    latin = list(words(("Ten.:", 91, 0), ("+7", 96, 60), ("503-35-36", 90, 100), ("n06.", 60, 200), ("17", 80, 250)))
    assert OcrLine(_with_digits_from(first, latin).words).text == "тел.: +7 503-35-36 доб. 12"


def test_a_second_reading_with_another_number_of_digits_is_not_used() -> None:
    first = OcrLine(words(("5515-10-66", 70, 0),))
    assert _with_digits_from(first, list(words(("515-10-66", 99, 0),))).text == "5515-10-66"


@pytest.mark.slow
@pytest.mark.parametrize("index", [39, 61, 79])  # faces where `rus+eng` alone read 3 as 5 (seed 11, tuning set)
def test_phone_digits_on_generated_cards_come_out_right(tmp_path: Path, index: int) -> None:
    rng, nprng = rngs_for(11, index)
    image = write_example(tmp_path, f"{index:05d}_scan", "scan", make_cards("scan", rng), rng, nprng,
                          SceneOptions(), 11, index)
    label = json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))["cards"][0]
    # The rereading of number lines is Tesseract's (the router reads lines with PP-OCR and rereads none).
    (card,) = scan_image(image, Settings(ocr_engine="tesseract")).cards
    assert sorted(p.number for p in card.fields.phones) == sorted(p["number"] for p in label["phones"])


def test_when_two_sure_readings_differ_the_third_decides() -> None:
    first = OcrLine(words(("(583)", 95, 0), ("490-40-60", 96, 80)))
    second = list(words(("(383)", 77, 0), ("490-40-60", 92, 80)))
    assert _with_digits_from(first, second).text == "(583) 490-40-60"  # the surer first reading, alone
    third = list(words(("(383)", 80, 0),))
    assert _with_digits_from(first, second, third).text == "(383) 490-40-60"
    assert _with_digits_from(first, second, list(words(("(883)", 90, 0),))).text == "(583) 490-40-60"
