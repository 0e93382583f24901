"""QR codes on a card: many carry the contact as a vCard or MeCard, or the company's URL.

zxing-cpp decodes them (a maintained C++ port of ZXing with wheels that bundle it); what they
say is parsed and merged with the OCR reading in pipeline.extract.codes. The code is then painted
over before OCR, which would otherwise read its modules as stray letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import cv2
import numpy as np
import zxingcpp

# Codes a card carries; barcodes of goods (EAN) or tickets are not contact data.
# A tuple, as zxing-cpp now asks (its type stubs still name only its older flag set).
FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode, zxingcpp.BarcodeFormat.DataMatrix)
# A card cut out smaller than this (long side, px) is looked at again at twice the size when no code
# is found: a dense vCard code on a card on an A4 page or a small scan has modules of 1.5-3 px,
# and the cutting out (a cubic warp) softens them further. On a tuning set (seed 7, 94 cards with a
# code) this read 9 more codes (turned scans 10 -> 11 of 11, A4 pages 34 -> 42 of 48) and no fewer;
# it costs one more decoding, ~7 ms on average, on a card without a code.
UPSCALE_BELOW = 1600
QUIET_MODULES = 3.0  # blanked around a QR code: its quiet zone (2-4 modules) and the blur at its edge
QUIET_SHARE = 0.1  # of the code's side, when its module count is unknown (Micro QR, Data Matrix)


@dataclass(frozen=True)
class Code:
    text: str
    corners: np.ndarray  # (4, 2) float32, image px: top-left, top-right, bottom-right, bottom-left
    margin: float  # px around the corners that belong to the code (its quiet zone)


def read_codes(image: np.ndarray) -> list[str]:
    """The text of every QR code in the image, in reading order, without repeats."""
    return [code.text for code in find_codes(image)]


def find_codes(image: np.ndarray) -> list[Code]:
    """Every QR code in the image with where it is, in reading order, without repeats."""
    codes = _decode(image, 1.0)
    if not codes and max(image.shape[:2]) < UPSCALE_BELOW:
        codes = _decode(cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), 2.0)
    return codes


def _decode(image: np.ndarray, scale: float) -> list[Code]:
    # try_rotate turns the image for linear barcodes; the 2D codes' finder patterns are found at any angle
    # (the same codes on 191 card crops and on 72 turned crops with a code, tuning seed 7; 21 -> 14 ms a card).
    found = [r for r in zxingcpp.read_barcodes(image, formats=FORMATS, try_rotate=False)  # type: ignore[arg-type]
             if r.valid and r.text.strip()]
    found.sort(key=lambda r: (r.position.top_left.y, r.position.top_left.x))
    codes: dict[str, Code] = {}
    for r in found:
        p = r.position
        corners = np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)],
                           np.float32) / scale
        codes.setdefault(r.text, Code(r.text, corners, _margin(r, corners)))
    return list(codes.values())


def _margin(result: zxingcpp.Barcode, corners: np.ndarray) -> float:
    side = float(np.mean([np.linalg.norm(corners[i] - corners[i - 1]) for i in range(4)]))
    extra = cast(dict[str, Any], result.extra)
    version = str(extra.get("Version", "")) if result.format == zxingcpp.BarcodeFormat.QRCode else ""
    if version.isdigit():
        return QUIET_MODULES * side / (17 + 4 * int(version))
    return QUIET_SHARE * side


def blank_codes(image: np.ndarray, codes: list[Code]) -> np.ndarray:
    """The image with each code and its quiet zone filled with the colour just around it."""
    out = image.copy()
    for code in codes:
        centre = code.corners.mean(axis=0)
        half = float(np.mean(np.linalg.norm(code.corners - centre, axis=1)))
        grown = centre + (code.corners - centre) * (1 + code.margin * np.sqrt(2) / half)
        outline = np.rint(grown).astype(np.int32)
        ring = np.zeros(image.shape[:2], np.uint8)
        cv2.polylines(ring, [outline], True, 255, 3)
        if ring.any():
            colour = np.median(image[ring > 0], axis=0)
            cv2.fillPoly(out, [outline], tuple(float(v) for v in np.atleast_1d(colour)))
    return out
