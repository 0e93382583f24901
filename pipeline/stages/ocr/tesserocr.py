"""Tesseract in-process through tesserocr: the engine stays loaded between images.

Each pytesseract call starts a `tesseract` process that loads the rus+eng models again;
tesserocr keeps one initialised engine per language set for the life of the worker. Both
give Tesseract's own word table, so one parser serves both (`lines_from_table`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from pipeline.core.config import tessdata_override
from pipeline.core.errors import OcrEngineError
from pipeline.core.types import OcrResult
from pipeline.stages.ocr import MIN_OSD_CONF, lines_from_table

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")
TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")
OSD_MIN_CHARACTERS = "10"


class TesserocrEngine:
    name = "tesseract"

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        api = _api(lang)
        api.SetPageSegMode(psm)
        # pytesseract hands the array to Pillow as it is; doing the same keeps the two engines comparable.
        api.SetImage(Image.fromarray(image))
        if not api.Recognize(int(timeout_s * 1000)):
            raise OcrEngineError(f"Tesseract gave up after {timeout_s:.0f} s")
        return lines_from_table(_parse_tsv(api.GetTSVText(0)), image.shape[1], image.shape[0])

    def orientation(self, image: np.ndarray, timeout_s: float) -> int | None:
        api = _api("osd")
        api.SetPageSegMode(0)  # PSM.OSD_ONLY
        api.SetVariable("min_characters_to_try", OSD_MIN_CHARACTERS)
        api.SetImage(Image.fromarray(image))
        osd = api.DetectOrientationScript()
        if not osd or float(osd["orient_conf"]) < MIN_OSD_CONF:
            return None
        return int(osd["orient_deg"]) % 360

    def languages(self) -> frozenset[str]:
        return frozenset(p.stem for p in Path(tessdata_dir()).glob("*.traineddata"))

    def identity(self) -> str:
        return f"tesserocr/{_tesseract_version()}@{tessdata_dir()}"


def tessdata_dir() -> str:
    """The system's language data, so both engines read with the very same models."""
    env = tessdata_override()
    candidates = (env, *TESSDATA_DIRS) if env else TESSDATA_DIRS
    for candidate in candidates:
        if candidate and (Path(candidate) / "eng.traineddata").exists():
            return candidate.rstrip("/") + "/"
    raise OcrEngineError("no Tesseract language data found; run `make setup` or set TESSDATA_PREFIX")


@cache
def _tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError:
        raise OcrEngineError("tesserocr is not installed: `make setup`, or use --engine pytesseract") from None
    _quiet_leptonica()
    return tesserocr


L_SEVERITY_NONE = 6


def _quiet_leptonica() -> None:
    """Leptonica prints its own warnings ('Error in boxClipToRectangle ...') straight to stderr; out of a
    process (pytesseract) nobody saw them, in-process they would land in the user's terminal. Silence
    the copy of the library tesserocr loaded (bundled in its wheel, or the system's)."""
    import ctypes

    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for path in {line.split()[-1] for line in maps.splitlines() if "lept" in line.rsplit("/", 1)[-1]}:
        try:
            ctypes.CDLL(path).setMsgSeverity(L_SEVERITY_NONE)
        except (OSError, AttributeError):
            continue


@cache
def _tesseract_version() -> str:
    return str(_tesserocr().tesseract_version().split()[1])


@cache
def _api(lang: str) -> Any:
    """One engine per language set and process: loading the models is the slow part."""
    try:
        return _tesserocr().PyTessBaseAPI(path=tessdata_dir(), lang=lang)
    except RuntimeError as exc:
        raise OcrEngineError(f"tesserocr cannot load {lang!r}: {exc}") from None


def _parse_tsv(tsv: str) -> dict[str, list[Any]]:
    data: dict[str, list[Any]] = {name: [] for name in TSV_COLUMNS}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(TSV_COLUMNS):
            cells += [""] * (len(TSV_COLUMNS) - len(cells))
        for name, cell in zip(TSV_COLUMNS[:-2], cells, strict=False):
            data[name].append(int(cell))
        data["conf"].append(float(cells[10]))
        data["text"].append(cells[11])
    return data
