"""Cards whose names, titles and companies no lexicon lists, read by form: OCR lines as Tesseract and the `auto`
engine gave them for generated tuning cards (seeds 12 and 14, `--vocab seen|unseen --world`; docs/accuracy.md,
issue 13), with the word boxes as read."""

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.extract.fields import extract

CASES = json.loads((Path(__file__).parent / "unseen_readings.json").read_text(encoding="utf-8"))


def _ocr(case: dict[str, Any]) -> OcrResult:
    lines = tuple(OcrLine(tuple(OcrWord(t, c, x, y, w, h) for t, c, x, y, w, h in line)) for line in case["lines"])
    return OcrResult(lines, case["width"], case["height"])


@pytest.mark.parametrize("case", CASES, ids=[f"{c['card']}-{c['field']}" for c in CASES])
def test_a_field_no_lexicon_lists_is_read_by_its_form(case: dict[str, Any]) -> None:
    fields = extract(_ocr(case), Settings(ocr_engine=case["engine"]))
    got = [p.number for p in fields.phones] if case["field"] == "phones" else getattr(fields, case["field"])
    assert got == case["expected"]
