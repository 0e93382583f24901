"""Every setting in one place, with the environment variables that override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "cardscan"
DB_ENV = "CARDSCAN_DB"
OCR_ENV = "CARDSCAN_OCR"  # pytesseract or tesserocr
OCR_ENGINES = ("pytesseract", "tesserocr")


@dataclass(frozen=True)
class Settings:
    lang: str = "rus+eng"
    region: str | None = None  # default phone region; None = guess from the card
    max_pixels: int = 80_000_000  # per page or frame, decompression-bomb guard: ~ a 9000x9000 image
    # Per file, checked from the headers before anything is decoded (README, "Limits"): a file past
    # one of them is refused whole with a one-line reason, never read in part.
    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 50  # pages of a PDF or TIFF, frames of an animation
    max_total_pixels: int = 500_000_000  # all pages together: 57 A4 pages at 300 dpi, 6 of the largest photos
    # Wall time, checked between pages (one page is bounded by its pixels and ocr_timeout): a long PDF of
    # cards needs minutes, so this is a backstop against a file that would hold a worker for an hour.
    max_seconds: float = 600.0
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
