"""Stage 1: a file on disk -> decoded, upright pages.

Every way a file can be bad ends here as an InputError with a one-line reason, so later
stages only ever see valid pixels.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.core.types import Page, SourceImage

# The file names a folder scan takes (the content still decides the type when a file is read).
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif", ".pdf"})
PDF_MAGIC = b"%PDF-"
PDF_DPI = 300
MAX_PAGES = 50

try:  # HEIC/HEIF is what phones save; the plugin is optional at import so a broken wheel is not fatal
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - depends on the platform's wheels
    pass


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, settings: Settings) -> bytes:
    if not path.exists():
        raise InputError("no such file")
    if not path.is_file():
        raise InputError("not a regular file (a folder or a device?)")
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file (0 bytes)", sha256_of(b""))
    if size > settings.max_file_bytes:
        raise InputError(f"file is {size / 1e6:.0f} MB, over the {settings.max_file_bytes / 1e6:.0f} MB limit")
    return path.read_bytes()


# What `load` and `pipeline.scan` take: a file's path, its bytes, or an already decoded BGR image.
Source = Path | str | bytes | np.ndarray


def load(source: Source, settings: Settings | None = None, name: str | None = None) -> SourceImage:
    """Read and decode `source`; raise InputError with a one-line reason when it cannot be used.

    `name` is what results and errors call a source given as bytes or pixels (default `<bytes>`,
    `<image>`); a path is called by itself."""
    settings = settings or Settings()
    if isinstance(source, np.ndarray):
        return _from_array(source, settings, name or "<image>")
    if isinstance(source, bytes):
        path, data = Path(name or "<bytes>"), _checked_bytes(source, settings)
    else:
        path = Path(source)
        data = read_bytes(path, settings)
    digest = sha256_of(data)
    try:
        if data.startswith(PDF_MAGIC):
            return SourceImage(path, digest, "PDF", _pdf_pages(data, settings))
        fmt, pages, taken_at = _raster_pages(data, path, settings)
    except InputError as exc:
        raise InputError(str(exc), digest) from None
    return SourceImage(path, digest, fmt, pages, taken_at)


def _checked_bytes(data: bytes, settings: Settings) -> bytes:
    if not data:
        raise InputError("empty file (0 bytes)", sha256_of(b""))
    if len(data) > settings.max_file_bytes:
        raise InputError(f"file is {len(data) / 1e6:.0f} MB, over the {settings.max_file_bytes / 1e6:.0f} MB limit")
    return data


def _from_array(image: np.ndarray, settings: Settings, name: str) -> SourceImage:
    """Pixels a caller already has: BGR (OpenCV's order), BGRA or grey, uint8."""
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[2] not in (3, 4)):
        raise InputError(f"an image array must be uint8 grey, BGR or BGRA; got {image.dtype} {image.shape}")
    _check_pixels(image.shape[1], image.shape[0], settings)
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    elif image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    image = np.ascontiguousarray(image)
    return SourceImage(Path(name), sha256_of(image.tobytes()), "array", [Page(0, image)])


def _check_pixels(width: int, height: int, settings: Settings) -> None:
    if width * height > settings.max_pixels:
        raise InputError(
            f"image is {width}x{height} ({width * height / 1e6:.0f} MP), over the "
            f"{settings.max_pixels / 1e6:.0f} MP limit; downscale it first"
        )
    if min(width, height) < 32:
        raise InputError(f"image is only {width}x{height} pixels: too small to hold a readable card")


def _raster_pages(data: bytes, path: Path, settings: Settings) -> tuple[str, list[Page], datetime | None]:
    # Pillow's own bomb guard raises at 2x its limit and only warns below it; we check the
    # header size ourselves first, so the limit is ours and nothing is decoded before it.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(BytesIO(data)) as img:
            fmt = img.format or "unknown"
            _check_pixels(img.width, img.height, settings)
            taken_at = taken_on(img)
            pages = [
                Page(i, _to_bgr(frame)) for i, frame in enumerate(ImageSequence.Iterator(img)) if i < MAX_PAGES
            ]
    except UnidentifiedImageError:
        raise InputError("not an image file (or a format cardscan cannot read)") from None
    except (OSError, SyntaxError, ValueError) as exc:
        # Pillow reports truncated and corrupt data as OSError/SyntaxError with varying wording.
        raise InputError(f"cannot decode the {path.suffix or 'image'} file: {_first_line(exc)}") from None
    return fmt, pages, taken_at


EXIF_IFD, DATE_TAKEN, DATE_CHANGED = 0x8769, 0x9003, 0x0132


def taken_on(img: Image.Image) -> datetime | None:
    """When a photo was taken, from its EXIF (a camera's local time, kept as UTC: the order of cards
    is what matters). Not the file's mtime: a copy or a checkout changes that, not the card's age."""
    exif = img.getexif()
    raw = exif.get_ifd(EXIF_IFD).get(DATE_TAKEN) or exif.get(DATE_CHANGED)
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S").replace(tzinfo=UTC) if raw else None
    except ValueError:
        return None  # a camera with its clock unset writes '0000:00:00 00:00:00'


def _to_bgr(frame: Image.Image) -> np.ndarray:
    # A 20 MP phone photo is 60 MB per copy: convert only when needed and swap channels in place,
    # so a worker's peak memory stays near two copies, not five.
    frame = ImageOps.exif_transpose(frame)
    if frame.mode != "RGB":
        frame = frame.convert("RGB")
    rgb = np.array(frame)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR, dst=rgb)


def _pdf_pages(data: bytes, settings: Settings) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(f"cannot open the PDF: {_first_line(exc)}") from None
    pages = []
    try:
        for i in range(min(len(pdf), MAX_PAGES)):
            page = pdf[i]
            w_pt, h_pt = page.get_size()
            scale = PDF_DPI / 72
            _check_pixels(int(w_pt * scale), int(h_pt * scale), settings)
            pil = page.render(scale=scale).to_pil()
            pages.append(Page(i, _to_bgr(pil)))
    finally:
        pdf.close()
    if not pages:
        raise InputError("the PDF has no pages")
    return pages


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
