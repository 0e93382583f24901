"""Field confidences that mean what they say: a field at 0.9 is right about nine times in ten.

Extraction's raw confidence mixes the OCR's word confidence with how strong the evidence was (a lexicon hit,
a legal form, a printed country code). `make calibrate` (devtools/calibrate.py) fits, per OCR engine and per
field, an isotonic map from that raw figure to the share of fields found right at it, on the tuning sets
(generated seeds 3 and 11 only: the held-out eval seeds and the real photos are where its reliability is
measured), and ships the maps as calibration.json: at run time a piecewise-linear interpolation, no dependency.
Each step gives the lower bound of its share right, so the confidences err low.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from pipeline.core.types import CardFields, OcrLine
from pipeline.extract.lexicon import fold, pairs

if TYPE_CHECKING:
    import numpy as np

CALIBRATION_FILE = "calibration.json"
# A field whose calibrated confidence is below this is listed in the card's `guesses`: check it.
GUESS_BELOW = 0.6
QUALITY_CONF = 0.5
QUALITY_WEIGHT = 0.5  # how much a card of noise lowers its fields' raw confidence (1.0: all the way to 0)
UNREAD_LANGUAGE = 0.85  # text fields of a card in a language with accents that OCR was not given
TEXT_FIELDS = frozenset({"name", "title", "company", "department", "address"})
ENABLED = True  # devtools/calibrate.py turns it off to see the raw confidences it fits the map on
# Each reader has its own map: Tesseract's and PP-OCR's word confidences mean different things. An engine without
# a map of its own uses the one of the reader it runs on (pytesseract is Tesseract; ppocr is the router's reader).
DEFAULT_MAP = "auto"
MAP_OF = {"tesseract": "tesseract", "tesserocr": "tesseract", "pytesseract": "tesseract", "auto": "auto",
          "ppocr": "auto"}


def map_name(engine: str | None) -> str:
    """The calibration map an OCR engine's readings use (MAP_OF; the default engine's when None or unknown)."""
    return MAP_OF.get(engine or "", DEFAULT_MAP)


@cache
def _maps(name: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per field, the raw confidences and the calibrated ones they map to, for the map `name`; {} when none is
    shipped."""
    import numpy as np  # here, not at the top: the contact book shows confidences without numpy's 0.1 s

    try:
        doc = json.loads(resources.files(__package__).joinpath(CALIBRATION_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    fields = doc.get("engines", {}).get(name, {}).get("fields", {})
    return {k: (np.array(v["raw"], float), np.array(v["calibrated"], float)) for k, v in fields.items()}


def calibrated(field: str, raw: float, engine: str | None = None) -> float:
    """The calibrated confidence of a field read at raw confidence `raw` by `engine` (raw itself without a map)."""
    found = _maps(map_name(engine)).get(field)
    if found is None:
        return raw
    xs, ys = found
    import numpy as np

    return round(float(np.interp(raw, xs, ys)), 3)


def card_quality(lines: Sequence[OcrLine]) -> float:
    """The share of a card's lines OCR read with some assurance (mean word confidence >= 0.5). A photo full
    of ornaments, logos and glare leaves many lines of noise: there even a field read cleanly is more often
    wrong (an icon read as a letter, an accent lost), which a field's own confidence cannot show."""
    read = [line for line in lines if any(c.isalnum() for c in line.text)]
    return sum(line.conf >= QUALITY_CONF for line in read) / len(read) if read else 1.0


def raw_confidences(fields: CardFields, quality: float, region: str, lang: str) -> None:
    """Weigh each field's confidence by the card's quality, and the text fields of a card whose language
    the OCR was not given (accents lost): the raw figure the calibration maps."""
    unread = pairs("region_languages").get(fold(region)) not in (None, *lang.split("+"))
    for key, conf in fields.confidence.items():
        conf *= 1 - QUALITY_WEIGHT * (1 - quality)
        if unread and key in TEXT_FIELDS:
            conf *= UNREAD_LANGUAGE
        fields.confidence[key] = round(conf, 3)


def calibrate(fields: CardFields, engine: str | None = None) -> None:
    """Replace each raw confidence by its calibrated one for the engine that read the card; list fields below
    GUESS_BELOW in `guesses`."""
    if not ENABLED or not _maps(map_name(engine)):
        return
    for key, raw in list(fields.confidence.items()):
        fields.confidence[key] = calibrated(key, raw, engine)
        if fields.confidence[key] < GUESS_BELOW and key not in fields.guesses:
            fields.guesses.append(key)
