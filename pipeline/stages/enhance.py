"""Per-image clean-ups before OCR, each applied only when a measurement of the card calls for it.

Tesseract's LSTM engine reads grey, smooth text best; every change to the pixels can also hurt, so
each step has a cheap test and a threshold. Measured on generated tuning sets (seeds 1-4, 60 images
each, perfect-card rate over all conditions); only the skew correction earned its place:

- small-angle deskew (kept): seeds 1+2 0.699 -> 0.727, no condition worse (scan, rotated, multi +1
  card, lowres +2); seeds 3+4 0.709 -> 0.714. It mostly fixes scans whose white card on a white bed
  was not cut out (full frame, up to 3 degrees skew) and print clusters boxed at an angle.
- evening out the light (divide by a morphological-closing background when its spread > 0.25):
  dropped, 0.699 -> 0.607 (multi 0.713 -> 0.552): it divides out the card's coloured bands too,
  and light text on a dark band vanishes.
- denoising (fastNlMeans, h=5): dropped, 0.714 -> 0.704 (photo -2 cards) and +0.5-1 s per card;
  Immerkaer's noise estimate never exceeds 1.7 grey levels on any cut-out card, real photos
  included, so a "when noisy" rule would never fire.
- binarisation (adaptive Gaussian, 31 px): dropped, 0.699 -> 0.514, every condition worse, as
  expected for the LSTM engine.
- text height (preprocess.TARGET_LONG_SIDE): 1600 px puts the median word box at ~40 px (x-height
  ~20 px); 2000 px was no better (0.694) and 1.6x slower, 1300 px lost 3 of 24 turned cards.
"""

from __future__ import annotations

import cv2
import numpy as np

# Skew: below this the lines are straight enough for Tesseract; above the maximum it is not a
# small skew (the card is turned, or the estimate is fooled by a diagonal design).
MIN_SKEW_DEG = 0.5
MAX_SKEW_DEG = 8.0
SKEW_SIDE = 600  # px: the skew is estimated on a copy this wide
MIN_SKEW_GAIN = 0.1  # the best angle's profile must be this much sharper than the unturned one


def skew_angle(gray: np.ndarray) -> float | None:
    """Degrees the text lines rise to the right (counter-clockwise), or None when no angle stands out.

    Projection profiles: turned to the right angle, the rows of a text image alternate between ink
    and paper, so the row sums are most uneven. Columns are tried too, for a card lying on its side
    (it is turned upright later). A coarse search, then a fine one around its best.
    """
    scale = min(1.0, SKEW_SIDE / max(gray.shape[:2]))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(np.float32)
    if ink.mean() > 0.5:  # mostly "ink": a dark card or a photo, not print on a card
        return None
    rows, gain_rows = _best_angle(ink)
    columns, gain_columns = _best_angle(np.ascontiguousarray(ink.T))
    # The transposed image is a mirror image: its counter-clockwise is the card's clockwise.
    angle, gain = (rows, gain_rows) if gain_rows >= gain_columns else (-columns, gain_columns)
    return angle if gain >= 1 + MIN_SKEW_GAIN else None


def _best_angle(ink: np.ndarray) -> tuple[float, float]:
    """The angle whose row profile is sharpest, and how much sharper it is than the unturned one."""
    level = max(_sharpness(ink, 0.0), 1e-6)
    coarse = max(np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 0.01, 1.0), key=lambda a: _sharpness(ink, a))
    best = max(np.arange(coarse - 1.0, coarse + 1.01, 0.1), key=lambda a: _sharpness(ink, a))
    return float(best), _sharpness(ink, best) / level


def _sharpness(ink: np.ndarray, angle: float) -> float:
    """How uneven the row sums are after turning the ink clockwise by `angle` degrees."""
    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    rows = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
    return float(np.square(rows).sum())


def is_skewed(angle: float | None) -> bool:
    return angle is not None and MIN_SKEW_DEG <= abs(angle) <= MAX_SKEW_DEG


def scale_and_straighten(gray: np.ndarray, scale: float) -> np.ndarray:
    """Resize by `scale` and undo a small skew, in one resampling when enlarging: resizing and then
    turning blurs twice (measured: an e-mail's 'l' read as 't' on a sample scan)."""
    angle = skew_angle(gray)
    if not is_skewed(angle):
        return _resize(gray, scale)
    assert angle is not None
    if scale < 1:  # shrink first with area averaging, which a warp cannot do
        gray, scale = _resize(gray, scale), 1.0
    h, w = gray.shape[:2]
    out_w, out_h = round(w * scale), round(h * scale)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, scale)
    matrix[:, 2] += (out_w / 2 - w / 2, out_h / 2 - h / 2)
    return cv2.warpAffine(gray, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def deskew(gray: np.ndarray) -> np.ndarray:
    """Turn small skews straight; leave straight, unreadable or strongly turned cards alone."""
    return scale_and_straighten(gray, 1.0)


def _resize(gray: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return gray
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
