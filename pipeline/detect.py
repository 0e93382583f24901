"""Find the cards on a page: each becomes a quadrilateral in page pixels.

Two cues are combined because neither is enough alone: colour difference from the
background finds a card on a desk, and clustered ink finds a white card on a white page,
where the card's own edge is too faint to see.
"""

from __future__ import annotations

import cv2
import numpy as np

DETECT_SIDE = 1000  # detection runs on a downscaled copy: cards are big, speed matters
MIN_AREA_FRACTION = 0.015
MAX_AREA_FRACTION = 0.92  # a quad bigger than this is the frame itself, not a card on it
ASPECT_RANGE = (1.2, 2.4)
MIN_FILL = 0.75  # contour area / its rotated rectangle: rejects blobs that are not card-shaped

Quad = np.ndarray  # (4, 2) float32, clockwise from top-left


def detect_cards(image: np.ndarray) -> list[Quad]:
    """Quads of the cards found, in reading order; [] when the card fills the frame."""
    scale = DETECT_SIDE / max(image.shape[:2])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    scale = min(scale, 1.0)
    quads = _quads_from_mask(_fill(_background_mask(small)), small.shape)
    if not quads:
        # White cards on a white page: only their ink shows. One blob is a single scanned
        # card, best read as the whole frame; several are the cards of a flatbed page.
        quads = _quads_from_mask(_ink_mask(small), small.shape, pad=0.04)
        if len(quads) < 2:
            quads = []
    quads = [q / scale for q in quads]
    return sorted(quads, key=lambda q: (round(float(q[:, 1].min()) / 200), float(q[:, 0].min())))


def _background_mask(img: np.ndarray) -> np.ndarray:
    """Pixels that differ from the colour of the image border (the desk or scanner bed)."""
    lab = cv2.cvtColor(cv2.GaussianBlur(img, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[:8].reshape(-1, 3), lab[-8:].reshape(-1, 3),
                             lab[:, :8].reshape(-1, 3), lab[:, -8:].reshape(-1, 3)])
    bg = np.median(border, axis=0)
    spread = np.median(np.abs(border - bg), axis=0).sum()
    dist = np.linalg.norm(lab - bg, axis=2)
    thresh = max(18.0, 4.0 * spread)
    mask = (dist > thresh).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    # Parts of a card can match the desk's colour (a silver strip, a white logo): close big gaps.
    side = max(9, max(img.shape[:2]) // 30) | 1
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))


def _fill(mask: np.ndarray) -> np.ndarray:
    """Fill the holes inside each blob, so a card with background-coloured print stays whole."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(mask)
    cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
    return filled


def _ink_mask(img: np.ndarray) -> np.ndarray:
    """Text strokes smeared into blobs, one blob per card when cards are spaced apart."""
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    grad = cv2.morphologyEx(gray, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    _, mask = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    side = max(15, max(img.shape[:2]) // 40)
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))


def _quads_from_mask(mask: np.ndarray, shape: tuple[int, ...], pad: float = 0.0) -> list[Quad]:
    h, w = shape[:2]
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not MIN_AREA_FRACTION * w * h <= area <= MAX_AREA_FRACTION * w * h:
            continue
        quad = _card_quad(contour, area, pad)
        if quad is not None:
            quads.append(np.clip(quad, 0, [w - 1, h - 1]))
    return quads


def _card_quad(contour: np.ndarray, area: float, pad: float) -> Quad | None:
    hull = cv2.convexHull(contour)
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(hull)
    if rw == 0 or rh == 0 or area / (rw * rh) < MIN_FILL:
        return None
    aspect = max(rw, rh) / min(rw, rh)
    if not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1] * (1.5 if pad else 1.0):
        return None
    if pad == 0:
        quad = _four_corners(hull)
        if quad is not None:
            return quad
    grow = 1.0 + 2 * pad
    box = cv2.boxPoints(((cx, cy), (rw * grow + 8 * pad, rh * grow + 8 * pad), angle))
    return order_corners(box.astype(np.float32))


def _four_corners(hull: np.ndarray) -> Quad | None:
    """The hull simplified to four corners (a card in perspective), if it simplifies cleanly."""
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            if cv2.contourArea(quad) >= 0.9 * cv2.contourArea(hull):
                return order_corners(quad)
        if len(approx) < 4:
            break
    return None


def order_corners(pts: np.ndarray) -> Quad:
    """Clockwise from top-left, as the scan-result bbox is defined."""
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates (y down)
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0).astype(np.float32)


def warp(image: np.ndarray, quad: Quad) -> np.ndarray:
    """Cut the quad out as a flat rectangle of the card's measured aspect."""
    tl, tr, br, bl = quad
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def full_frame(image: np.ndarray) -> Quad:
    h, w = image.shape[:2]
    return np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
