"""Tesseract through its command-line program (pytesseract): a new `tesseract` process per image.

Slower than the in-process engine (the models are loaded for every call) but needs nothing beyond
Debian's tesseract-ocr package; the user's design names it, so it stays available.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytesseract

from pipeline.core.errors import OcrEngineError
from pipeline.core.types import OcrResult
from pipeline.stages.ocr import MIN_OSD_CONF, lines_from_table

NOT_INSTALLED = ("Tesseract is not installed; run `make setup` (or apt-get install "
                 "tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd)")


class TesseractCliEngine:
    name = "pytesseract"
    small_card_long_side: int | None = None
    stretch_shaded: float | None = None  # not measured with the command-line engine

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        try:
            data = pytesseract.image_to_data(image, lang=lang, config=f"--psm {psm}",
                                             output_type=pytesseract.Output.DICT, timeout=timeout_s)
        except pytesseract.TesseractNotFoundError:
            raise OcrEngineError(NOT_INSTALLED) from None
        except pytesseract.TesseractError as exc:
            raise OcrEngineError(f"Tesseract failed: {exc.message.strip().splitlines()[-1]}") from None
        except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on timeout
            raise OcrEngineError(f"Tesseract gave up: {exc}") from None
        return lines_from_table(data, image.shape[1], image.shape[0])

    def orientation(self, image: np.ndarray, timeout_s: float) -> int | None:
        try:
            osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10",
                                           output_type=pytesseract.Output.DICT, timeout=timeout_s)
        except (pytesseract.TesseractError, RuntimeError):
            return None  # too little text to judge: read the card as it is
        if float(osd.get("orientation_conf", 0)) < MIN_OSD_CONF:
            return None
        return int(osd["orientation"]) % 360

    def languages(self) -> frozenset[str]:
        return _languages()

    def identity(self) -> str:
        return f"pytesseract/{_version()}"


@cache
def _languages() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError):
        raise OcrEngineError(NOT_INSTALLED) from None


@cache
def _version() -> str:
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineError(NOT_INSTALLED) from None
