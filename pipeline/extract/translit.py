"""Russian -> Latin transliteration (the passport-style system ICAO 9303 uses since 2013).

Used to pair a Russian name with its Latin form on a bilingual card, and later to match
Иван Петров with Ivan Petrov.
"""

from __future__ import annotations

TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y",
    "ь": "", "э": "e", "ю": "iu", "я": "ia",
}


def to_latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in TABLE:
            lat = TABLE[low]
            out.append(lat.capitalize() if ch.isupper() and lat else lat)
        else:
            out.append(ch)
    return "".join(out)


def skeleton(text: str) -> str:
    """A loose comparison key: Latin letters only, with the spelling variants of
    transliteration (ia/ya, iu/yu, kh/h, y/i, ts/tz) collapsed."""
    key = to_latin(text).lower()
    for a, b in (("shch", "sch"), ("kh", "h"), ("ia", "a"), ("ya", "a"), ("iu", "u"), ("yu", "u"),
                 ("ie", "e"), ("ts", "z"), ("tz", "z"), ("y", "i"), ("j", "i"), ("w", "v")):
        key = key.replace(a, b)
    return "".join(c for c in key if c.isalpha())
