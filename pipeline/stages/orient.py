"""Which way up is the text? A cheap reading of the print's shape, measured against Tesseract's OSD.

Two cues, no OCR: text lines run along the card's reading direction (letters merge into long
horizontal blobs when the card is upright or upside down, vertical ones when it lies on a side),
and Latin and Cyrillic print has more ink above the x-height band (capitals, digits, b d f h k l t)
than below it (g j p q y), so the heavier side of each line is its top.
"""

from __future__ import annotations

import cv2
import numpy as np

ORIENT_SIDE = 1000  # px: the estimate runs on a copy this long
MIN_LINES = 3  # text lines needed for an answer
MIN_MARGIN = 0.15  # the winning cue must beat the other by this share of the total


def text_orientation(gray: np.ndarray) -> int | None:
    """Clockwise degrees the text is turned (0, 90, 180, 270), or None when the print is too scarce to tell."""
    scale = min(1.0, ORIENT_SIDE / max(gray.shape[:2]))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    char = _char_height(ink)
    if char is None:
        return None
    lines = _line_blobs(ink, char)  # found once: the strength and the heavier side both look at them
    across = _line_strength(lines, char)
    along = _line_strength(_line_blobs(cv2.rotate(ink, cv2.ROTATE_90_CLOCKWISE), char), char)
    if max(across, along) == 0 or abs(across - along) < MIN_MARGIN * (across + along):
        return None
    if across >= along:
        heavier_top = _top_heavy(ink, lines)
        return None if heavier_top is None else (0 if heavier_top else 180)
    # Lines run top to bottom: turn the ink a quarter counter-clockwise and ask the same question.
    upright = cv2.rotate(ink, cv2.ROTATE_90_COUNTERCLOCKWISE)
    heavier_top = _top_heavy(upright, _line_blobs(upright, char))
    return None if heavier_top is None else (90 if heavier_top else 270)


def _components(ink: np.ndarray) -> np.ndarray:
    """Stats rows (x, y, w, h, area) of blobs sized like letters."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats = stats[1:]
    side = max(ink.shape)
    keep = (stats[:, 3] >= 4) & (stats[:, 3] <= side / 8) & (stats[:, 2] <= side / 8) & (stats[:, 4] >= 8)
    letters: np.ndarray = stats[keep]
    return letters


def _char_height(ink: np.ndarray) -> int | None:
    stats = _components(ink)
    if len(stats) < 10:
        return None
    # Square-ish blobs are letters whichever way the card lies; their median side is a letter's size.
    return int(np.median(np.minimum(stats[:, 2], stats[:, 3]) + np.maximum(stats[:, 2], stats[:, 3])) / 2)


def _line_blobs(ink: np.ndarray, char: int) -> list[tuple[int, int, int, int]]:
    """Bounding boxes of horizontal text lines: letters joined across a word space, not across lines."""
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * char + 1, 1)))
    _, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, _ in stats[1:]:
        if 0.5 * char <= h <= 3 * char and w >= 5 * h:
            boxes.append((int(x), int(y), int(w), int(h)))
    return boxes


def _line_strength(lines: list[tuple[int, int, int, int]], char: int) -> float:
    """Total length of line-shaped blobs, in letter heights."""
    return float(sum(w for _, _, w, _ in lines)) / char


def _top_heavy(ink: np.ndarray, lines: list[tuple[int, int, int, int]]) -> bool | None:
    """Is there more ink above the lines' x-height band than below it?"""
    above = below = 0.0
    if len(lines) < MIN_LINES:
        return None
    for x, y, w, h in lines:
        profile = ink[y:y + h, x:x + w].sum(axis=1).astype(np.float64)
        band = np.flatnonzero(profile >= 0.5 * profile.max())
        if len(band) == 0:
            continue
        above += profile[: band[0]].sum()
        below += profile[band[-1] + 1:].sum()
    if above + below == 0 or abs(above - below) < 0.05 * (above + below):
        return None
    return above > below
