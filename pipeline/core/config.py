"""Every setting in one place, with the environment variables that override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "cardscan"
DB_ENV = "CARDSCAN_DB"
OCR_ENV = "CARDSCAN_OCR"  # one of OCR_ENGINES
OCR_ENGINES = ("pytesseract", "tesserocr", "ppocr", "auto")
# PP-OCR alone (Latin only), and the per-line router of PP-OCR and Tesseract (pipeline/stages/ocr/router.py).
DEEP_ENGINES = ("ppocr", "auto")


@dataclass(frozen=True)
class Settings:
    lang: str = "rus+eng"
    region: str | None = None  # default phone region; None = guess from the card
    max_pixels: int = 80_000_000  # decompression-bomb guard: ~ a 9000x9000 image
    max_file_bytes: int = 200 * 1024 * 1024
    ocr_timeout: float = 60.0  # seconds per Tesseract call, so one bad image cannot hang a batch
    ocr_engine: str = field(default_factory=lambda: default_ocr_engine())


def default_ocr_engine() -> str:
    """`CARDSCAN_OCR` if set, else pytesseract (see README, Speed, for the comparison)."""
    return os.environ.get(OCR_ENV) or "pytesseract"


def default_db_url() -> str:
    """`CARDSCAN_DB` if set, else a private SQLite file in the user's XDG data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{data_dir / 'contacts.db'}"


def resolve_db_url(url: str | None) -> str:
    return url or default_db_url()
