"""Affine maps between the pictures of one card (as cut out, normalised for OCR, turned, stored), so that a box
OCR found in the picture it read can be drawn on the picture a person sees.

A map is six numbers (a, b, c, d, e, f): x' = a x + b y + c, y' = d x + e y + f, in pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Affine = tuple[float, float, float, float, float, float]
IDENTITY: Affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def affine(matrix: np.ndarray) -> Affine:
    """A 2x3 matrix (OpenCV's form) as a map."""
    a, b, c, d, e, f = (float(v) for v in np.asarray(matrix, dtype=float).reshape(6))
    return (a, b, c, d, e, f)


def then(first: Affine, second: Affine) -> Affine:
    """The map that applies `first`, then `second`."""
    m1 = np.vstack([np.reshape(first, (2, 3)), [0.0, 0.0, 1.0]])
    m2 = np.vstack([np.reshape(second, (2, 3)), [0.0, 0.0, 1.0]])
    return affine((m2 @ m1)[:2])


def inverse(m: Affine) -> Affine:
    full = np.vstack([np.reshape(m, (2, 3)), [0.0, 0.0, 1.0]])
    return affine(np.linalg.inv(full)[:2])


def scaling(factor: float) -> Affine:
    """What a resize by `factor` does to pixel positions (OpenCV maps pixel centres: x' = (x + .5) f - .5)."""
    shift = 0.5 * factor - 0.5
    return (factor, 0.0, shift, 0.0, factor, shift)


def quarter_turn(degrees: int, width: int, height: int) -> Affine:
    """What turning a `width` x `height` picture counter-clockwise by `degrees` (a multiple of 90) does to pixel
    positions, as cv2.rotate does it."""
    turn = degrees % 360
    if turn == 90:  # ROTATE_90_COUNTERCLOCKWISE: (x, y) -> (y, W-1-x)
        return (0.0, 1.0, 0.0, -1.0, 0.0, width - 1.0)
    if turn == 180:
        return (-1.0, 0.0, width - 1.0, 0.0, -1.0, height - 1.0)
    if turn == 270:  # ROTATE_90_CLOCKWISE: (x, y) -> (H-1-y, x)
        return (0.0, -1.0, height - 1.0, 1.0, 0.0, 0.0)
    return IDENTITY


def map_box(m: Affine, box: Sequence[float]) -> tuple[float, float, float, float]:
    """The upright rectangle (left, top, width, height) holding box (left, top, width, height) once mapped."""
    left, top, width, height = box
    corners = np.array([[left, top, 1.0], [left + width, top, 1.0], [left, top + height, 1.0],
                        [left + width, top + height, 1.0]])
    mapped = corners @ np.reshape(m, (2, 3)).T
    (x0, y0), (x1, y1) = mapped.min(axis=0), mapped.max(axis=0)
    return float(x0), float(y0), float(x1 - x0), float(y1 - y0)
