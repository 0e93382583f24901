"""A card image as the OCR stage receives it: found on the page, flattened and normalised."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pipeline.core.config import Settings
from pipeline.stages.load import load
from pipeline.stages.preprocess import find_cards, normalise


def card_image(path: Path) -> np.ndarray:
    settings = Settings()
    page = load(path, settings).pages[0]
    return normalise(find_cards(page)[0], settings).image
