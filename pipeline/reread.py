"""Read again, in Latin script only, the lines that hold an e-mail address or a web address.

With `rus+eng` Tesseract sometimes reads a Latin address in Cyrillic look-alikes
('гедта@\\уеКогги'); addresses are Latin by nature, so an `eng`-only reading of just that
line is the better evidence. Only suspicious lines are read again: it costs one small
Tesseract call each.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .config import Settings
from .extract.emails import find_emails
from .extract.web import find_links
from .ocr import recognise
from .types import OcrLine, OcrResult, OcrWord

ADDRESS_HINT = re.compile(r"@|www|http|\.(?:ru|com|net|org)\b", re.IGNORECASE)
# 'freya walsh@...': a word just before the address may be the first half of its local part,
# its '_' or '.' lost; a closer look at the line decides.
SPLIT_LOCAL = re.compile(r"[a-z0-9]\s+[a-z0-9._-]+@", re.IGNORECASE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
PSM_SINGLE_LINE = 7
PAD = 0.3  # of the line height, around the line crop


def needs_reread(line: OcrLine) -> bool:
    """A web or mail address with Cyrillic letters or characters no address has."""
    for word in line.words:
        if ADDRESS_HINT.search(word.text) and (CYRILLIC.search(word.text) or re.search(r"[{}\\$!|]", word.text)):
            return True
    return bool(SPLIT_LOCAL.search(line.text))


def reread_addresses(image: np.ndarray, ocr: OcrResult, settings: Settings) -> OcrResult:
    if "eng" not in settings.lang.split("+"):
        return ocr
    latin = replace(settings, lang="eng")
    lines = [(_reread(image, line, latin) if needs_reread(line) else line) for line in ocr.lines]
    return OcrResult(tuple(lines), ocr.width, ocr.height)


def _reread(image: np.ndarray, line: OcrLine, settings: Settings) -> OcrLine:
    pad = int(PAD * line.height) + 4
    right = max(w.left + w.width for w in line.words)
    top, bottom = max(0, line.top - pad), min(image.shape[0], line.bottom + pad)
    left, right = max(0, line.left - pad), min(image.shape[1], right + pad)
    again = recognise(image[top:bottom, left:right], settings, psm=PSM_SINGLE_LINE)
    words = [w for ln in again.lines for w in ln.words]
    if not words:
        return line
    # Back into card coordinates, so layout evidence stays valid.
    moved = OcrLine(tuple(OcrWord(w.text, w.conf, w.left + left, w.top + top, w.width, w.height) for w in words))
    return moved if _addresses_in(moved) > _addresses_in(line) else line


def _addresses_in(line: OcrLine) -> tuple[int, int]:
    """Valid e-mail and web addresses a line yields, then their length: the judge between two
    readings (the longer of two valid readings kept the part the other dropped)."""
    emails, links = find_emails([line]), find_links([line])
    return len(emails) + len(links), sum(len(e.address) for e in emails) + sum(len(k.url) for k in links)
