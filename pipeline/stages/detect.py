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
MIN_FILL = 0.85  # hull area / its rotated rectangle: rejects blobs that are not card-shaped
MIN_SUPPORT = 0.8
EDGE_JOIN = (7, 15, 25, 41)  # px at DETECT_SIDE: gaps in a faint outline that may be bridged
SIDE_SEARCH = 0.1  # of the card's short side: how far a side may move to meet its edge
SIDE_TURN_DEG = 3.0
SIDE_SAMPLES = 160  # points per side when fitting
# A fitted outline is trusted only when its sides lie on edges nearly all along: on the tuning sets a
# quad spanning two touching cards, or sides turned onto a line of text, reached 0.76-0.83; the
# real cards rescued by fitting reached 0.87-1.0.
MIN_FIT_SUPPORT = 0.85
STRONG_EDGES = (24, 72)  # Canny thresholds that keep a card's edge and drop a desk's grain
STRONG_JOIN = (15,)  # px: one joining distance closes the strong outline (7-41 each found all 110 scene cards)
PRINT_JOIN = (31, 45, 61)  # px at DETECT_SIDE: spacing of print within one card
PAGE_ASPECT = (1.25, 1.5)
# A block of print can join into a card-shaped blob when the card's own edge is too faint to see;
# then more print lies outside it. A real card has none around it (a scanner bed, a plain desk).
BAND = 0.06  # of the quad's short side: its own edge, shadow and any bleed, not looked at
LETTERS_OUTSIDE = 6  # letter-sized marks outside that mean print goes on beyond the quad
PAGE_CARD_AREA = 0.15  # cards this small against the image mean a page of cards (A4: 7% each)

Quad = np.ndarray  # (4, 2) float32, clockwise from top-left


def detect_cards(image: np.ndarray) -> list[Quad]:
    """Quads of the cards found, in reading order; [] when the card fills the frame."""
    scale = DETECT_SIDE / max(image.shape[:2])
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
    scale = min(scale, 1.0)
    # Colour finds a card on a desk; white cards on a white page differ from it only by a
    # faint, broken outline, which closes into one blob only at the right joining distance.
    edges = _edges(small)
    on_edge = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    fitted: dict[bytes, tuple[Quad, float]] = {}  # the same blob recurs at several joining distances
    found = _quads_from_mask(_background_mask(small), on_edge, fitted)
    for side in EDGE_JOIN:
        found += _quads_from_mask(_joined(edges, side), on_edge, fitted)
    # A light card on a light textured desk (wood grain, cloth): the weak edges of the grain touch the
    # card's outline all round and no blob closes; only its strong edge does, at a higher threshold.
    strong = _edges(small, *STRONG_EDGES)
    on_strong = cv2.dilate(strong, np.ones((3, 3), np.uint8))
    fitted_strong: dict[bytes, tuple[Quad, float]] = {}
    for side in STRONG_JOIN:
        found += _quads_from_mask(_joined(strong, side), on_strong, fitted_strong)
    quads = _non_overlapping(found)
    if not quads:
        # A dark card on a desk as dark (navy on brown wood, on dark green): no grey edge and no colour
        # distance above the desk's own grain closes round it, but its hue differs from the desk's all along
        # its outline. Only when nothing else was found, so no card found before moves.
        chroma = _chroma_edges(small)
        on_chroma = cv2.dilate(chroma, np.ones((3, 3), np.uint8))
        fitted_chroma: dict[bytes, tuple[Quad, float]] = {}
        for side in EDGE_JOIN:
            found += _quads_from_mask(_joined(chroma, side), on_chroma, fitted_chroma)
        quads = _non_overlapping(found)
    if len(quads) == 1 and not _is_page(small) and _print_outside(small, quads[0]):
        quads = []  # the one "card" is a block of print on a card whose edge was not seen: use the frame
    page_area = small.shape[0] * small.shape[1]
    if quads and _is_page(small) and max(cv2.contourArea(q) for q in quads) < PAGE_CARD_AREA * page_area:
        # Small cards on a big page (a flatbed scan): some show no outline, only their print.
        quads += _unframed_cards(_ink(small), quads)
    quads = [q / scale for q in quads]
    return sorted(quads, key=lambda q: (round(float(q[:, 1].min()) / 200), float(q[:, 0].min())))


def _background_mask(img: np.ndarray) -> np.ndarray:
    """Pixels that differ from the colour of the image border (the desk or scanner bed)."""
    lab = cv2.cvtColor(cv2.GaussianBlur(img, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[:8].reshape(-1, 3), lab[-8:].reshape(-1, 3),
                             lab[:, :8].reshape(-1, 3), lab[:, -8:].reshape(-1, 3)])
    bg = np.median(border, axis=0)
    spread = np.median(np.abs(border - bg), axis=0).sum()
    # np.linalg.norm(lab - bg, axis=2), the same float32 sums in the same order, at a third of its time:
    # a reduction over a 3-long axis loops per pixel, three whole-plane adds do not.
    diff = lab - bg
    diff *= diff
    dist = np.sqrt(diff[..., 0] + diff[..., 1] + diff[..., 2])
    thresh = max(18.0, 4.0 * spread)
    mask = (dist > thresh).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    # Parts of a card can match the desk's colour (a silver strip, a white logo): close big gaps.
    side = max(9, max(img.shape[:2]) // 30) | 1
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))


def _edges(img: np.ndarray, low: int = 8, high: int = 24) -> np.ndarray:
    gray = cv2.GaussianBlur(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    return cv2.Canny(gray, low, high)


def _chroma_edges(img: np.ndarray, low: int = 8, high: int = 24) -> np.ndarray:
    """Edges of hue alone (Lab's a and b planes), blind to the light and to a grain of one colour."""
    lab = cv2.cvtColor(cv2.GaussianBlur(img, (5, 5), 0), cv2.COLOR_BGR2LAB)
    edges: np.ndarray = cv2.bitwise_or(cv2.Canny(lab[..., 1], low, high), cv2.Canny(lab[..., 2], low, high))
    return edges


def _joined(edges: np.ndarray, side: int) -> np.ndarray:
    return cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))


def _quads_from_mask(mask: np.ndarray, on_edge: np.ndarray,
                     fitted: dict[bytes, tuple[Quad, float]]) -> list[tuple[float, Quad]]:
    """(outline support, quad) for every card-shaped blob of the mask.

    A blob whose outline is poorly supported may still be a card whose hull was pulled off its
    edge by something touching it (a scratch, a shadow, the next card): its sides are then fitted
    to the edge pixels near them, and kept if the fitted outline lies on edges all round.
    """
    h, w = mask.shape[:2]
    near = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    quads = []
    for contour in contours:
        hull = cv2.convexHull(contour)
        if not MIN_AREA_FRACTION * w * h <= cv2.contourArea(hull) <= MAX_AREA_FRACTION * w * h:
            continue
        quad = _card_quad(hull)
        if quad is None:
            continue
        support = _outline_support(near, quad)
        if support < MIN_SUPPORT:
            key = np.rint(quad / 4).astype(np.int32).tobytes()
            if key not in fitted:
                fitted[key] = fit_sides(quad, on_edge)
            quad, fit_support = fitted[key]
            support = fit_support if fit_support >= MIN_FIT_SUPPORT else 0.0
            if _card_quad(quad.reshape(-1, 1, 2)) is None:
                continue
        if support >= MIN_SUPPORT:
            quads.append((support, np.clip(quad, 0, [w - 1, h - 1]).astype(np.float32)))
    return quads


def _print_outside(img: np.ndarray, quad: Quad) -> bool:
    """Letter-sized marks beyond the quad (and its edge band) on a plain light surround."""
    short = min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    inside = np.zeros(img.shape[:2], np.uint8)
    cv2.fillPoly(inside, [quad.astype(np.int32)], 255)
    k = max(3, round(2 * BAND * short)) | 1
    outside = cv2.dilate(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))) == 0
    margin = max(4, round(0.02 * max(img.shape[:2])))
    outside[:margin], outside[-margin:], outside[:, :margin], outside[:, -margin:] = False, False, False, False
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    if not outside.any() or np.median(gray[outside]) < 150 or np.std(gray[outside]) > 25:
        return False  # a dark or busy surround: its marks are texture, not print
    ink = (_ink(img) > 0) & outside
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8))
    unit = short / 40  # a card line's letter is ~1/40-1/10 of the card's short side
    letters = [s for s in stats[1:] if unit <= s[cv2.CC_STAT_HEIGHT] <= 8 * unit and s[cv2.CC_STAT_WIDTH] <= 8 * unit]
    return len(letters) >= LETTERS_OUTSIDE


def _is_page(img: np.ndarray) -> bool:
    """A flatbed page (A4 is 1.41, Letter 1.29), not a card with a margin (1.5-1.9)."""
    h, w = img.shape[:2]
    return bool(PAGE_ASPECT[0] <= max(h, w) / min(h, w) <= PAGE_ASPECT[1])


def _ink(img: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _unframed_cards(ink: np.ndarray, framed: list[Quad]) -> list[Quad]:
    """Clusters of print outside the cards already found, sized like a card's print.

    The print of one card is smeared into one blob; the joining distance that does so
    depends on the layout, so several are tried and the outermost blobs kept.
    """
    ink = ink.copy()
    for quad in framed:
        cv2.fillPoly(ink, [cv2.convexHull(quad.astype(np.int32))], 0)
    card_area = float(np.median([cv2.contourArea(q) for q in framed]))
    found: list[tuple[float, Quad]] = []
    for side in PRINT_JOIN:
        blobs = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
        contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            (cx, cy), (rw, rh), angle = cv2.minAreaRect(contour)
            # Print covers less than its card, never much more.
            if card_area / 4 <= rw * rh <= card_area * 1.2:
                box = cv2.boxPoints(((cx, cy), (rw * 1.1 + 10, rh * 1.1 + 10), angle))
                found.append((1.0, order_corners(box.astype(np.float32))))
    return [q for q in _non_overlapping(found) if not any(_overlap(q, f) for f in framed)]


def _non_overlapping(found: list[tuple[float, Quad]]) -> list[Quad]:
    """Outer quads first: a card contains its banner or logo box, never another card."""
    kept: list[Quad] = []
    for _, quad in sorted(found, key=lambda sq: -cv2.contourArea(sq[1])):
        if not any(_overlap(quad, other) for other in kept):
            kept.append(quad)
    return kept


def _overlap(a: Quad, b: Quad) -> bool:
    def inside(point: np.ndarray, quad: Quad) -> bool:
        return cv2.pointPolygonTest(quad.reshape(-1, 1, 2), (float(point[0]), float(point[1])), False) >= 0

    return inside(a.mean(axis=0), b) or inside(b.mean(axis=0), a)


def _card_quad(hull: np.ndarray) -> Quad | None:
    """The hull as a card-shaped quadrilateral, or None when it is not card-shaped."""
    rect = cv2.minAreaRect(hull)
    (rw, rh) = rect[1]
    if rw == 0 or rh == 0 or cv2.contourArea(hull) / (rw * rh) < MIN_FILL:
        return None
    if not ASPECT_RANGE[0] <= max(rw, rh) / min(rw, rh) <= ASPECT_RANGE[1]:
        return None
    quad = _four_corners(hull)
    return quad if quad is not None else order_corners(cv2.boxPoints(rect).astype(np.float32))


def _outline_support(near: np.ndarray, quad: Quad) -> float:
    """Share of the quad's outline that lies on the mask: a card has an edge all round,
    a blob of text or texture only here and there."""
    outline = np.zeros_like(near)
    cv2.polylines(outline, [quad.astype(np.int32)], True, 255, 1)
    on = outline > 0
    return float((near[on] > 0).mean()) if on.any() else 0.0


def fit_sides(quad: Quad, on_edge: np.ndarray) -> tuple[Quad, float]:
    """Each side moved (up to SIDE_SEARCH of the card's short side) and turned (up to SIDE_TURN_DEG)
    to where most edge pixels lie along it; the corners are where the fitted sides meet.

    Returns the fitted quad and the share of its sides' middles that lie on edges (real cards have
    rounded corners, so the corners themselves are not asked to)."""
    short = min(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[1]))
    reach = max(3, round(SIDE_SEARCH * short))
    fits = [_best_line(quad[i], quad[(i + 1) % 4], on_edge, reach) for i in range(4)]
    corners = [_intersect(fits[i - 1][1:], fits[i][1:]) for i in range(4)]
    if any(c is None for c in corners):
        return quad, 0.0
    return order_corners(np.array(corners, np.float32)), float(np.mean([f[0] for f in fits]))


def _best_line(a: np.ndarray, b: np.ndarray, on_edge: np.ndarray,
               reach: int) -> tuple[float, np.ndarray, np.ndarray]:
    """(share on edges, point, direction) of the line near a-b that runs over the most edge pixels."""
    h, w = on_edge.shape[:2]
    mid, length = (a + b) / 2, max(float(np.linalg.norm(b - a)), 1e-6)
    # The side's middle (corners are rounded), sampled sparsely: the count only has to rank the lines.
    t = np.linspace(-0.4, 0.4, int(np.clip(0.8 * length, 8, SIDE_SAMPLES))) * length
    turns = np.radians(np.arange(-SIDE_TURN_DEG, SIDE_TURN_DEG + 0.01, 0.5))
    base = np.arctan2(b[1] - a[1], b[0] - a[0]) + turns
    dirs = np.stack([np.cos(base), np.sin(base)], axis=1)  # (turns, 2)
    normals = np.stack([-dirs[:, 1], dirs[:, 0]], axis=1)
    shifts = np.arange(-reach, reach + 1)
    centres = mid + shifts[None, :, None] * normals[:, None, :]  # (turns, shifts, 2)
    pts = np.rint(centres[:, :, None, :] + t[None, None, :, None] * dirs[:, None, None, :]).astype(int)
    xs, ys = np.clip(pts[..., 0], 0, w - 1), np.clip(pts[..., 1], 0, h - 1)
    inside = (pts[..., 0] >= 0) & (pts[..., 0] < w) & (pts[..., 1] >= 0) & (pts[..., 1] < h)
    hits = ((on_edge[ys, xs] > 0) & inside).sum(axis=2).astype(float)  # (turns, shifts)
    # Ties go to the smallest move: prefer the hull's own line when the edge is as good there.
    hits -= 1e-3 * np.abs(shifts)[None, :] + 1e-4 * np.abs(turns)[:, None]
    i, j = np.unravel_index(int(np.argmax(hits)), hits.shape)
    return max(float(hits[i, j]), 0.0) / len(t), centres[i, j], dirs[i]


def _intersect(l1: tuple[np.ndarray, np.ndarray], l2: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    (p, r), (q, s) = l1, l2
    cross = r[0] * s[1] - r[1] * s[0]
    if abs(cross) < 1e-3:
        return None
    t = ((q[0] - p[0]) * s[1] - (q[1] - p[1]) * s[0]) / cross
    meet: np.ndarray = p + t * r
    return meet


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
