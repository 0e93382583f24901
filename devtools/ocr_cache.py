"""A disk cache of card readings (OCR lines and QR codes) for `cardscan eval --ocr-cache DIR`.

OCR is ~95% of a scan's time and extraction ~1%, so measuring a change to extraction from cached
readings takes seconds instead of minutes. An entry is keyed by the image's bytes and by the source
of every stage that runs before extraction: edit any of them and the old entries are simply not found.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrResult, OcrWord, Reading
from pipeline.stages.load import sha256_of

# The modules whose code decides what a reading holds (extraction is deliberately not among them,
# except the two pattern finders the re-reading uses to choose its lines).
READING_MODULES = ("load", "preprocess", "detect", "enhance", "orient", "ocr", "ocr_tesserocr", "reread", "qr",
                   "scan", "config", "extract/emails", "extract/web", "extract/repairs", "extract/text",
                   "extract/translit", "lexicons/tlds.txt", "lexicons/mail_hosts.txt", "lexicons/social_hosts.txt")
_HERE = Path(__file__).parent


def cached_readings(path: Path, settings: Settings, cache_dir: Path) -> tuple[list[Reading], str, str | None, bool]:
    """The readings of an image (and its status and error), from the cache or by scanning it now;
    the last value says whether they came from the cache."""
    from pipeline.stages.run import scan_image  # scan imports the whole pipeline; the cache is also used without it

    entry = entry_path(cache_dir, sha256_of(path.read_bytes()), f"{settings.lang}|{settings.ocr_engine}")
    found = load(entry)
    if found is not None:
        return (*found, True)
    result = scan_image(path, settings)
    save(entry, result.readings, result.status, result.error)
    return result.readings, result.status, result.error, False


@cache  # read the sources once per process, not once per image
def stamp(settings_key: str) -> str:
    digest = hashlib.sha256(settings_key.encode())
    for name in READING_MODULES:
        source = _HERE / (name if name.endswith(".txt") else f"{name}.py")
        if source.exists():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def entry_path(cache_dir: Path, image_sha256: str, settings_key: str) -> Path:
    return cache_dir / f"{image_sha256[:32]}-{stamp(settings_key)}.json"


def save(path: Path, readings: list[Reading], status: str, error: str | None) -> None:
    doc = {"status": status, "error": error, "readings": [_reading_to_dict(r) for r in readings]}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def load(path: Path) -> tuple[list[Reading], str, str | None] | None:
    """The cached readings, status and error; None when there is no entry."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [_reading_from_dict(r) for r in doc["readings"]], doc["status"], doc["error"]


def _reading_to_dict(reading: Reading) -> dict[str, Any]:
    return {
        "lines": [[[w.text, w.conf, w.left, w.top, w.width, w.height] for w in line.words]
                  for line in reading.ocr.lines],
        "size": [reading.ocr.width, reading.ocr.height],
        "codes": list(reading.codes),
        "bbox": list(reading.bbox) if reading.bbox else None,
        "page": reading.page,
        "rotation": reading.rotation,
    }


def _reading_from_dict(doc: dict[str, Any]) -> Reading:
    lines = tuple(OcrLine(tuple(OcrWord(str(t), float(c), int(x), int(y), int(w), int(h))
                                for t, c, x, y, w, h in line)) for line in doc["lines"])
    bbox = tuple(doc["bbox"]) if doc["bbox"] else None
    return Reading(OcrResult(lines, *doc["size"]), tuple(doc["codes"]), bbox, doc["page"], doc["rotation"])
