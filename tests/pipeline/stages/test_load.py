import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.core.config import Settings
from pipeline.core.errors import InputError
from pipeline.stages.load import STRIP_BYTES, load
from pipeline.stages.run import scan_image
from tests.conftest import SAMPLES, label_of


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


@pytest.mark.parametrize("mode", ["RGB", "L", "RGBA", "P", "CMYK", "I;16", "1"])
def test_pixels_arrive_as_bgr_whatever_the_mode(tmp_path: Path, mode: str) -> None:
    # Tall enough to come over in several strips, the last one short.
    rgb = np.random.default_rng(2).integers(0, 255, (3 * STRIP_BYTES // (3 * 700) + 17, 700, 3), np.uint8)
    image = Image.fromarray(rgb)
    image = image.convert("I").convert("I;16") if mode == "I;16" else image.convert(mode)
    path = tmp_path / f"{mode.replace(';', '')}.tiff"
    image.save(path)
    expected = np.asarray(Image.open(path).convert("RGB"))[..., ::-1]
    assert np.array_equal(load(path).pages[0].image, expected)


def test_decoding_holds_about_one_copy_beside_the_frame() -> None:
    """np.array(frame) held the frame's tobytes() pieces, their join and the array at once (3 copies in
    Python's heap; a 20 MP photo peaked 280 MB over the worker); strips keep it to the array and one strip."""
    import tracemalloc

    from pipeline.stages.load import _to_bgr

    frame = Image.fromarray(np.random.default_rng(3).integers(0, 255, (3000, 2000, 3), np.uint8))
    tracemalloc.start()
    try:
        image = _to_bgr(frame)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.array_equal(image, np.asarray(frame)[..., ::-1])
    assert peak < image.nbytes + 4 * STRIP_BYTES, (peak, image.nbytes)  # 3 copies before


def test_multi_page_tiff_and_pdf_give_every_page(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (300, 200), c) for c in ("white", "gray", "black")]
    tiff = tmp_path / "scan.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    assert len(load(tiff).pages) == 3
    pdf = tmp_path / "scan.jpg"  # a PDF under a .jpg name: the content decides, not the name
    frames[0].save(pdf, "PDF", save_all=True, append_images=frames[1:2])
    source = load(pdf)
    assert (source.format, len(source.pages)) == ("PDF", 2)


@pytest.mark.slow
def test_heic_from_a_phone_is_read(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")
    card = Image.open(SAMPLES / "en_left_logo_scan.jpg").convert("RGB")
    path = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(card).save(path, quality=90)
    source = load(path)
    assert source.format == "HEIF"
    assert source.pages[0].image.shape == (card.height, card.width, 3)
    # HEVC is lossy: the picture is the card, not just an image of the right size.
    assert np.abs(source.pages[0].image[:, :, ::-1].astype(int) - np.asarray(card, int)).mean() < 6


@pytest.mark.slow
def test_every_page_of_a_tiff_and_a_pdf_gives_its_card(tmp_path: Path) -> None:
    """Two different cards, one per page: each page is scanned and each card read from it."""
    names = ["en_left_logo_scan.jpg", "ru_classic_scan.png"]
    pages = [Image.open(SAMPLES / name).convert("RGB") for name in names]
    tiff, pdf = tmp_path / "two.tiff", tmp_path / "two.pdf"
    pages[0].save(tiff, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    pages[0].save(pdf, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    for path in (tiff, pdf):
        result = scan_image(path, Settings())
        assert result.status == "ok", result.error
        by_page = {c.page: c.fields for c in result.cards}
        assert sorted(by_page) == [0, 1], path.name
        for page, name in enumerate(names):
            # The card read from each page is that page's card: it shares its contacts with the label.
            label = label_of(SAMPLES / name)["cards"][0]
            read = {p.number for p in by_page[page].phones} | set(by_page[page].emails)
            printed = {p["number"] for p in label["phones"]} | set(label["emails"])
            assert len(read & printed) >= 2, (path.name, page, read, printed)


def test_the_date_a_photo_was_taken_comes_from_its_exif(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    photo, plain = tmp_path / "dated.jpg", tmp_path / "plain.jpg"
    image = Image.new("RGB", (320, 200), "white")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2024:03:15 10:20:30"
    image.save(photo, exif=exif)
    image.save(plain)
    assert load(photo).taken_at == datetime(2024, 3, 15, 10, 20, 30, tzinfo=UTC)
    assert load(plain).taken_at is None


def test_a_cut_off_or_damaged_pdf_says_what_happened_and_what_to_do(tmp_path: Path) -> None:
    """PDFium's "Failed to load document (PDFium: Data format error)" told a user nothing: a PDF whose copy
    stopped early says it is cut off and to copy it again; one damaged inside, to export it again."""
    from pipeline.core.errors import InputError
    from pipeline.stages.load import load

    whole = tmp_path / "scan.pdf"
    Image.open(SAMPLES / "ru_classic_scan.png").convert("RGB").save(whole, "PDF", resolution=300)
    data = whole.read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        with pytest.raises(InputError, match=r"^the PDF is cut off .*: the copy or download stopped early; "
                                             r"copy it again$"):
            load(data[:cut])
    damaged = data.replace(b" obj", b" xbj")  # no object PDFium can find, though it ends as a PDF does
    with pytest.raises(InputError, match=r"^the PDF is damaged .*: export or save it again"):
        load(damaged)
