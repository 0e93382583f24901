"""Stage 3: a card image -> words with boxes and confidences, grouped into lines (Tesseract)."""

from __future__ import annotations

import os
from dataclasses import replace
from itertools import groupby

import numpy as np
import pytesseract

from pipeline.core.config import DEEP_ENGINES, OCR_ENGINES, Settings
from pipeline.core.errors import OcrEngineError
from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.stages.ocr import tesserocr as ocr_tesserocr

# One engine thread per process: parallelism comes from running cards in several processes,
# and OpenMP threads inside Tesseract only fight over the same cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

# Sparse text: a card is islands of text, not a page of paragraphs. Measured on 100 generated
# cards against psm 3 (auto), 4 and 6: names 0.93 vs 0.86/0.84/0.74, perfect cards 0.74 vs 0.69.
PSM_SPARSE = 11
PSM_SINGLE_LINE = 7  # the router's Tesseract reading of one detected line
MIN_WORD_CONF = 0  # Tesseract uses -1 for non-word boxes (blocks, lines)
COLUMN_GAP = 1.8  # a gap wider than this many letter heights separates columns
ORNAMENTS = frozenset("|¦>«»<©®•·*~_=:;,.'\"`^°¤§¶†‡")


def recognise(image: np.ndarray, settings: Settings, psm: int = PSM_SPARSE) -> OcrResult:
    """Read one card image with the settings' engine and return its lines in reading order."""
    if settings.ocr_engine in DEEP_ENGINES:
        return _deep(image, settings)
    if settings.ocr_engine == "tesserocr":
        data = ocr_tesserocr.image_to_data(image, settings.lang, psm, settings.ocr_timeout)
    elif settings.ocr_engine == "pytesseract":
        data = _pytesseract_data(image, settings, psm)
    else:
        raise OcrEngineError(f"unknown OCR engine {settings.ocr_engine!r} (CARDSCAN_OCR): use "
                             f"{' or '.join(OCR_ENGINES)}")
    return OcrResult(tuple(_lines(data)), image.shape[1], image.shape[0])


def tesseract_settings(settings: Settings) -> Settings:
    """The settings for a Tesseract reading (re-reading, orientation, the router's Cyrillic lines): the
    deep engines hand those to tesserocr, in-process, when it is installed (a line costs ~30 ms there
    against ~200 ms for a pytesseract process that loads the models again), else to pytesseract."""
    if settings.ocr_engine not in DEEP_ENGINES:
        return settings
    return replace(settings, ocr_engine="tesserocr" if ocr_tesserocr.available() else "pytesseract")


def _deep(image: np.ndarray, settings: Settings) -> OcrResult:
    # Imported here: onnxruntime and the models load only when a deep engine is chosen.
    from pipeline.stages.ocr import ppocr, router

    if settings.ocr_engine == "ppocr":
        return ppocr.recognise(image)
    lines = tesseract_settings(settings)

    def read_line(crop: np.ndarray) -> list[OcrWord]:
        return [w for line in recognise(crop, lines, psm=PSM_SINGLE_LINE).lines for w in line.words]

    return router.route(image, read_line)


def _pytesseract_data(image: np.ndarray, settings: Settings, psm: int) -> dict[str, list]:
    try:
        return pytesseract.image_to_data(
            image, lang=settings.lang, config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT, timeout=settings.ocr_timeout,
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrEngineError("Tesseract is not installed; run `make setup` (or apt-get install "
                             "tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd)") from None
    except pytesseract.TesseractError as exc:
        raise OcrEngineError(f"Tesseract failed: {exc.message.strip().splitlines()[-1]}") from None
    except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on timeout
        raise OcrEngineError(f"Tesseract gave up: {exc}") from None


def _lines(data: dict[str, list]) -> list[OcrLine]:
    rows = [
        (data["block_num"][i], data["par_num"][i], data["line_num"][i],
         OcrWord(text.strip(), float(data["conf"][i]), data["left"][i], data["top"][i],
                 data["width"][i], data["height"][i]))
        for i, text in enumerate(data["text"])
        if text.strip() and float(data["conf"][i]) >= MIN_WORD_CONF and not _is_ornament(text.strip())
    ]
    # Tesseract's own block order keeps the columns of a two-column card apart.
    lines = [tuple(r[3] for r in group) for _, group in groupby(rows, key=lambda r: r[:3])]
    return [OcrLine(part) for words in lines for part in split_at_gaps(words)]


def _is_ornament(text: str) -> bool:
    """Icons and rules that OCR reads as stray symbols ('|', '>', '©' before a website)."""
    return all(c in ORNAMENTS for c in text)


def split_at_gaps(words: tuple[OcrWord, ...]) -> list[tuple[OcrWord, ...]]:
    """Cut a line where the space between two words is far wider than a word space: Tesseract
    sometimes runs two columns of a card (a name left, a phone right) into one line."""
    if len(words) < 2:
        return [words]
    height = sorted(w.height for w in words)[len(words) // 2]
    parts, start = [], 0
    for i in range(1, len(words)):
        gap = words[i].left - (words[i - 1].left + words[i - 1].width)
        if gap > COLUMN_GAP * height:
            parts.append(words[start:i])
            start = i
    parts.append(words[start:])
    return parts


def detect_rotation(image: np.ndarray, settings: Settings) -> int | None:
    """Clockwise degrees the text is turned, from Tesseract's OSD; None when it cannot tell."""
    settings = tesseract_settings(settings)
    if settings.ocr_engine == "tesserocr":
        found = ocr_tesserocr.orientation(image)
        if found is None or found[1] < 1.0:
            return None
        return found[0] % 360
    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=settings.ocr_timeout)
    except (pytesseract.TesseractError, RuntimeError):
        return None  # too little text to judge: read the card as it is
    if float(osd.get("orientation_conf", 0)) < 1.0:
        return None
    return int(osd["orientation"]) % 360
