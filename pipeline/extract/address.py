"""Postal address lines, joined into one line."""

from __future__ import annotations

import re

from pipeline.core.types import OcrLine
from pipeline.extract.layout import stacked
from pipeline.extract.lexicon import fold, pairs, words
from pipeline.extract.places import is_city, repair_address
from pipeline.extract.text import clean_line

RU_INDEX = re.compile(r"^\d{6},|(?:^|\s)\d{6},")  # '123456, г. Москва': the index leads, a comma follows
US_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
DE_PLZ = re.compile(r"\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+")
# One or two words and a colon leading a line: a label ('Factory:', 'Branch Office:', 'Usine :').
SECOND_LABEL = re.compile(r"^[^\W\d_]{3,}(?:\s[^\W\d_]{3,})?\s?:\s*\S")
LABEL = re.compile(r"^(?:адрес|address|addr)\s*[:.]?\s*", re.IGNORECASE)
YEAR_ABBREVIATION = re.compile(r"\b(?:19|20)\d\d\s*г\.?(?:\s|$)")  # 'с 2019 г.' is a year, not a city
STREET_SUFFIXES = ("straße", "strasse", "str.", "allee", "weg", "platz", "gasse", "damm", "ring")
# An icon read as a letter in front of the address ('Ф 400138, г. ...').
ICON_LETTER = re.compile(r"^(?:[^\W\d]|[^\w\s«\"(])\s+(?=\d|г\.)")
# 'ß' is missing from the OCR models: 'Hauptstrafe', 'Kaiserstra8e', 'Stra®e'.
STRASSE = re.compile(r"(?:(?<=[a-zäöü])s|(?<=-)S)tra(?:ss|fs|ft|f\$|f&|fS|[ßfB8®k$&])?e\b")
SEED, EXTEND = 1.5, 1.0  # a line this address-like starts an address; a neighbour this like joins it
PLACE_BREAKS = re.compile(r"[,;:|()]|\s[-–]\s|\d+")  # what parts an address line into street, postcode, city
MIN_PLACE = 4  # letters of the shortest place name looked up in the gazetteer (gazetteer.MIN_LETTERS)


def address_score(text: str) -> float:
    if "@" in text or _is_registry(text) or _has_phone_label(text):
        return 0.0
    text = YEAR_ABBREVIATION.sub(" ", text)
    folded = [fold(t).strip(",") for t in text.split()]
    markers = words("address_words")
    hits = sum(1 for f in folded if f in markers or any(f.startswith(m) and m.endswith(".") for m in markers))
    hits += sum(1 for f in folded if f.endswith(STREET_SUFFIXES) and len(f) > 6)
    score = float(hits)
    if RU_INDEX.search(text) or US_ZIP.search(text) or UK_POSTCODE.search(text) or DE_PLZ.search(text):
        score += 2.0
    if any(c.isdigit() for c in text):
        score += 0.5
    if any(is_city(w) for w in folded):
        score += 1.0  # 'Новосибирск,' on a line of its own carries on the street line under it
    elif score < SEED and any(c.isdigit() for c in text) and _names_a_place(text):
        score += 1.0  # 'ul. Długa 5, 00-950 Warszawa': a city of a country our lexicons do not cover
    return score


def _names_a_place(text: str) -> bool:
    """A part of a line with digits, between commas, dashes and digit groups, is the name of a city GeoNames knows
    ('06-205 Warszawa', 'Guangzhou 510831', ', Busan 43457'; gazetteer.py, read only now). A place named inside
    other words ('Tabelião de Notas da Capital de São Paulo') is a company's or a street's name."""
    parts = [p.strip(" .-–/|") for p in PLACE_BREAKS.split(text)]
    parts = [p for p in parts if len(p) >= MIN_PLACE and p[:1].isalpha()]
    if not parts:
        return False
    from pipeline.extract.gazetteer import places_in

    return any(places_in(p, whole=True) for p in parts)


def _has_phone_label(text: str) -> bool:
    first = fold(text.split()[0]).strip(":.") if text.split() else ""
    return first in pairs("phone_labels") and len(first) > 1


def _is_registry(text: str) -> bool:
    """Company registry and tax numbers (ИНН, HRB, VAT ...) are no part of the address."""
    return bool({fold(t).strip(":.,") for t in text.split()} & words("registry_labels"))


def find_address(lines: list[OcrLine], taken: set[int]) -> tuple[list[int], str | None]:
    """Indices of the address lines and the address on one line, parts joined by ', '."""
    scores = {i: address_score(line.text) for i, line in enumerate(lines) if i not in taken}
    picked = {i for i, score in scores.items() if score >= SEED}
    while True:  # a city or country line set right above or below a street line belongs to it
        near = {j for i in picked for j in scores if j not in picked and _adjacent(lines[i], lines[j])}
        new = {j for j in near if scores[j] >= EXTEND or _is_country(lines, j)}
        if not new:
            break
        picked |= new
    if not picked:
        return [], None
    order = _first_address(lines, sorted(picked, key=lambda i: (lines[i].top, lines[i].left)))
    parts = [_clean(lines[i].text) for i in order]
    return order, ", ".join(p for p in parts if p)


def _first_address(lines: list[OcrLine], order: list[int]) -> list[int]:
    """The address lines up to a second address: a line after the first led by a label and a colon ('Factory:',
    'Usine :', 'Filial:' ...) names another place of the company (a plant, a branch), which is not the address."""
    for n, i in enumerate(order[1:], start=1):
        text = lines[i].text.strip()
        if SECOND_LABEL.match(text) and not LABEL.match(text):
            return order[:n]
    return order


def _adjacent(a: OcrLine, b: OcrLine) -> bool:
    return stacked(a, b, max_ratio=1.6) or stacked(b, a, max_ratio=1.6)


def _clean(text: str) -> str:
    text = LABEL.sub("", repair_address(clean_line(text)))
    text = ICON_LETTER.sub("", text)
    return STRASSE.sub(lambda m: m.group()[0] + "traße", text).strip(" ,")


def _is_country(lines: list[OcrLine], index: int) -> bool:
    return 0 <= index < len(lines) and fold(clean_line(lines[index].text)) in words("countries")
