"""QR codes read off real card images: the code's fields reach the result and win over OCR."""

import io
import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno

from pipeline.qr import read_codes
from pipeline.scan import scan_image
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
    for turn in (None, cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180):
        turned = page if turn is None else cv2.rotate(page, turn)
        assert read_codes(turned) == ["https://silverline.example"]
    assert read_codes(cv2.imread(str(SAMPLES / "en_left_logo_scan.jpg"))) == []
