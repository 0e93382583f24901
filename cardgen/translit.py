"""Russian -> Latin transliteration as people put it on cards and in e-mail addresses.

Passport-style (ICAO-like) with the popular y/ya/yu forms, because that is what a bilingual
card prints far more often than scholarly systems.
"""

from __future__ import annotations

import re

_MAP: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

_WORD = re.compile(r"[А-Яа-яЁё]+")


def _word(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return _word(word.lower()).upper()
    out: list[str] = []
    for ch in word:
        latin = _MAP[ch.lower()]
        out.append(latin.capitalize() if ch.isupper() else latin)
    result = "".join(out)
    # A word starting with a soft/hard sign would otherwise lose its capital.
    if word[:1].isupper() and result:
        result = result[0].upper() + result[1:]
    return result


def transliterate(text: str) -> str:
    """Transliterate every Cyrillic word; other characters are left unchanged."""
    return _WORD.sub(lambda m: _word(m.group(0)), text)


def slug(text: str, sep: str = "") -> str:
    """Lowercase ASCII identifier for e-mail local parts and domains."""
    latin = transliterate(text).lower().replace("&", " and ")
    parts = re.findall(r"[a-z0-9]+", latin)
    return sep.join(parts)
