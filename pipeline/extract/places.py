"""OCR repairs inside an address line: look-alike letters, misread abbreviations, city names.

An address is the one free-text field whose words come from a small known set: the street-type
abbreviations (ул., корп.) and the city. So a word one slip away from a known one is that word.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.extract.lexicon import entries, fold, pairs, words
from pipeline.extract.text import count_scripts, cyrillic_from_lookalikes

# 'ул.Луначарского', 'г.Воронеж', 'д.40': a space after an abbreviation, as addresses are written.
RU_ABBREVIATION = re.compile(r"(?<![\w.])(г|ул|д|пр|пл|наб|пер|корп|стр|оф|пом|ш|просп|бул|мкр|обл)\.(?=[\wА-Яа-яЁё])")
WORD = re.compile(r"[^\W\d_][^\W\d_-]*(?:-[^\W\d_]+)*\.?")
MIN_CITY = 4  # letters; shorter words are too close to too many things


def repair_address(text: str) -> str:
    cyrillic = count_scripts(text)[0] > count_scripts(text)[1]
    text = " ".join(_repair_token(tok) for tok in text.split(" "))
    text = WORD.sub(lambda m: _repair_word(m.group(), cyrillic), text)
    text = RU_ABBREVIATION.sub(r"\1. ", text)
    return WORD.sub(lambda m: snap_city(m.group(), _after_city_mark(text, m.start()))
                    if _city_place(text, m.start(), m.end()) else m.group(), text)


def _after_city_mark(text: str, start: int) -> bool:
    """Right after 'г.': a city, whatever case OCR left its first letter in ('г. юмень')."""
    preceding = text[:start].split()
    return bool(preceding) and fold(preceding[-1]) in {"г.", "город", "гор."}


def _repair_token(token: str) -> str:
    """A misread abbreviation with a digit in it ('на6.' for 'наб.'), its comma kept."""
    bare = token.rstrip(",")
    return pairs("address_repairs").get(fold(bare), bare) + token[len(bare):]


def _repair_word(word: str, cyrillic: bool) -> str:
    """A word of Latin look-alikes in a Cyrillic address made Cyrillic ('BopoHex', 'yn.'), then a misread
    abbreviation put right; a city so restored takes the city's own spelling ('OMCK' is 'Омск')."""
    made = cyrillic_from_lookalikes(word) if cyrillic else None
    if made:
        word = made
        city = _cities().get(fold(word))
        if city:
            return city
    return pairs("address_repairs").get(fold(word), word)


def _city_place(text: str, start: int, end: int) -> bool:
    """Not a word of a street's name: 'Essex Road' is no misread 'Essen', 'ул. Кирова' no 'Киров'."""
    following = text[end:].split(maxsplit=1)
    preceding = text[:start].split()
    street_type = words("address_words") - {"г.", "город", "гор."}
    return not (following and fold(following[0]).strip(",") in words("address_words")) and not (
        preceding and fold(preceding[-1]).strip(",") in street_type)


def is_city(word: str) -> bool:
    return fold(word).strip(",.") in _cities()


@cache
def _cities() -> dict[str, str]:
    """Folded one-word city -> its spelling."""
    return {fold(c): c for c in entries("cities") if " " not in c}


def snap_city(word: str, city_expected: bool = False) -> str:
    """The city a capitalised word (any word where a city is expected) is one slip from ('Воронех',
    'Тупа'; 'Miinchen' is two, allowed in long words), when exactly one city is that close."""
    cities = _cities()
    key = fold(word)
    if len(key) < MIN_CITY or key in cities or not (word[:1].isupper() or city_expected) or word.endswith("."):
        return word
    limit = 1 if len(key) < 7 else 2
    # A city that is the word's head or tail ('Киров' in 'Кирова', 'Mainz' for 'Main') is another word.
    close = [c for c in process.extract(key, list(cities), scorer=Levenshtein.distance, score_cutoff=limit, limit=3)
             if not (c[0].startswith(key) or key.startswith(c[0]))][:2]
    if len(close) == 1 or (len(close) == 2 and close[0][1] < close[1][1]):
        return cities[close[0][0]]
    return word
