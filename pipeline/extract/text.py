"""Character-level helpers shared by the field finders."""

from __future__ import annotations

import re

from .lexicon import fold

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


def folded_tokens(text: str) -> list[str]:
    return [fold(t).strip("\"'«»“”()[]:") for t in tokens(text)]


def has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def clean_line(text: str) -> str:
    """Trim the stray punctuation and bullets OCR leaves at line ends."""
    return text.strip(" \t|•·*_~-—–:;,").strip()
