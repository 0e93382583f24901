"""Stage 1: a file on disk -> decoded, upright pages.

Every way a file can be bad ends here as an InputError with a one-line reason, so later
stages only ever see valid pixels.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.core.types import Page, SourceImage

# The file names a folder scan takes (the content still decides the type when a file is read).
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic", ".heif", ".pdf"})
PDF_MAGIC = b"%PDF-"
PDF_DPI = 300
MIB = 1024 * 1024
STRIP_BYTES = 4 * MIB  # a decoded frame is copied into its array this much at a time

try:  # HEIC/HEIF is what phones save; the plugin is optional at import so a broken wheel is not fatal
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - depends on the platform's wheels
    pass


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for a one-line reason (the watcher says the same)."""
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def open_regular(path: Path) -> io.BufferedReader:
    """`path` opened for reading when it is a regular file (a symlink to one is fine). A FIFO or device is refused
    from its stat, never opened: opening a FIFO waits for a writer forever. O_NONBLOCK covers one swapped in
    between the stat and the open, and fstat then refuses it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{kind_of(mode)}, not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"cannot read it: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError(f"{kind_of(mode)}, not a regular file")
    return open(fd, "rb")  # the caller closes it


# What a file without an image suffix is taken as when its header says so (`batch` on a folder). A name does not
# decide (README: the content does), but a folder also holds notes, labels and videos: those are left out.
SNIFFED_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "BMP", "GIF", "HEIF")


def is_image_file(path: Path, by_name: bool = True) -> bool:
    """A regular file to scan: an image or PDF suffix, or, whatever its name (`IMG_0042`, `scan.dat`), a header
    that says PDF or one of the image formats cardscan reads. Only the header is read, nothing decoded.
    `by_name=False`: the header alone decides (a symlink's name says nothing of what it points to)."""
    if by_name and path.suffix.lower() in IMAGE_SUFFIXES:
        return path.is_file()
    try:
        with open_regular(path) as f:
            if f.read(len(PDF_MAGIC)) == PDF_MAGIC:
                return True
            f.seek(0)
            with warnings.catch_warnings():  # Pillow's size warning: the scan checks the size, with its reason
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                Image.init()
                with Image.open(f, formats=[name for name in SNIFFED_FORMATS if name in Image.OPEN]):
                    return True
    except Image.DecompressionBombError:
        return True  # an image all the same: the scan refuses it by the pixel limit, with its reason
    except (InputError, OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return False


def file_digest(path: Path, max_bytes: int) -> str | None:
    """sha256 of a file read in 1 MiB pieces; None when it is over `max_bytes` (known from stat, so a
    3 GB file is refused without reading it), is no regular file (a FIFO is never opened) or cannot be read."""
    try:
        with open_regular(path) as f:
            if os.fstat(f.fileno()).st_size > max_bytes:
                return None
            return hashlib.file_digest(f, "sha256").hexdigest()
    except (OSError, InputError):
        return None


def size_text(size: int) -> str:
    """Sizes as people and `ls -h` count them, in MiB: 300 MiB is "300 MB", not "315 MB" (under 1 MiB in KiB: a
    limit of 512 KiB is not "0 MB")."""
    return f"{size / MIB:.0f} MB" if size >= MIB else f"{size / 1024:.0f} KB"


def too_big(size: int | None, limit: int, of: str = "") -> str:
    """The one line for a file refused by its size (`size` None: known only to be over it, an upload cut off at
    the limit): the size, the limit and what to do, as every refusal says it (scan, the web app, the queue)."""
    over = f"file is {size_text(size)}, over" if size is not None else "file is over"
    return (f"{over} the {size_text(limit)} limit{of}: downscale it or save it as a smaller JPEG "
            "(a photo of a card needs a few MB)")


def read_bytes(path: Path, settings: Settings) -> bytes:
    with open_regular(path) as f:  # one descriptor: the size checked is the size of what is read
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise InputError("empty file (0 bytes)", sha256_of(b""))
        if size > settings.max_file_bytes:
            raise InputError(too_big(size, settings.max_file_bytes))
        return f.read(settings.max_file_bytes + 1)[: settings.max_file_bytes]


# What `load` and `pipeline.scan` take: a file's path, its bytes, or an already decoded BGR image.
Source = Path | str | bytes | np.ndarray


def load(source: Source, settings: Settings | None = None, name: str | None = None) -> SourceImage:
    """Read and decode `source`; raise InputError with a one-line reason when it cannot be used.

    `name` is what results and errors call a source given as bytes or pixels (default `<bytes>`,
    `<image>`); a path is called by itself.

    The whole budget is checked from headers before any pixel is decoded: bytes (from stat), pixels
    per page or frame, pages per file, pixels per file. Pages are then decoded one at a time, from the
    very bytes that were hashed, so a file's memory is its bytes plus one page, however many it has."""
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
            return SourceImage(path, digest, "PDF", _pdf_pages(data, digest, settings))
        fmt, pages, taken_at = _raster_pages(path, data, digest, settings)
    except InputError as exc:
        raise InputError(str(exc), digest) from None
    return SourceImage(path, digest, fmt, pages, taken_at)


def _checked_bytes(data: bytes, settings: Settings) -> bytes:
    if not data:
        raise InputError("empty file (0 bytes)", sha256_of(b""))
    if len(data) > settings.max_file_bytes:
        raise InputError(too_big(len(data), settings.max_file_bytes))
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


class LazyPages(Sequence[Page]):
    """The pages of one file, each decoded when asked for and not kept: a 50-page PDF never holds 50
    rendered pages at once. Page 0 is decoded at once, so a file that cannot be decoded fails in load()."""

    def __init__(self, count: int, decode: Callable[[int], Page], digest: str) -> None:
        self.pages, self.decode, self.digest = count, decode, digest
        self.first = decode(0)

    def __len__(self) -> int:
        return self.pages

    @overload
    def __getitem__(self, index: int) -> Page: ...
    @overload
    def __getitem__(self, index: slice) -> list[Page]: ...

    def __getitem__(self, index: int | slice) -> Page | list[Page]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.pages))]
        if not -self.pages <= index < self.pages:
            raise IndexError(index)
        index %= self.pages
        if index == 0:
            return self.first
        try:
            return self.decode(index)
        except InputError as exc:
            raise InputError(str(exc), self.digest) from None

    def __iter__(self) -> Iterator[Page]:
        for i in range(self.pages):
            yield self[i]


def _check_pixels(width: int, height: int, settings: Settings, what: str = "image") -> None:
    if width * height > settings.max_pixels:
        raise InputError(
            f"{what} is {width}x{height} ({width * height / 1e6:.0f} MP), over the "
            f"{settings.max_pixels / 1e6:.0f} MP limit; downscale it first"
        )
    if min(width, height) < 32:
        raise InputError(f"{what} is only {width}x{height} pixels: too small to hold a readable card")


def _check_pages(count: int, pixels: int, settings: Settings, kind: str) -> None:
    if count > settings.max_pages:
        raise InputError(f"the file has {count} {kind}s; cardscan reads at most {settings.max_pages} per file "
                         "(none of it was read): split it into smaller files")
    if pixels > settings.max_total_pixels:
        raise InputError(f"its {count} {kind}s hold {pixels / 1e6:.0f} MP together, over the "
                         f"{settings.max_total_pixels / 1e6:.0f} MP limit per file: split it or lower its resolution")


def _raster_pages(path: Path, data: bytes, digest: str,
                  settings: Settings) -> tuple[str, LazyPages, datetime | None]:
    # Pillow's own bomb guard raises at 2x its limit and only warns below it; we check the
    # header size ourselves first, so the limit is ours and nothing is decoded before it.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt = img.format or "unknown"
            _check_pixels(img.width, img.height, settings)
            taken_at = taken_on(img)
            # Counting frames reads headers only (Pillow skips the pixel data); but each TIFF page has a
            # size of its own, so each is checked: a small page 1 once hid a 30000x30000 page 2.
            count = getattr(img, "n_frames", 1)
            sizes = [img.size] * min(count, settings.max_pages + 1)
            if fmt == "TIFF" and count <= settings.max_pages:
                for i in range(1, count):
                    img.seek(i)
                    _check_pixels(img.width, img.height, settings, f"page {i + 1}")
                    sizes[i] = img.size
            _check_pages(count, sum(w * h for w, h in sizes), settings, "page" if fmt == "TIFF" else "frame")

        opened: list[Image.Image] = []  # one image kept open: frames read in order are each decoded once

        def decode(i: int) -> Page:
            with _decoding(path):
                if not opened or opened[0].tell() > i:
                    for old in opened:
                        old.close()
                    opened[:] = [Image.open(io.BytesIO(data))]
                img = opened[0]
                img.seek(i)
                page = Page(i, _to_bgr(img))
                if i == count - 1:  # the last page: nothing more to read from it
                    img.close()
                    opened.clear()
                return page

        with _decoding(path):
            pages = LazyPages(count, decode, digest)
    except UnidentifiedImageError:
        raise InputError("not an image file (or a format cardscan cannot read)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(f"cannot decode the {path.suffix or 'image'} file: {_first_line(exc)}") from None
    return fmt, pages, taken_at


@contextmanager
def _decoding(path: Path) -> Iterator[None]:
    # Pillow reports truncated and corrupt data as OSError/SyntaxError with varying wording.
    try:
        yield
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(f"cannot decode the {path.suffix or 'image'} file: {_first_line(exc)}") from None


EXIF_IFD, DATE_TAKEN, DATE_CHANGED, EXIF_ORIENTATION = 0x8769, 0x9003, 0x0132, 0x0112


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
    """The frame as a BGR array, at a peak of about two copies of it (a 20 MP photo is 60 MB per copy).

    exif_transpose returns a copy even when there is nothing to turn, so it runs only when the tag asks
    for a turn; np.array(frame) holds the frame, its tobytes() pieces, their join and the array at once
    (measured: +146 MB for a 10 MP photo, against +60 MB this way), so the pixels come over in strips."""
    if frame.getexif().get(EXIF_ORIENTATION, 1) != 1:
        frame = ImageOps.exif_transpose(frame)
    frame.load()
    width, height = frame.size
    out = np.empty((height, width, 3), np.uint8)
    rows = max(1, STRIP_BYTES // (3 * width))
    for top in range(0, height, rows):
        strip = frame.crop((0, top, width, min(height, top + rows)))
        # Colour conversions are per pixel, so a strip converts exactly as the whole frame would.
        rgb = np.asarray(strip if strip.mode == "RGB" else strip.convert("RGB"))
        # Into the array's own rows: OpenCV copies the whole source first when asked to convert in place.
        cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR, dst=out[top:top + rows])
    return out


def _pdf_pages(data: bytes, digest: str, settings: Settings) -> LazyPages:
    import pypdfium2 as pdfium

    scale = PDF_DPI / 72
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_FORMAT:  # a password, say, keeps PDFium's words
            raise InputError(_broken_pdf(data)) from None
        raise InputError(f"cannot open the PDF: {_first_line(exc)}") from None
    try:
        count = len(pdf)
        if count == 0:
            raise InputError("the PDF has no pages")
        total = 0
        for i in range(min(count, settings.max_pages + 1)):  # sizes only: nothing is rendered yet
            w_pt, h_pt = pdf[i].get_size()
            width, height = int(w_pt * scale), int(h_pt * scale)
            _check_pixels(width, height, settings, f"page {i + 1} at {PDF_DPI} dpi")
            total += width * height
        _check_pages(count, total, settings, "page")
    finally:
        pdf.close()

    def render(i: int) -> Page:
        doc = pdfium.PdfDocument(data)
        try:
            return Page(i, _to_bgr(doc[i].render(scale=scale).to_pil()))
        except pdfium.PdfiumError as exc:
            raise InputError(f"cannot render page {i + 1} of the PDF: {_first_line(exc)}") from None
        finally:
            doc.close()

    return LazyPages(count, render, digest)


def _broken_pdf(data: bytes) -> str:
    """What to do about a PDF PDFium calls "Data format error": most often a copy or download cut short (a PDF
    ends with %%EOF; a cut-off one does not), else one damaged by the program that wrote it."""
    if b"%%EOF" not in data[-1024:]:
        return ("the PDF is cut off (it stops before its end, %%EOF): the copy or download stopped early; "
                "copy it again")
    return "the PDF is damaged (PDFium cannot read its structure): export or save it again from where it came from"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
