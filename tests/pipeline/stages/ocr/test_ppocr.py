"""The PP-OCR engine: models from the installed wheel, one thread, a capped detector input, nothing written
anywhere, and lines of words whose boxes lie on the card."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rapidocr

from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.stages.ocr import ppocr
from tests.conftest import SAMPLES, label_of
from tests.pipeline.stages.ocr.cards import card_image

CARD = SAMPLES / "en_left_logo_scan.jpg"


@pytest.fixture(scope="module")
def english() -> tuple[np.ndarray, OcrResult]:
    """One reading of the card shared by the tests that only look at it (a reading costs ~1 s)."""
    image = card_image(CARD)
    return image, ppocr.recognise(image)


def test_reads_an_english_card_into_lines_of_words_with_boxes_on_the_card(
    english: tuple[np.ndarray, OcrResult],
) -> None:
    image, result = english
    label = label_of(CARD)["cards"][0]
    texts = [line.text for line in result.lines]
    assert label["name"] in texts
    assert label["emails"][0] in texts
    height, width = image.shape[:2]
    assert (result.width, result.height) == (width, height)
    for line in result.lines:
        for word in line.words:
            assert word.text and " " not in word.text
            assert word.left >= 0 and word.left + word.width <= width
            assert word.top >= 0 and word.top + word.height <= height
            assert 0.0 <= word.conf <= 100.0
    # Reading order: the name above the e-mail, as on the card; words left to right within a line.
    assert texts.index(label["name"]) < texts.index(label["emails"][0])
    for line in result.lines:
        lefts = [w.left for w in line.words]
        assert lefts == sorted(lefts)


def test_word_boxes_follow_the_words_not_the_whole_line(english: tuple[np.ndarray, OcrResult]) -> None:
    """Layout reads type size and gaps from word boxes: each word gets its own, not the line's."""
    name_line = next(line for line in english[1].lines if line.text.startswith("Caroline"))
    first, second = name_line.words[0], name_line.words[1]
    assert first.left + first.width <= second.left + 2
    assert first.width < 0.6 * (name_line.words[-1].left + name_line.words[-1].width - first.left)


def test_models_come_from_the_wheel_one_thread_and_nothing_is_written(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ppocr._reader.cache_clear()
    try:
        ppocr.read_lines(card_image(CARD))
        reader = ppocr._reader()
        for model, name in ((reader.text_det, ppocr.DET_MODEL), (reader.text_rec, ppocr.REC_MODEL)):
            session = model.session.session
            assert Path(session._model_path) == Path(rapidocr.__file__).parent / "models" / name
            options = session.get_session_options()
            assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1
        assert list(tmp_path.iterdir()) == [], "the engine wrote into the working directory or the home folder"
    finally:
        ppocr._reader.cache_clear()


def test_the_detector_input_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 3000 px image reaches the detector at most DET_MAX_SIDE px long; the line crops keep full size."""
    image = np.full((1800, 3000), 255, dtype=np.uint8)
    image[800:900, 300:2700] = 0  # one thick bar: something to detect
    session = ppocr._reader()._load_det_model().session.session
    shapes: list[tuple[int, ...]] = []
    run = session.run

    def spy(outputs: Any, feed: dict[str, np.ndarray], *args: Any) -> Any:
        shapes.extend(tuple(v.shape) for v in feed.values())
        return run(outputs, feed, *args)

    monkeypatch.setattr(session, "run", spy)
    ppocr.read_lines(image)
    assert shapes and max(shapes[0][2:]) <= ppocr.DET_MAX_SIDE


def test_a_label_boxed_apart_from_its_number_joins_its_line() -> None:
    """The phone finder types a number by the words of its line: 'Fax:' must stay beside its number."""
    label = OcrLine((OcrWord("Fax:", 99.0, 500, 100, 60, 30),))
    number = OcrLine((OcrWord("0511/93217903", 99.0, 575, 102, 200, 30),))
    far = OcrLine((OcrWord("Hannover", 99.0, 1200, 100, 150, 30),))
    below = OcrLine((OcrWord("Email:", 99.0, 500, 160, 80, 30),))
    rows = ppocr.join_rows([label, number, far, below])
    assert [line.text for line in rows] == ["Fax: 0511/93217903", "Hannover", "Email:"]
    # A logo beside the company name stays apart: only phone labels join.
    logo = OcrLine((OcrWord("АВ", 99.0, 400, 300, 50, 30),))
    company = OcrLine((OcrWord("ООО", 99.0, 470, 300, 60, 30), OcrWord("Аврора", 99.0, 540, 300, 120, 30)))
    assert [line.text for line in ppocr.join_rows([logo, company])] == ["АВ", "ООО Аврора"]


def test_words_run_together_are_cut_apart_but_addresses_and_brands_are_not() -> None:
    def texts(text: str) -> list[str]:
        return [w.text for w in ppocr._camel_split(OcrWord(text, 99.0, 0, 0, 10 * len(text), 30))]

    assert texts("StefanEllison") == ["Stefan", "Ellison"]
    assert texts("McDonald") == ["McDonald"]
    # An initial run into the names beside it (tiny cards' tight print), but not an abbreviation or a legal form.
    assert texts("ElizaJ.Novak") == ["Eliza", "J.", "Novak"]
    assert texts("S.CRAWFORD") == ["S.", "CRAWFORD"]
    assert texts("U.S.A.") == ["U.S.A."]
    assert texts("GmbH") == ["GmbH"]
    assert texts("j.novak@meridian.com") == ["j.novak@meridian.com"]
    assert texts("stefan.ellison@WexfordAnalytics.com") == ["stefan.ellison@WexfordAnalytics.com"]
    assert ppocr._dropped_space("540", "Spring") and ppocr._dropped_space("NY", "10001")
    assert not ppocr._dropped_space("G", "2")
    assert ppocr._dropped_space("kirillov.nl@bk.ru", "Email:")  # the next label, run into the address


def test_onnxruntime_telemetry_is_off_no_device_id_no_event_queue(tmp_path: Path) -> None:
    """onnxruntime 1.32 on Linux turns its 1DS telemetry on by default: the first session writes a device id and
    an event queue (OS, interpreter path, network type) for upload to Microsoft under ~/.cache/Microsoft. cardscan
    says nothing leaves the machine, so a scan in a fresh process with a fresh home must leave none of it.
    A process of its own: the telemetry decision is latched when onnxruntime first initialises."""
    from tests.conftest import ROOT

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    code = ("import sys, pipeline\n"
            "r = pipeline.scan(sys.argv[1], pipeline.Settings(ocr_engine='ppocr'))\n"
            "assert r.status == 'ok' and r.cards, r.error\n")
    subprocess.run([sys.executable, "-c", code, str(CARD)], env=env, check=True, timeout=300)
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not [p for p in left if "Microsoft" in p or "onnxruntime" in p], left
