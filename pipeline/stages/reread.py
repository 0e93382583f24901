"""Read again, in Latin script only, the lines that hold an e-mail or web address, and the digits of number lines.

With `rus+eng` Tesseract sometimes reads a Latin address in Cyrillic look-alikes
('гедта@\\уеКогги'); addresses are Latin by nature, so an `eng`-only reading of just that
line is the better evidence. Only suspicious lines are read again: it costs one small
Tesseract call each.

Digits too: `rus+eng` reads some faces' 3 as 5 ('503-55-56' for '503-35-36'), `eng` does not.
All number lines of a card are read again in one call, stacked into one image, and only the
words holding digits take the `eng` reading; the labels beside them ('тел.', 'моб.') stay.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from pipeline.core.config import Settings
from pipeline.core.types import OcrLine, OcrResult, OcrWord
from pipeline.extract.emails import find_emails
from pipeline.extract.web import find_links
from pipeline.stages.ocr import recognise

ADDRESS_HINT = re.compile(r"@|www|http|\.(?:ru|com|net|org)\b", re.IGNORECASE)
# 'freya walsh@...': a word just before the address may be the first half of its local part,
# its '_' or '.' lost; a closer look at the line decides.
SPLIT_LOCAL = re.compile(r"[a-z0-9]\s+[a-z0-9._-]+@", re.IGNORECASE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
PSM_SINGLE_LINE = 7
PSM_BLOCK = 6  # the stacked number lines: one uniform block of text
PAD = 0.3  # of the line height, around the line crop


def needs_reread(line: OcrLine) -> bool:
    """A web or mail address with Cyrillic letters or characters no address has."""
    for word in line.words:
        if ADDRESS_HINT.search(word.text) and (CYRILLIC.search(word.text) or re.search(r"[{}\\$!|]", word.text)):
            return True
    return bool(SPLIT_LOCAL.search(line.text))


MIN_DIGITS = 7  # a line with fewer holds no phone number
STRIP_GAP = 20  # px of white between stacked lines, so Tesseract keeps them apart
THIRD_SCALE = 1.5  # the deciding reading is made larger: another view of the same strokes


def reread_digits(image: np.ndarray, ocr: OcrResult, settings: Settings) -> OcrResult:
    if "eng" not in settings.lang.split("+"):
        return ocr
    chosen = [i for i, line in enumerate(ocr.lines) if sum(c.isdigit() for c in line.text) >= MIN_DIGITS]
    if not chosen:
        return ocr
    strips = [_box(image, ocr.lines[i]) for i in chosen]
    stack, offsets = _stack(image, strips)
    latin = replace(settings, lang="eng")
    second = _per_line(_read(stack, latin, 1.0), strips, offsets)
    third: list[list[OcrWord]] | None = None
    if any(_disputed(ocr.lines[i], second[n]) for n, i in enumerate(chosen)):
        # Both readings can be sure and still differ (3 and 5 in some faces): a third, larger one decides.
        third = _per_line(_read(stack, latin, THIRD_SCALE), strips, offsets)
    lines = list(ocr.lines)
    for n, i in enumerate(chosen):
        lines[i] = _with_digits_from(lines[i], second[n], third[n] if third else None)
    return OcrResult(tuple(lines), ocr.width, ocr.height)


def _read(stack: np.ndarray, settings: Settings, scale: float) -> list[OcrWord]:
    """The stack's words, in the stack's own pixels whatever scale it was read at."""
    image = stack if scale == 1.0 else cv2.resize(stack, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    words = [w for ln in recognise(image, settings, psm=PSM_BLOCK).lines for w in ln.words]
    return [OcrWord(w.text, w.conf, round(w.left / scale), round(w.top / scale), round(w.width / scale),
                    round(w.height / scale)) for w in words]


def _per_line(words: list[OcrWord], strips: list[tuple[int, int, int, int]], offsets: list[int]) -> list[list[OcrWord]]:
    """The stack's words sorted back to their lines, in card coordinates."""
    out = []
    for (top, left, bottom, _), y0 in zip(strips, offsets, strict=True):
        out.append([OcrWord(w.text, w.conf, w.left + left, w.top - y0 + top, w.width, w.height) for w in words
                    if y0 <= w.top + w.height / 2 < y0 + bottom - top])
    return out


def _digits_over(word: OcrWord, words: list[OcrWord]) -> tuple[list[str], list[OcrWord]]:
    over = [w for w in words if _overlap(word, w) > 0.5]
    return [c for w in over for c in w.text if c.isdigit()], over


def _disputed(line: OcrLine, latin: list[OcrWord]) -> bool:
    for word in line.words:
        mine = [c for c in word.text if c.isdigit()]
        theirs, _ = _digits_over(word, latin)
        if mine and len(theirs) == len(mine) and theirs != mine:
            return True
    return False


def _box(image: np.ndarray, line: OcrLine) -> tuple[int, int, int, int]:
    pad = int(PAD * line.height) + 4
    right = max(w.left + w.width for w in line.words)
    return (max(0, line.top - pad), max(0, line.left - pad), min(image.shape[0], line.bottom + pad),
            min(image.shape[1], right + pad))


def _stack(image: np.ndarray, boxes: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, list[int]]:
    """The line crops one under another on white, and where each starts."""
    width = max(r - x for _, x, _, r in boxes)
    height = sum(b - t + STRIP_GAP for t, _, b, _ in boxes) + STRIP_GAP
    canvas = np.full((height, width, *image.shape[2:]), 255, dtype=image.dtype)
    offsets, y = [], STRIP_GAP
    for t, x, b, r in boxes:
        canvas[y:y + b - t, : r - x] = image[t:b, x:r]
        offsets.append(y)
        y += b - t + STRIP_GAP
    return canvas, offsets


def _with_digits_from(line: OcrLine, latin: list[OcrWord], third: list[OcrWord] | None = None) -> OcrLine:
    """Each word's digits from the `eng` reading where it holds as many digits and is as sure, or, when a
    third reading was made, from whichever two readings agree. Only digits change, so the labels and
    punctuation of the first reading stay. A tie goes to `eng`, right more often on the tuning sets."""
    out = []
    for word in line.words:
        mine = [c for c in word.text if c.isdigit()]
        theirs, over = _digits_over(word, latin)
        if not mine or len(theirs) != len(mine) or theirs == mine:
            out.append(word)
            continue
        chosen = theirs if min(w.conf for w in over) >= word.conf else mine
        if third is not None:
            vote, _ = _digits_over(word, third)
            chosen = vote if vote in (mine, theirs) else chosen
        digits = iter(chosen)
        text = "".join(next(digits) if c.isdigit() else c for c in word.text)
        out.append(OcrWord(text, word.conf, word.left, word.top, word.width, word.height))
    return OcrLine(tuple(out))


def _overlap(a: OcrWord, b: OcrWord) -> float:
    """How much of b lies over a, horizontally."""
    inter = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    return max(0, inter) / max(1, b.width)


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
