"""QR codes on a card: many carry the contact as a vCard or MeCard, or the company's URL.

zxing-cpp decodes them (a maintained C++ port of ZXing with wheels that bundle it); what they
say is parsed and merged with the OCR reading in pipeline.extract.codes.
"""

from __future__ import annotations

import numpy as np
import zxingcpp

# Codes a card carries; barcodes of goods (EAN) or tickets are not contact data.
FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode, zxingcpp.BarcodeFormat.DataMatrix)


def read_codes(image: np.ndarray) -> list[str]:
    """The text of every QR code in the image, in reading order, without repeats."""
    found = zxingcpp.read_barcodes(image, formats=FORMATS)
    ordered = sorted(found, key=lambda r: (r.position.top_left.y, r.position.top_left.x))
    return list(dict.fromkeys(r.text for r in ordered if r.valid and r.text.strip()))
