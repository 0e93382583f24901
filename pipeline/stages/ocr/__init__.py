"""Stage 3: a card image -> words with boxes and confidences, grouped into lines.

An OCR engine is anything that fits `OcrEngine`; engines are found by name in `ENGINES` and loaded
only when first used, so importing this package loads no engine. Both Tesseract engines give
Tesseract's own word table, which `lines_from_table` groups into lines the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from importlib import import_module
from itertools import groupby
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pipeline.core.errors import OcrEngineError
from pipeline.core.types import OcrLine, OcrResult, OcrWord

if TYPE_CHECKING:
    import numpy as np

    from pipeline.core.config import Settings

# One engine thread per process: parallelism comes from running cards in several processes,
# and OpenMP threads inside Tesseract only fight over the same cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
# onnxruntime (the PP-OCR engine) has shipped 1DS telemetry on Linux, on by default, since 1.32: its first
# session writes a device id and an event queue (OS, interpreter path, network type) under
# ~/.cache/Microsoft/DeveloperTools/.onnxruntime for upload to Microsoft. Nothing of a scan may leave the
# machine; the switch counts only when set before onnxruntime initialises, which no engine does before this.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

# Sparse text: a card is islands of text, not a page of paragraphs. Measured on 100 generated
# cards against psm 3 (auto), 4 and 6: names 0.93 vs 0.86/0.84/0.74, perfect cards 0.74 vs 0.69.
PSM_SPARSE = 11
MIN_WORD_CONF = 0  # Tesseract uses -1 for non-word boxes (blocks, lines)
COLUMN_GAP = 1.8  # a gap wider than this many letter heights separates columns
ORNAMENTS = frozenset("|¦>«»<©®•·*~_=:;,.'\"`^°¤§¶†‡")
# OSD below this confidence is a guess: the card is read as it is.
MIN_OSD_CONF = 1.0


@runtime_checkable
class OcrEngine(Protocol):
    """What the pipeline needs of an OCR engine."""

    name: str
    # The long side a card cut out small (preprocess.SMALL_CARD) is enlarged to for this engine; None: the
    # pipeline's own target, the size Tesseract reads best.
    small_card_long_side: int | None
    # From what variation of its fitted light (brightest / darkest) a shaded card of plain paper is stretched
    # between its local paper and ink levels for this engine (enhance.even_light), not only divided by the fitted
    # light; None: never. PP-OCR whenever the light test fires, Tesseract only under steep light (enhance.py,
    # docs/accuracy.md: Shadows and glare, Hard photos).
    stretch_shaded: float | None

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        """The words on `image` with boxes (image pixels) and confidences (0-100), in lines."""
        ...

    def orientation(self, image: np.ndarray, timeout_s: float) -> int | None:
        """Clockwise degrees the text is turned (0, 90, 180, 270); None when it cannot tell."""
        ...

    def languages(self) -> frozenset[str]:
        """The language codes this engine can read with here."""
        ...

    def identity(self) -> str:
        """Engine, library version and data that decide its readings: a cache that keys on this
        is never served another engine's or version's readings."""
        ...


# name -> "module:factory"; a new engine is one line here and one module beside this file.
ENGINES: dict[str, str] = {
    "tesseract": "pipeline.stages.ocr.tesserocr:TesserocrEngine",
    "pytesseract": "pipeline.stages.ocr.tesseract:TesseractCliEngine",
    # PP-OCR's line detector and Latin recogniser (onnxruntime); `auto` pairs it with Tesseract per line.
    "ppocr": "pipeline.stages.ocr.ppocr:PpOcrEngine",
    "auto": "pipeline.stages.ocr.router:RouterEngine",
}
ALIASES = {"tesserocr": "tesseract"}


def engine_names() -> tuple[str, ...]:
    return tuple(ENGINES)


def get_engine(name: str) -> OcrEngine:
    """The engine called `name`, loaded once per process."""
    key = ALIASES.get(name, name)
    if key not in ENGINES:
        raise OcrEngineError(f"unknown OCR engine {name!r}: use {' or '.join(ENGINES)}")
    return _load(key)


@cache
def _load(key: str) -> OcrEngine:
    module, _, factory = ENGINES[key].partition(":")
    make: Callable[[], OcrEngine] = getattr(import_module(module), factory)
    return make()


def recognise(image: np.ndarray, settings: Settings, psm: int = PSM_SPARSE) -> OcrResult:
    """Read one card image with the configured engine; lines in reading order."""
    return get_engine(settings.ocr_engine).recognise(image, settings.lang, psm, settings.ocr_timeout)


def detect_rotation(image: np.ndarray, settings: Settings) -> int | None:
    """Clockwise degrees the text is turned; None when the engine cannot tell."""
    return get_engine(settings.ocr_engine).orientation(image, settings.ocr_timeout)


def lines_from_table(data: dict[str, list[Any]], width: int, height: int) -> OcrResult:
    """Tesseract's word table (image_to_data / TSV) -> lines of words."""
    rows = [
        (data["block_num"][i], data["par_num"][i], data["line_num"][i],
         OcrWord(text.strip(), float(data["conf"][i]), data["left"][i], data["top"][i],
                 data["width"][i], data["height"][i]))
        for i, text in enumerate(data["text"])
        if text.strip() and float(data["conf"][i]) >= MIN_WORD_CONF and not _is_ornament(text.strip())
    ]
    # Tesseract's own block order keeps the columns of a two-column card apart.
    lines = [tuple(r[3] for r in group) for _, group in groupby(rows, key=lambda r: r[:3])]
    return OcrResult(tuple(OcrLine(part) for words in lines for part in split_at_gaps(words)), width, height)


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
