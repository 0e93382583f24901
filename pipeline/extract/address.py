"""Postal address lines, joined into one line."""

from __future__ import annotations

import re

from ..types import OcrLine
from .lexicon import fold, words
from .text import clean_line

RU_INDEX = re.compile(r"(?:^|\s)\d{6}(?:,|\s|$)")
US_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
DE_PLZ = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+")
LABEL = re.compile(r"^(?:адрес|address|addr)\s*[:.]?\s*", re.IGNORECASE)


def address_score(text: str) -> float:
    if "@" in text:
        return 0.0
    folded = [fold(t).strip(",") for t in text.split()]
    markers = words("address_words")
    hits = sum(1 for f in folded if f in markers or any(f.startswith(m) and m.endswith(".") for m in markers))
    score = float(hits)
    if RU_INDEX.search(text) or US_ZIP.search(text) or UK_POSTCODE.search(text) or DE_PLZ.search(text):
        score += 2.0
    if any(c.isdigit() for c in text):
        score += 0.5
    return score


def find_address(lines: list[OcrLine], taken: set[int]) -> tuple[list[int], str | None]:
    """Indices of the address lines and the address on one line, parts joined by ', '."""
    picked = [i for i, line in enumerate(lines) if i not in taken and address_score(line.text) >= 1.5]
    if not picked:
        return [], None
    parts = [LABEL.sub("", clean_line(lines[i].text)).strip(" ,") for i in picked]
    return picked, ", ".join(p for p in parts if p)
