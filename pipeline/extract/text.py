"""Character-level helpers shared by the field finders."""

from __future__ import annotations

import re

# Cyrillic letters that look like Latin ones: Tesseract with rus+eng often mixes them up
# inside Latin-only tokens such as e-mail addresses and domains.
CYR_TO_LAT = str.maketrans("аАвВеЕкКмМнНоОрРсСтТуУхХіІјЈ", "aABBeEkKmMHHoOpPcCTTyYxXiIjJ")
WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?", re.UNICODE)


def latinise(token: str) -> str:
    return token.translate(CYR_TO_LAT)


def count_scripts(text: str) -> tuple[int, int]:
    """(Cyrillic letters, Latin letters) in text."""
    cyr = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    lat = sum(1 for c in text if c.isascii() and c.isalpha())
    return cyr, lat


def script(text: str) -> str | None:
    cyr, lat = count_scripts(text)
    if cyr == lat == 0:
        return None
    return "ru" if cyr >= lat else "en"


def tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,;|•·]+", text) if t]



def has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


# Latin letters Tesseract reads for Cyrillic ones ('no' for 'по'), and back.
LAT_TO_CYR = str.maketrans("aceopxykmnurABCEHKMOPTXY", "асеорхукмпигАВСЕНКМОРТХУ")
LAT_LOOKALIKES = frozenset("aceopxykmnurABCEHKMOPTXY")
CYR_LOOKALIKES = frozenset("асеорхуАВСЕНКМОРТХУ")
MIXED_SHARE = 0.7


def harmonise_script(text: str) -> str:
    """Rewrite a look-alike word in the line's main script: 'Директор no персоналу' has
    'по', 'Hawthorne, МВА' has 'MBA'. Only words made wholly of look-alikes are touched."""
    cyr, lat = count_scripts(text)
    if not cyr + lat:
        return text
    if cyr / (cyr + lat) >= MIXED_SHARE:
        return WORD_RE.sub(lambda m: _swap(m.group(), LAT_LOOKALIKES, LAT_TO_CYR), text)
    if lat / (cyr + lat) >= MIXED_SHARE:
        return WORD_RE.sub(lambda m: _swap(m.group(), CYR_LOOKALIKES, CYR_TO_LAT), text)
    return text


def cyrillic_from_lookalikes(word: str) -> str | None:
    """The word in Cyrillic when its Latin letters all look like Cyrillic ones ('AHTOHOBa', 'OMCK', 'yn.');
    None when it has none, or one no Cyrillic letter looks like."""
    letters = [c for c in word if c.isalpha()]
    if not any(c in LAT_LOOKALIKES for c in letters):
        return None
    return word.translate(LAT_TO_CYR) if all(c in LAT_LOOKALIKES or not c.isascii() for c in letters) else None


def _swap(word: str, lookalikes: frozenset[str], table: dict[int, int]) -> str:
    letters = [c for c in word if c.isalpha()]
    return word.translate(table) if letters and all(c in lookalikes for c in letters) else word


def clean_line(text: str) -> str:
    """Trim the stray punctuation and bullets OCR leaves at line ends; one script per word."""
    return harmonise_script(text.strip(" \t|•·*_~-—–:;,").strip())
