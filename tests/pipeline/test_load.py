import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.load import load


def _png_claiming(width: int, height: int) -> bytes:
    """A valid tiny PNG whose header claims another size: a decompression bomb without the memory."""
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "empty.jpg", "empty file"),
        (b"hello, this is text\n", "note.jpg", "not an image"),
        (_png_claiming(20000, 20000), "huge.png", "over the"),
    ],
)
def test_bad_files_give_one_line_reasons(tmp_path: Path, content: bytes, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load(path, Settings())
    assert reason in str(exc.value)
    assert "\n" not in str(exc.value)
    assert path.read_bytes() == content  # never touched


def test_truncated_jpeg(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 400, 3), np.uint8)).save(buf, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(InputError, match="cannot decode"):
        load(path, Settings())


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    img = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: display rotated 90 degrees clockwise
    path = tmp_path / "phone.jpg"
    img.save(path, exif=exif)
    page = load(path).pages[0]
    assert page.image.shape[:2] == (400, 200)


def test_multi_page_tiff_and_pdf_give_every_page(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (300, 200), c) for c in ("white", "gray", "black")]
    tiff = tmp_path / "scan.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    assert len(load(tiff).pages) == 3
    pdf = tmp_path / "scan.jpg"  # a PDF under a .jpg name: the content decides, not the name
    frames[0].save(pdf, "PDF", save_all=True, append_images=frames[1:2])
    source = load(pdf)
    assert (source.format, len(source.pages)) == ("PDF", 2)
