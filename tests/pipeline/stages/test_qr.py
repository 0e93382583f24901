"""QR codes read off real card images: the code's fields reach the result and win over OCR."""

import io
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import segno

from cardgen import generate_set
from pipeline.extract.codes import parse_code
from pipeline.stages.qr import blank_codes, find_codes, read_codes
from pipeline.stages.run import scan_image
from tests.conftest import SAMPLES


def vcard_of(label: dict[str, Any], extra_url: str) -> str:
    p = label["name_parts"]
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{p['family']};{p['given']};{p['middle'] or ''};;",
             f"FN:{label['name']}", f"ORG:{label['company']}", f"TITLE:{label['title']}", f"URL:{extra_url}"]
    kinds = {"mobile": "CELL", "work": "WORK", "fax": "FAX", "home": "HOME", "other": "VOICE"}
    lines += [f"TEL;TYPE={kinds[t['type']]}:{t['number']}" + (f";ext={t['extension']}" if t["extension"] else "")
              for t in label["phones"]]
    lines += [f"EMAIL:{e}" for e in label["emails"]]
    return "\n".join([*lines, "END:VCARD"])


def with_qr(page: np.ndarray, bbox: list[float], payload: str, size: int = 170) -> np.ndarray:
    """The page with a QR code printed on the first blank square inside the card."""
    buf = io.BytesIO()
    segno.make(payload, error="m").save(buf, kind="png", scale=1, border=2)
    code = cv2.imdecode(np.frombuffer(buf.getvalue(), np.uint8), cv2.IMREAD_GRAYSCALE)
    code = cv2.resize(code, (size, size), interpolation=cv2.INTER_NEAREST)
    xs, ys = bbox[0::2], bbox[1::2]
    ink = cv2.integral((cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) < 170).astype(np.uint8))
    for y in range(int(min(ys)) + 30, int(max(ys)) - 30 - size, 8):
        for x in range(int(min(xs)) + 30, int(max(xs)) - 30 - size, 8):
            if ink[y + size, x + size] - ink[y, x + size] - ink[y + size, x] + ink[y, x] == 0:
                out = page.copy()
                out[y:y + size, x:x + size] = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
                return out
    raise AssertionError("no blank square on the card for the code")


def test_a_vcard_code_on_a_card_fills_every_field_and_wins(tmp_path: Path) -> None:
    label = json.loads((SAMPLES / "ru_classic_scan.png.json").read_text(encoding="utf-8"))["cards"][0]
    payload = vcard_of(label, "https://granit.net/team")  # a site the card does not print
    image = tmp_path / "card.png"
    cv2.imwrite(str(image), with_qr(cv2.imread(str(SAMPLES / "ru_classic_scan.png")), label["bbox"], payload))
    (card,) = scan_image(image).cards
    f = card.fields
    assert f.codes == [payload]
    assert (f.name, f.title, f.company) == (label["name"], label["title"], label["company"])
    assert sorted((p.number, p.type, p.extension) for p in f.phones) == sorted(
        (p["number"], p["type"], p["extension"]) for p in label["phones"])
    assert sorted(f.emails) == sorted(label["emails"])
    assert "https://granit.net/team" in f.websites
    assert f.confidence["name"] == 1.0 and "name" not in f.guesses


def test_a_code_is_read_whichever_way_the_card_lies() -> None:
    label = json.loads((SAMPLES / "en_left_logo_scan.jpg.json").read_text(encoding="utf-8"))["cards"][0]
    page = with_qr(cv2.imread(str(SAMPLES / "en_left_logo_scan.jpg")), label["bbox"], "https://silverline.example")
    for turn in (None, cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE):
        turned = page if turn is None else cv2.rotate(page, turn)
        assert read_codes(turned) == ["https://silverline.example"]
    # At an angle too: the decoder is not asked to turn the image (try_rotate, for linear barcodes).
    h, w = page.shape[:2]
    tilted = cv2.warpAffine(page, cv2.getRotationMatrix2D((w / 2, h / 2), 10, 1.0), (w, h),
                            borderValue=(255, 255, 255))
    assert read_codes(tilted) == ["https://silverline.example"]
    assert read_codes(cv2.imread(str(SAMPLES / "en_left_logo_scan.jpg"))) == []


@pytest.mark.slow
def test_generated_cards_give_the_fields_of_their_printed_code(tmp_path: Path) -> None:
    """A Russian card with a vCard and an English one with a MeCard, rendered and scanned by cardgen."""
    images = generate_set(tmp_path, 2, seed=6, conditions=("scan",), qr=1.0)
    kinds = []
    for image in images:
        label = json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))["cards"][0]
        kinds.append(label["qr"])
        (card,) = scan_image(image).cards
        (payload,) = card.fields.codes
        code = parse_code(payload, None)
        assert code is not None and code.phones and code.emails
        assert {p.number for p in code.phones} <= {p.number for p in card.fields.phones}
        assert [p.number for p in card.fields.phones] == [p["number"] for p in label["phones"]]
        assert card.fields.emails == label["emails"]
        assert card.fields.name == label["name"]
    assert kinds == ["vcard", "mecard"]


@pytest.mark.slow
def test_a_blanked_code_is_gone_and_nothing_else_changed(tmp_path: Path) -> None:
    (image,) = generate_set(tmp_path, 1, seed=6, conditions=("scan",), qr=1.0)
    page = cv2.imread(str(image))
    (code,) = find_codes(page)
    blank = blank_codes(page, [code])
    assert find_codes(blank) == []
    changed = np.argwhere((blank != page).any(axis=2))
    (x0, y0), (x1, y1) = code.corners.min(axis=0), code.corners.max(axis=0)
    side = x1 - x0
    assert changed[:, 1].min() >= x0 - 0.3 * side and changed[:, 1].max() <= x1 + 0.3 * side
    assert changed[:, 0].min() >= y0 - 0.3 * side and changed[:, 0].max() <= y1 + 0.3 * side
