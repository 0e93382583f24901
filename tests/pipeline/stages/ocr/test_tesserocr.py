"""The in-process engine reads exactly what the `tesseract` program reads (the pytesseract engine):
same library, same pixels, same (estimated) resolution, so the default engine scores as pytesseract did."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.stages.ocr import get_engine
from pipeline.stages.ocr import tesserocr as in_process
from tests.conftest import SAMPLES

# Read differently by tesserocr's SetImage(PIL image), which hands Tesseract 96 dpi; small, so quick.
SMALL_PHOTO = SAMPLES / "en_extension_lowres.jpg"


def _words(image: np.ndarray, engine: str, psm: int) -> list[tuple[str, int, int, int, int]]:
    read = get_engine(engine).recognise(image, "rus+eng", psm, 60.0)
    return [(w.text, w.left, w.top, w.width, w.height) for line in read.lines for w in line.words]


def test_the_in_process_library_is_the_system_tesseract() -> None:
    assert in_process.program_version(), "the tesseract program is missing: make setup"
    assert in_process.library_mismatch() is None, in_process.library_mismatch()


@pytest.mark.parametrize(("image", "colour", "psm"), [(SMALL_PHOTO, False, 11), (SMALL_PHOTO, True, 6)])
def test_both_engines_read_the_same_words_in_the_same_boxes(image: Path, colour: bool, psm: int) -> None:
    pixels = cv2.imread(str(image), cv2.IMREAD_COLOR if colour else cv2.IMREAD_GRAYSCALE)
    cli = _words(pixels, "pytesseract", psm)
    assert len(cli) > 15
    assert _words(pixels, "tesseract", psm) == cli


def test_both_engines_find_a_turned_card_the_same_way() -> None:
    turned = cv2.rotate(cv2.imread(str(SMALL_PHOTO), cv2.IMREAD_GRAYSCALE), cv2.ROTATE_90_CLOCKWISE)
    found = get_engine("tesseract").orientation(turned, 60.0)
    assert found == get_engine("pytesseract").orientation(turned, 60.0)
    assert found == 90


def test_a_different_library_is_named_with_the_way_to_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(in_process, "program_version", lambda: "0.0.1")
    message = in_process.library_mismatch()
    assert message and "0.0.1" in message and in_process._tesseract_version() in message
    assert "--no-binary tesserocr" in message


class _Recorder:
    def SetImageBytes(self, data: bytes, width: int, height: int, bpp: int, bpl: int) -> None:
        self.args = (data, width, height, bpp, bpl)


@pytest.mark.parametrize("shape", [(60, 90), (60, 90, 3), (60, 90, 4)])
def test_pixels_go_to_tesseract_as_pillow_would_hand_them(shape: tuple[int, ...]) -> None:
    """The array's own bytes, as Pillow's L/RGB/RGBA tobytes() gave them, a crop (a view) included."""
    from PIL import Image

    image = np.random.default_rng(4).integers(0, 255, shape, np.uint8)[5:55, 7:80]  # not contiguous
    pil = Image.fromarray(np.ascontiguousarray(image))
    channels = len(pil.getbands())
    api = _Recorder()
    in_process._set_image(api, image)
    assert api.args == (pil.tobytes(), pil.width, pil.height, channels, pil.width * channels)
