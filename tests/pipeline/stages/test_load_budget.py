"""One budget per input file, checked from headers before anything is decoded (issue 17, items 3 and 8):
every TIFF page, all pages of a PDF together, the frames of an animated GIF, and a file over the byte
limit never read. Each crafted file is small; what it claims is not."""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image

from pipeline.cli import main
from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.stages.load import load
from pipeline.stages.run import scan_image
from tests.conftest import PEAK_KIB, SAMPLES


def _tiff_with_big_page_2(width: int, height: int) -> bytes:
    """Two small uncompressed pages; the second IFD's width and height then claim `width` x `height`."""
    buf = io.BytesIO()
    small = Image.new("L", (64, 64), 255)
    small.save(buf, "TIFF", save_all=True, append_images=[Image.new("L", (64, 64), 0)])
    data = bytearray(buf.getvalue())
    fmt = "<" if data[:2] == b"II" else ">"
    ifd = struct.unpack(fmt + "I", data[4:8])[0]
    ifd = struct.unpack(fmt + "I", data[ifd + 2 + 12 * struct.unpack(fmt + "H", data[ifd:ifd + 2])[0]:][:4])[0]
    for k in range(struct.unpack(fmt + "H", data[ifd:ifd + 2])[0]):
        entry = ifd + 2 + 12 * k
        tag, kind = struct.unpack(fmt + "HH", data[entry:entry + 4])
        if tag in (256, 257):  # ImageWidth, ImageLength
            value = width if tag == 256 else height
            data[entry + 8:entry + 12] = struct.pack(fmt + ("HH" if kind == 3 else "I"), *(
                (value, 0) if kind == 3 else (value,)))
    return bytes(data)


def _gif(width: int, height: int, frames: int) -> bytes:
    """An animated GIF with a `width` x `height` screen and `frames` frames of one pixel each (a few bytes
    per frame): a decoder paints every frame onto the whole screen."""
    out = bytearray(b"GIF89a" + struct.pack("<HH", width, height) + bytes([0x80, 0, 0]) + b"\0\0\0\xff\xff\xff")
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0\0"
    for _ in range(frames):
        out += b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 1/100 s per frame
        out += b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\0" + b"\x02\x02\x44\x01\x00"
    return bytes(out + b"\x3b")


def _pdf(pages: int, width_pt: float = 252, height_pt: float = 144) -> bytes:
    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(width_pt, height_pt)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    return buf.getvalue()


def test_every_tiff_page_is_size_checked(tmp_path: Path) -> None:
    path = tmp_path / "scan.tiff"
    path.write_bytes(_tiff_with_big_page_2(12000, 12000))
    assert path.stat().st_size < 20_000
    with pytest.raises(InputError, match=r"page 2 is 12000x12000 \(144 MP\), over the 80 MP limit"):
        load(path)


def test_an_animated_gif_named_jpg_is_refused_by_its_frames(tmp_path: Path) -> None:
    many = tmp_path / "card.jpg"
    many.write_bytes(_gif(6000, 6000, 3000))  # the file: 405 s and 5.8 GB before
    start = time.monotonic()
    with pytest.raises(InputError, match="3000 frames; cardscan reads at most 50"):
        load(many)
    assert time.monotonic() - start < 5
    big = tmp_path / "anim.jpg"
    big.write_bytes(_gif(6000, 6000, 20))  # 20 x 36 MP
    with pytest.raises(InputError, match="20 frames hold 720 MP together, over the 500 MP limit"):
        load(big)
    few = tmp_path / "small.gif"
    few.write_bytes(_gif(400, 250, 3))
    source = load(few)
    assert len(source.pages) == 3 and [p.image.shape for p in source.pages] == [(250, 400, 3)] * 3


def test_pdf_pages_are_bounded_in_total_before_any_is_rendered(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    side = 2092  # points: 8716 px at 300 dpi, 76 MP a page, just under the per-page limit
    path.write_bytes(_pdf(50, side, side))  # the 5 KB PDF that reached 5.7 GB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError, match="50 pages hold 3798 MP together, over the 500 MP limit"):
        load(path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB: nothing rendered


def test_a_pdf_past_the_page_cap_is_an_error_not_a_silent_no_card(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_pdf(51))
    result = scan_image(path)
    assert result.status == "error" and not result.cards
    assert result.error == ("the file has 51 pages; cardscan reads at most 50 per file (none of it was read): "
                            "split it into smaller files")
    cli = CliRunner().invoke(main, ["scan", str(path), "--no-store"])
    assert cli.exit_code == 1 and "51 pages" in cli.output


def test_pages_are_decoded_one_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pdf(3))
    source = load(path)
    assert len(source.pages) == 3 and [p.index for p in source.pages] == [0, 1, 2]
    assert source.pages[-1].image.shape == (600, 1050, 3)  # 252 x 144 pt at 300 dpi
    assert load(path, Settings(max_pages=3)).pages[2].index == 2
    with pytest.raises(InputError, match="3 pages"):
        load(path, Settings(max_pages=2))


@pytest.mark.skipif(sys.platform != "linux", reason="sparse files and ru_maxrss in KiB")
def test_a_file_over_the_size_limit_is_never_read(tmp_path: Path) -> None:
    """3 GB (sparse: no disk used) named .jpg: refused from its size, in well under a second, in a process
    whose peak memory stays that of Python and the libraries."""
    path = tmp_path / "video.jpg"
    with path.open("wb") as f:
        f.truncate(3 * 1024**3)
    probe = ("import resource, sys, time; from pipeline.stages.run import scan_image; t = time.monotonic(); "
             "r = scan_image(sys.argv[1]); print(" + PEAK_KIB + ", r.status, "
             "round(time.monotonic() - t, 3), r.error)")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}).stdout
    peak_kib, status, seconds, error = out.split(" ", 3)
    assert status == "error" and float(seconds) < 1.0
    # MiB, as ls -h counts; and what to do about it, in the same line
    assert error.strip() == ("file is 3072 MB, over the 200 MB limit: downscale it or save it as a smaller JPEG "
                             "(a photo of a card needs a few MB)")
    assert int(peak_kib) < 1_000_000  # Python, OpenCV, Pillow and the OCR engine: nowhere near the file's 3 GB


def test_later_pages_come_from_the_bytes_that_were_hashed(tmp_path: Path) -> None:
    """Pages are decoded from the bytes load() read and hashed, not from the path again: a file replaced
    in the middle of a scan cannot give its pixels to the old file's hash."""
    path = tmp_path / "anim.gif"
    path.write_bytes(_gif(400, 250, 3))
    source = load(path)
    path.write_bytes((SAMPLES / "ru_classic_scan.png").read_bytes())  # replaced while page 1 is being read
    assert [p.image.shape for p in source.pages] == [(250, 400, 3)] * 3


def test_a_file_over_the_time_limit_stops_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(_pdf(3))
    result = scan_image(path, Settings(max_seconds=0.0))
    assert result.status == "error" and result.error is not None
    assert result.error.startswith("stopped after page 1 of 3: over the 0 s limit per file")
    assert result.sha256 == load(path).sha256
