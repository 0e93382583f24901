"""The OCR cache behind `cardscan eval --ocr-cache`: what comes back is what was read."""

import shutil
from pathlib import Path

import pytest

from devtools import ocr_cache
from devtools.evaluate import evaluate_dirs
from pipeline.core.config import Settings
from pipeline.stages.run import scan_image
from tests.conftest import SAMPLES

CARD = SAMPLES / "ru_classic_scan.png"


@pytest.mark.slow
def test_readings_come_back_from_the_cache_as_they_were_read(tmp_path: Path) -> None:
    first, status, error, cached = ocr_cache.cached_readings(CARD, Settings(), tmp_path)
    assert (status, error, cached) == ("ok", None, False)
    again, _, _, cached = ocr_cache.cached_readings(CARD, Settings(), tmp_path)
    assert cached
    assert [(r.ocr, r.codes, r.bbox, r.page, r.rotation) for r in again] == [
        (r.ocr, r.codes, r.bbox, r.page, r.rotation) for r in first]
    assert first == scan_image(CARD).readings  # and the same as a scan without the cache


def test_an_entry_is_keyed_on_the_languages_and_the_engine(tmp_path: Path) -> None:
    keys = {ocr_cache.entry_path(tmp_path, "a" * 64, Settings(lang=lang, ocr_engine=engine))
            for lang in ("rus+eng", "eng") for engine in ("tesseract", "pytesseract")}
    assert len(keys) == 4


def test_the_key_covers_the_reading_code_and_not_extraction() -> None:
    roots = (*ocr_cache.READING_ROOTS, "pipeline.stages.ocr.tesserocr")
    names = {"/".join(p.parts[-2:]) for p in ocr_cache.reading_sources(roots)}
    # found by following imports: the stages, the engine, the pattern finders re-reading uses, their lexicons
    assert {"stages/read.py", "stages/load.py", "stages/preprocess.py", "ocr/__init__.py", "ocr/tesserocr.py",
            "extract/emails.py", "lexicons/tlds.txt"} <= names
    # field extraction is re-measured from the cache, so editing it must not invalidate it
    assert not {"extract/names.py", "extract/org.py", "extract/__init__.py", "lexicons/title_words.txt"} & names


@pytest.mark.slow
def test_eval_from_the_cache_scores_as_eval_without_it(tmp_path: Path) -> None:
    images = tmp_path / "set"
    images.mkdir()
    for name in ("ru_classic_scan.png", "en_banner_photo_wood.jpg"):
        for path in (SAMPLES / name, SAMPLES / (name + ".json")):
            shutil.copy(path, images / path.name)
    settings = Settings(region="RU")
    plain = evaluate_dirs([images], settings, jobs=1)
    evaluate_dirs([images], settings, jobs=1, ocr_cache_dir=tmp_path / "cache")  # fills it
    cached = evaluate_dirs([images], settings, jobs=1, ocr_cache_dir=tmp_path / "cache")
    strip = {k: {m: v for m, v in figures.items() if m != "median_seconds"} for k, figures in plain.items()}
    assert {k: {m: v for m, v in f.items() if m != "median_seconds"} for k, f in cached.items()} == strip
