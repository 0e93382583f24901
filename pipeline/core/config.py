"""Every setting in one place: the defaults, and the environment variables that override them.

Nothing else in the package reads the environment; the CLI's options and the library's callers
pass what they want through `Settings`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import CardscanError

APP_NAME = "cardscan"
DB_ENV = "CARDSCAN_DB"
OCR_ENV = "CARDSCAN_OCR"
CARDDAV_PASSWORD_ENV = "CARDSCAN_CARDDAV_PASSWORD"
TESSDATA_ENV = "TESSDATA_PREFIX"
BROKER_ENV = "CARDSCAN_BROKER"

DEFAULT_LANG = "rus+eng"
# The region of phone numbers written without +CC in a hand edit, an imported vCard or a QR code,
# when nothing else says.
DEFAULT_EDIT_REGION = "RU"
# `auto` is the router (PP-OCR finds and reads the lines, Tesseract the Cyrillic ones): it wins on real
# photos, every held-out generated column and the bundled Russian samples (docs/two-readers.md), at ~3x
# the CPU and ~500-800 MB per worker; `tesseract` (Tesseract in-process, tesserocr) is the engine for
# small machines, `pytesseract` the `tesseract` program per image. Names are resolved by
# pipeline.stages.ocr's registry; `tesserocr` is an older name of `tesseract`.
DEFAULT_OCR_ENGINE = "auto"


class SettingError(CardscanError):
    """A setting's value is not one cardscan can use; the message says which values are."""


def check_region(value: str | None) -> str | None:
    """An ISO region code libphonenumber knows, upper-cased; None stays None (guess from the card)."""
    if value is None:
        return None
    import phonenumbers

    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise SettingError(f"{value!r} is not a region libphonenumber knows (use ISO codes: RU, US, DE ...)")
    return code


@dataclass(frozen=True)
class Settings:
    lang: str = DEFAULT_LANG
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "region", check_region(self.region))


def default_ocr_engine() -> str:
    """`CARDSCAN_OCR` if set, else DEFAULT_OCR_ENGINE (docs/speed.md has the comparison)."""
    return os.environ.get(OCR_ENV) or DEFAULT_OCR_ENGINE


def tessdata_override() -> str | None:
    """Where the user points Tesseract for its language data, if anywhere."""
    return os.environ.get(TESSDATA_ENV) or None


def carddav_password() -> str | None:
    return os.environ.get(CARDDAV_PASSWORD_ENV) or None


def default_db_url() -> str:
    """`CARDSCAN_DB` if set, else a private SQLite file in the user's XDG data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    import platformdirs

    data_dir = Path(platformdirs.user_data_dir(APP_NAME))
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{data_dir / 'contacts.db'}"


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve_db_url(url: str | None) -> str:
    """`--db` (else $CARDSCAN_DB, else the default) as a database URL. A plain file path (`contacts.db`,
    `~/cards/contacts.db`), which has no scheme, means a SQLite file there, as people expect of a CLI."""
    url = url or default_db_url()
    if _SCHEME.match(url):
        return url
    return f"sqlite:///{Path(url).expanduser().resolve()}"


def default_broker_url() -> str | None:
    """The scan queue's broker (`cardscan worker`, `queue status`): `CARDSCAN_BROKER`, if set."""
    return os.environ.get(BROKER_ENV) or None


def user_cache_dir() -> Path:
    """Private per-user cache (optimised OCR models and the like), never the current directory."""
    import platformdirs

    path = Path(platformdirs.user_cache_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
