"""Tesseract in-process through tesserocr: the engine stays loaded between images.

Each pytesseract call starts a `tesseract` process that loads the rus+eng models again;
tesserocr keeps one initialised engine per language set for the life of the worker. Both
give Tesseract's own word table, so one parser serves both (`lines_from_table`).

The library must be the system's libtesseract, the one behind the `tesseract` program: PyPI's
tesserocr wheel bundles its own (5.5.4 where Debian 12 has 5.3.0), which reads 18 of 75 card
images differently (seed 13), and the pipeline's repairs are tuned on the system's readings. So
`make setup` and the Dockerfile build tesserocr from source (`--no-binary tesserocr`), and a
worker that finds another library says so once.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
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
REBUILD = "pip install --force-reinstall --no-deps --no-binary tesserocr tesserocr"
log = logging.getLogger(__name__)


class TesserocrEngine:
    name = "tesseract"
    small_card_long_side: int | None = None  # Tesseract reads small print best at the pipeline's own 1600 px
    # Tesseract's page layout binarises the card globally, so a shadow or glare cuts its lines short: stretched,
    # 30 shaded photos of seed 13 went 0.233 -> 0.433 perfect. Only under steep light: the fitted light of the 7
    # real photos the light test fires on varies 1.20-1.31x (the shaded scene's 1.23-2.07x), and stretched there
    # Tesseract lost a name and a title (real_cards perfect 0.037 -> 0.000; docs/accuracy.md, Hard photos).
    stretch_shaded: float | None = 1.35

    def recognise(self, image: np.ndarray, lang: str, psm: int, timeout_s: float) -> OcrResult:
        api = _api(lang)
        api.SetPageSegMode(psm)
        _set_image(api, image)
        if not api.Recognize(int(timeout_s * 1000)):
            raise OcrEngineError(f"Tesseract gave up after {timeout_s:.0f} s")
        return lines_from_table(_parse_tsv(api.GetTSVText(0)), image.shape[1], image.shape[0])

    def orientation(self, image: np.ndarray, timeout_s: float) -> int | None:
        api = _api("osd")
        api.SetPageSegMode(0)  # PSM.OSD_ONLY
        api.SetVariable("min_characters_to_try", OSD_MIN_CHARACTERS)
        _set_image(api, image)
        osd = api.DetectOrientationScript()
        if not osd or float(osd["orient_conf"]) < MIN_OSD_CONF:
            return None
        return int(osd["orient_deg"]) % 360

    def languages(self) -> frozenset[str]:
        return frozenset(p.stem for p in Path(tessdata_dir()).glob("*.traineddata"))

    def identity(self) -> str:
        return f"tesserocr/{_tesseract_version()}@{tessdata_dir()}"


def _set_image(api: Any, image: np.ndarray) -> None:
    """Hand Tesseract the pixels as pytesseract does, and no resolution.

    pytesseract writes a PNG without one, so the `tesseract` program estimates it from the text
    (200-700 dpi on cards). tesserocr's SetImage(PIL image) goes through a BMP, which Pillow stamps
    96 dpi: Tesseract believes it and reads 26 of 48 real-photo images differently (real_cards).
    Raw pixels carry no resolution, so Tesseract estimates it here too.
    """
    if image.dtype == np.uint8 and (image.ndim == 2 or (image.ndim == 3 and image.shape[2] in (3, 4))):
        # What Pillow's L, RGB and RGBA tobytes() would give, without its piecewise encoder (~5 ms a card).
        channels = 1 if image.ndim == 2 else image.shape[2]
        api.SetImageBytes(np.ascontiguousarray(image).tobytes(), image.shape[1], image.shape[0], channels,
                          image.shape[1] * channels)
        return
    pil = Image.fromarray(image)  # the colour handling pytesseract gets: the array's channels as they are
    if pil.mode not in ("L", "RGB", "RGBA"):
        pil = pil.convert("RGBA" if "A" in pil.mode else "RGB")
    channels = len(pil.getbands())
    api.SetImageBytes(pil.tobytes(), pil.width, pil.height, channels, pil.width * channels)


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
def program_version() -> str | None:
    """The version of the `tesseract` program (the system's libtesseract), None without one."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    words = out.split()
    return words[1] if len(words) > 1 and words[0] == "tesseract" else None


def library_mismatch() -> str | None:
    """Why this tesserocr would read differently from the `tesseract` program, or None."""
    system = program_version()
    if system is None or system == _tesseract_version():
        return None
    return (f"tesserocr uses its own libtesseract {_tesseract_version()}, not the system's {system}: "
            f"its readings differ from the `tesseract` program's; rebuild it with `make setup` or `{REBUILD}`")


@cache  # once per process, when its first engine loads
def _warn_if_mismatched() -> None:
    mismatch = library_mismatch()
    if mismatch:
        log.warning(mismatch)


@cache
def _api(lang: str) -> Any:
    """One engine per language set and process: loading the models is the slow part."""
    _warn_if_mismatched()
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
