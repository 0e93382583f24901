"""The searchable form of a contact: what `contacts search` compares a query with.

Folding happens here, in Python, not in the database: SQLite's lower() folds ASCII only, so `Гранит`
would never find `ГРАНИТ`. Every piece is NFKC-normalised and case-folded (ё as е); a Cyrillic piece is also
kept transliterated, so `ladoga` finds `ООО «Ладога»`; a phone is kept as the digits of its international and
its national form, so `89278473487` (the Russian trunk form) finds +79278473487 as well as `9278473487` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers
from phonenumbers import PhoneNumberFormat

from pipeline.extract.lexicon import fold
from pipeline.extract.translit import to_latin

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_PHONE_QUERY = re.compile(r"^[\d\s()+\-./]+$")
MIN_PHONE_DIGITS = 4  # fewer digits than this would match half the book
SEPARATOR = "\n"  # between pieces, so a query never matches across two fields


def fold_text(text: str) -> str:
    return " ".join(fold(text).split())


def text_forms(text: str) -> list[str]:
    """The folded text, and its transliteration when it has Cyrillic letters."""
    folded = fold_text(text)
    if not folded:
        return []
    return [folded, to_latin(folded)] if _CYRILLIC.search(folded) else [folded]


def phone_forms(e164: str) -> list[str]:
    """Digits of the number as dialled from abroad and at home (+7 927 ... and 8 927 ...)."""
    forms = [e164.lstrip("+")]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    national = "".join(ch for ch in phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL) if ch.isdigit())
    if national and national not in forms:
        forms.append(national)
    return forms


def search_text(texts: Iterable[str | None], phones: Iterable[str]) -> str:
    pieces: list[str] = []
    for text in texts:
        if text:
            pieces += text_forms(text)
    for e164 in phones:
        pieces += phone_forms(e164)
    return SEPARATOR.join(dict.fromkeys(pieces))


def query_forms(query: str) -> list[str]:
    """What to look for in the search text: the folded query, and when it is written like a phone number
    (digits and phone punctuation only, enough digits) its digits alone, which `8 927 847-34-87` needs."""
    folded = fold_text(query)
    needles = [folded] if folded else []
    digits = "".join(ch for ch in query if ch.isdigit())
    if _PHONE_QUERY.match(query.strip() or "x") and len(digits) >= MIN_PHONE_DIGITS and digits != folded:
        needles.append(digits)
    return needles
