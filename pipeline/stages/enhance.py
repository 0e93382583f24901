"""Per-image clean-ups before OCR, each applied only when a measurement of the card calls for it.

Tesseract's LSTM engine reads grey, smooth text best; every change to the pixels can also hurt, so
each step has a cheap test and a threshold. Measured on generated tuning sets (seeds 1-4, 60 images
each, perfect-card rate over all conditions); only the skew correction earned its place:

- small-angle deskew (kept): seeds 1+2 0.699 -> 0.727, no condition worse (scan, rotated, multi +1
  card, lowres +2); seeds 3+4 0.709 -> 0.714. It mostly fixes scans whose white card on a white bed
  was not cut out (full frame, up to 3 degrees skew) and print clusters boxed at an angle.
- evening out the light (divide by a morphological-closing background when its spread > 0.25):
  dropped, 0.699 -> 0.607 (multi 0.713 -> 0.552): it divides out the card's coloured bands too,
  and light text on a dark band vanishes. Kept instead (issue 13): a smooth surface fitted to the
  paper alone (even_light below), applied only when it varies by 20% or more over the paper; it
  never fires on a clean scan (0 of 56 generated scans and samples), nor on most photos. When it
  fires on a card of plain paper, the card is stretched between its local paper and ink levels
  instead of divided by the surface, which also lifts print out of a hand's shadow and a glare
  (docs/accuracy.md, Shadows and glare).
- denoising (fastNlMeans, h=5): dropped, 0.714 -> 0.704 (photo -2 cards) and +0.5-1 s per card;
  Immerkaer's noise estimate never exceeds 1.7 grey levels on any cut-out card, real photos
  included, so a "when noisy" rule would never fire.
- binarisation (adaptive Gaussian, 31 px): dropped, 0.699 -> 0.514, every condition worse, as
  expected for the LSTM engine.
- text height (preprocess.TARGET_LONG_SIDE): 1600 px puts the median word box at ~40 px (x-height
  ~20 px); 2000 px was no better (0.694) and 1.6x slower, 1300 px lost 3 of 24 turned cards.
  Measured again on 20 tiny JPEG-crushed photos (card 500-700 px wide, q25-50, tilted up to 14
  degrees, blurred; devtools.scenes): median word box 41 px at 1600 against 63 px (x-height ~32 px)
  at 2400 with the upscale cap raised to 5x: perfect 0.50 -> 0.45, phones F1 ~0.90 -> ~0.81, e-mails
  ~0.70 -> ~0.68, median 5.0 -> 6.3 s. Blurred small print is not read better larger: x-height ~20 px stays.
  That holds for Tesseract; PP-OCR and the router read a card cut out small better enlarged to 2000 px
  (`PpOcrEngine.small_card_long_side`; 40 tiny cards of seeds 12-13: 1200 px 0.700, 1600 0.775, 2000 0.825
  perfect, against Tesseract's 0.650, 0.650, 0.575).
- sharpening cards enlarged 2x or more (unsharp mask, sigma 0.6 x the enlargement, amount 0.8): dropped.
  With pytesseract it helped (20 tiny cards perfect 0.50 -> 0.60, 7 low-resolution cards of seed 14
  0.57 -> 0.71); with the in-process engine, now the default, tiny cards went 0.50 -> 0.55 but e-mails
  F1 0.67 -> 0.60 there and 0.73 -> 0.67 on the real photos.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.stages.geometry import IDENTITY, Affine, affine, scaling, then

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
    # 0/1 as bytes: the 76 nearest-neighbour turns below move a quarter of the memory float32 would.
    ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
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
    # OpenCV's row sum, not numpy's: the same float32 values (whole numbers far below 2**24), at 0.6 of its time
    # over the 76 turns a card (tuning seed 3: 3220 turns, every sum equal).
    turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
    rows = cv2.reduce(turned, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32F).ravel()
    return float(np.square(rows).sum())


def is_skewed(angle: float | None) -> bool:
    return angle is not None and MIN_SKEW_DEG <= abs(angle) <= MAX_SKEW_DEG


def scale_and_straighten(gray: np.ndarray, scale: float) -> np.ndarray:
    """Resize by `scale` and undo a small skew, in one resampling when enlarging: resizing and then
    turning blurs twice (measured: an e-mail's 'l' read as 't' on a sample scan)."""
    return straighten(gray, scale)[0]


def straighten(gray: np.ndarray, scale: float) -> tuple[np.ndarray, Affine]:
    """`scale_and_straighten`, with the map from the given picture's pixels to the result's (to draw OCR boxes
    on the card as cut out)."""
    angle = skew_angle(gray)
    if not is_skewed(angle):
        return _resize(gray, scale), scaling(scale)
    assert angle is not None
    before = IDENTITY
    if scale < 1:  # shrink first with area averaging, which a warp cannot do
        gray, before, scale = _resize(gray, scale), scaling(scale), 1.0
    h, w = gray.shape[:2]
    out_w, out_h = round(w * scale), round(h * scale)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, scale)
    matrix[:, 2] += (out_w / 2 - w / 2, out_h / 2 - h / 2)
    out = cv2.warpAffine(gray, matrix, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return out, then(before, affine(matrix))


def deskew(gray: np.ndarray) -> np.ndarray:
    """Turn small skews straight; leave straight, unreadable or strongly turned cards alone."""
    return scale_and_straighten(gray, 1.0)


def _resize(gray: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1.0:
        return gray
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)


# Uneven light on a photo (a shading gradient, a vignette): the paper's brightness is fitted with a smooth
# surface and divided out. Only the light paper is fitted (a dark band or panel is design, not shadow, and
# stays as it is), and only when the light differs enough across the card: a scan is evenly lit and untouched.
LIGHT_SIDE = 160  # px: the paper level is estimated on a copy this wide
LIGHT_MIN_RATIO = 1.2  # brightest / darkest point of the fitted light over the card
LIGHT_DESIGN = 0.25  # log units below the fit: a block this much darker is print or a dark panel
LIGHT_MAX_GAIN = 3.0
CONTRAST_SIDE = 400  # px: the paper and ink levels are estimated on a copy this wide
CONTRAST_CELLS = 20  # the local levels are taken over 1/20 of the card's long side (~3 letter heights)
CONTRAST_FLOOR = 0.15  # of the paper level: the least span stretched to full contrast
# Share of the card's pixels at the fitted paper level (within LIGHT_DESIGN) for it to count as plain paper.
MIN_PLAIN_PAPER = 0.4


def even_light(gray: np.ndarray, stretch: float | None = None) -> np.ndarray:
    """The card with its light evened out, or the card itself when it is evenly lit (or not light paper).

    With `stretch` (the engine's `stretch_shaded`), a card that is mostly plain paper, under a light that varies
    by that ratio or more, is stretched between its local paper and ink levels, which also undoes a hand's
    shadow and a lamp's glare; a card printed over a picture (a photo, a texture: little of it at the paper
    level), any card under gentler light, or any card without `stretch`, only has the fitted light divided out."""
    return light_evened(gray, stretch)[0]


def light_evened(gray: np.ndarray, stretch: float | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """`even_light`'s card and, when it was stretched, the card with the fitted light only divided out: the
    orientation cue reads that one, since the stretch's paper grain and the dark ring it leaves round a glare
    look like lines of print to it (a shaded card read sideways)."""
    fitted = _fit_paper(gray)
    if fitted is None:
        return gray, None
    surface, plain, ratio = fitted
    divided = _divide_light(gray, surface)
    if stretch is not None and ratio >= stretch and plain >= MIN_PLAIN_PAPER:
        return stretch_contrast(gray), divided
    return divided, None


def _divide_light(gray: np.ndarray, surface: np.ndarray) -> np.ndarray:
    light = cv2.resize(surface, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    level = float(np.percentile(surface, 95))
    # A gain, never a darkening; bounded where the fit is extrapolated over a dark band.
    gain = np.clip(level / light, 1.0, LIGHT_MAX_GAIN)
    evened: np.ndarray = np.clip(gray.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    return evened


def stretch_contrast(gray: np.ndarray) -> np.ndarray:
    """Each part of the card stretched between its own paper and its own ink.

    A smooth gain evens a gradient but not a hand's shadow or a lamp's glare: glare adds light, so the
    print under it stays faint after any division. Here the paper level is the local maximum and the ink
    level the local minimum (over a few letter heights, smoothed); each pixel is placed between them,
    paper white and ink black. Where no ink is near, the span is floored at a share of the paper level,
    so bare paper is not stretched into noise."""
    h, w = gray.shape[:2]
    scale = CONTRAST_SIDE / max(h, w)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    k = max(3, round(max(small.shape) / CONTRAST_CELLS)) | 1
    paper = cv2.medianBlur(cv2.dilate(small, np.ones((k, k), np.uint8)), k)
    paper_level = cv2.GaussianBlur(paper.astype(np.float32), (0, 0), k / 2)
    ink_k = (2 * k) | 1
    ink = cv2.GaussianBlur(cv2.erode(small, np.ones((ink_k, ink_k), np.uint8)).astype(np.float32), (0, 0), k)
    top = cv2.resize(paper_level, (w, h), interpolation=cv2.INTER_LINEAR)
    bottom = cv2.resize(ink, (w, h), interpolation=cv2.INTER_LINEAR)
    span = np.maximum(top - bottom, CONTRAST_FLOOR * top)
    out = 255.0 * (1.0 - (top - gray.astype(np.float32)) / span)
    stretched: np.ndarray = np.clip(out, 0, 255).astype(np.uint8)
    return stretched


def light_surface(gray: np.ndarray) -> np.ndarray | None:
    """The paper's brightness as a quadratic surface on a small copy of the card; None when even."""
    fitted = _fit_paper(gray)
    return None if fitted is None else fitted[0]


def _fit_paper(gray: np.ndarray) -> tuple[np.ndarray, float, float] | None:
    """The paper's light surface, the share of the card's pixels at the paper level and how much the light varies
    over the paper (brightest / darkest); None when even."""
    scale = LIGHT_SIDE / max(gray.shape[:2])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA).astype(np.float32)
    if float(np.median(small)) < 100:  # a dark card (inverted later): its light text is no paper to fit
        return None
    # The paper around the print: a max filter wider than a letter, smoothed.
    k = max(3, round(max(small.shape) / 20)) | 1
    paper = cv2.medianBlur(cv2.dilate(small, np.ones((k, k), np.uint8)).astype(np.uint8), k).astype(np.float32)
    h, w = paper.shape
    ys, xs = np.mgrid[0:h, 0:w]
    x, y = xs.ravel() / w - 0.5, ys.ravel() / h - 0.5
    design = np.column_stack([np.ones_like(x), x, y, x * x, x * y, y * y])
    target = np.log(np.maximum(paper.ravel(), 1.0))
    # Start from the brighter half, which is paper on any light card (a dark band, a panel or a photo's
    # shaded half would tilt a first fit over all of it), then take in all that lies near the fit.
    keep = paper.ravel() >= np.median(paper)
    for _ in range(3):  # drop dark design from the fit, then fit again
        a = design[keep]  # normal equations: a 6 x 6 solve, 40x faster than lstsq's SVD here
        coef = np.linalg.solve(a.T @ a, a.T @ target[keep])
        keep &= target - design @ coef > -LIGHT_DESIGN
    fit = np.exp(design @ coef).astype(np.float32)
    on_paper = fit[keep]  # judged where the paper was seen, not where the fit is extrapolated
    ratio = float(on_paper.max() / max(on_paper.min(), 1.0)) if len(on_paper) else 1.0
    if ratio < LIGHT_MIN_RATIO:
        return None
    surface: np.ndarray = fit.reshape(h, w)
    level = np.log(np.maximum(small, 1.0)) - np.log(surface)
    return surface, float((level > -LIGHT_DESIGN).mean()), ratio
