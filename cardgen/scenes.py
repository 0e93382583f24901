"""Conditions: how a rendered card ends up in an image (scanner, phone camera, page, thumbnail)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from cardgen import degrade as dg
from cardgen.backgrounds import KINDS, plain_like, surface
from cardgen.layouts import CardPlan
from cardgen.render import card_size, render_card

CONDITIONS = ("scan", "photo", "rotated", "multi", "lowres")
# Harder scenes (issue 13), asked for by name: shading/shadow/glare photos, upside-down and sideways photos,
# the same with an EXIF orientation tag that contradicts the pixels, a light card with a dark side panel on a
# light desk, and tiny JPEG-crushed tilted cards. `make eval` reports each in a column of its own.
HARD_CONDITIONS = ("shaded", "upside", "exif", "panel", "tiny")
ALL_CONDITIONS = CONDITIONS + HARD_CONDITIONS
# EXIF orientation tag -> the clockwise turn a viewer gives the stored pixels to show them.
EXIF_TURN = {3: 180, 6: 90, 8: 270}


@dataclass(frozen=True)
class SceneOptions:
    """Fixed choices for the committed samples; ``None`` means random."""

    background: str | None = None
    rotation: int | None = None
    fmt: str | None = None


@dataclass
class Placement:
    corners: np.ndarray  # (4, 2) image-edge coordinates, clockwise from the printed top-left
    rotation: int


@dataclass
class Scene:
    image: np.ndarray
    placements: list[Placement] = field(default_factory=list)
    fmt: str = "jpg"
    quality: int = 90
    tags: dict[str, str] = field(default_factory=dict)
    exif_orientation: int | None = None  # an EXIF orientation tag written into the file


def _card_array(plan: CardPlan, dpi: float) -> np.ndarray:
    return np.asarray(render_card(plan, dpi))


def _rotation_about(cx: float, cy: float, deg: float) -> np.ndarray:
    m = cv2.getRotationMatrix2D((cx, cy), -deg, 1.0)  # OpenCV angles are counter-clockwise
    return np.vstack([m, [0, 0, 1]])


def _translation(tx: float, ty: float) -> np.ndarray:
    return np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]], dtype=np.float64)


def _bed(h: int, w: int, rng: random.Random) -> np.ndarray:
    level = rng.uniform(238, 255)
    tint = np.array([level, level, level]) + np.array(
        [rng.uniform(-3, 2), rng.uniform(-2, 2), rng.uniform(-2, 3)]
    )
    return np.broadcast_to(tint.astype(np.float32), (h, w, 3)).copy()


def _place_flat(
    card: np.ndarray, rng: random.Random, angle: float, margin: tuple[int, int]
) -> tuple[np.ndarray, tuple[int, int]]:
    """Homography and canvas size for a card lying flat, turned by ``angle`` degrees."""
    h, w = card.shape[:2]
    rot = _rotation_about(w / 2, h / 2, angle)
    pts = dg.project(rot, dg.card_corners(w, h))
    lo = pts.min(axis=0)
    m = _translation(margin[0] - lo[0], margin[1] - lo[1]) @ rot
    span = pts.max(axis=0) - lo
    size = (
        math.ceil(span[0]) + margin[0] + rng.randint(*_margin_range(card)),
        math.ceil(span[1]) + margin[1] + rng.randint(*_margin_range(card)),
    )
    return m, size


def _margin_range(card: np.ndarray) -> tuple[int, int]:
    s = max(card.shape[:2])
    return round(s * 0.02), round(s * 0.08)


def scan(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A flatbed scan at 300 dpi: white bed, small margin, <3 degree skew, mild noise."""
    card = _card_array(plan, 300)
    lo, hi = _margin_range(card)
    m, (w, h) = _place_flat(card, rng, rng.uniform(-2.8, 2.8), (rng.randint(lo, hi), rng.randint(lo, hi)))
    canvas = _bed(h, w, rng)
    mask = dg.warp_mask(card.shape[:2], m, (w, h))
    dg.drop_shadow(
        canvas,
        mask,
        (rng.uniform(-2, 2), rng.uniform(0.5, 3)),
        rng.uniform(1.0, 2.5),
        rng.uniform(0.08, 0.22),
    )
    dg.composite(canvas, card, m)
    canvas = dg.blur(canvas, rng.uniform(0.3, 0.7))
    fmt = opts.fmt or rng.choice(("png", "jpg"))
    # Lossless scans come from cleaner pipelines; grain also makes PNGs several times bigger.
    if fmt == "png":
        dg.noise(canvas, nprng, rng.uniform(0.4, 0.8), chroma=0.0)
    else:
        dg.noise(canvas, nprng, rng.uniform(1.0, 2.2), chroma=0.2)
    corners = dg.to_edges(dg.project(m, dg.card_corners(card.shape[1], card.shape[0])))
    return Scene(dg.to_uint8(canvas), [Placement(corners, 0)], fmt, rng.randint(90, 96))


def rotated(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A scan turned by a quarter, half or three-quarter turn clockwise."""
    base = scan(plan, rng, nprng, opts)
    turn = opts.rotation or rng.choice((90, 180, 270))
    h, w = base.image.shape[:2]
    pts = base.placements[0].corners
    if turn == 90:
        img, new = np.rot90(base.image, -1), np.column_stack([h - pts[:, 1], pts[:, 0]])
    elif turn == 180:
        img, new = np.rot90(base.image, 2), np.column_stack([w - pts[:, 0], h - pts[:, 1]])
    else:
        img, new = np.rot90(base.image, 1), np.column_stack([pts[:, 1], w - pts[:, 0]])
    return Scene(np.ascontiguousarray(img), [Placement(new, turn)], base.fmt, base.quality)


def _camera_quad(card_w: int, card_h: int, rng: random.Random) -> np.ndarray:
    """Projected corners of a card seen by a pinhole camera with up to 25 degrees of tilt."""
    tilt = math.radians(rng.uniform(0, 25))
    direction = rng.uniform(0, 2 * math.pi)
    ax, ay = tilt * math.cos(direction), tilt * math.sin(direction)
    az = math.radians(rng.uniform(-15, 15))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    aspect = card_h / card_w
    pts3 = np.array(
        [[-0.5, -aspect / 2, 0], [0.5, -aspect / 2, 0], [0.5, aspect / 2, 0], [-0.5, aspect / 2, 0]]
    )
    cam = pts3 @ (rz @ ry @ rx).T
    dist = rng.uniform(1.6, 3.0)
    return cam[:, :2] / (cam[:, 2:3] + dist) * dist


def _quad_area(q: np.ndarray) -> float:
    x, y = q[:, 0], q[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


Hook = Callable[[np.ndarray, np.ndarray, random.Random, np.random.Generator], None]


def photo(
    plan: CardPlan,
    rng: random.Random,
    nprng: np.random.Generator,
    opts: SceneOptions,
    hook: Hook | None = None,
    background: str | None = None,
    desk: tuple[int, int, int] | None = None,
    shadow: float = 1.0,
) -> Scene:
    """A phone photo: tilted card on a textured surface, shadow, uneven light, blur, noise, JPEG.

    ``hook(canvas, card_mask, rng, nprng)`` changes the lit picture before blur and noise (the harder scenes);
    ``background`` forces the surface (without drawing it from the stream), ``desk`` makes it a plain surface of
    about that colour; ``shadow`` scales the card's drop shadow."""
    fw = rng.randint(1600, 4000)
    aspect = rng.choice((4 / 3, 3 / 2, 16 / 9, 3 / 4))
    fh = round(fw / aspect)
    quad = _camera_quad(plan.width, plan.height, rng)
    cover = rng.uniform(0.3, 0.7)
    quad *= math.sqrt(cover * fw * fh / _quad_area(quad))
    span = quad.max(axis=0) - quad.min(axis=0)
    fit = min(1.0, 0.94 * fw / span[0], 0.94 * fh / span[1])
    quad *= fit
    span = quad.max(axis=0) - quad.min(axis=0)
    pad = 0.03 * min(fw, fh)
    offset = np.array(
        [rng.uniform(pad, max(pad, fw - span[0] - pad)), rng.uniform(pad, max(pad, fh - span[1] - pad))]
    )
    quad = quad - quad.min(axis=0) + offset
    edge = float(np.linalg.norm(quad[1] - quad[0]))
    dpi = float(np.clip(300 * edge / plan.width, 150, 720))
    card = _card_array(plan, dpi)
    src = dg.card_corners(card.shape[1], card.shape[0]).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, (quad - 0.5).astype(np.float32)).astype(np.float64)
    kind = background or opts.background or rng.choice(KINDS)
    canvas = surface(kind, nprng, fh, fw) if desk is None else plain_like(nprng, fh, fw, desk)
    mask = dg.warp_mask(card.shape[:2], m, (fw, fh))
    scale = min(fw, fh) / 1000
    dg.drop_shadow(
        canvas,
        mask,
        (rng.uniform(-12, 12) * scale, rng.uniform(4, 18) * scale),
        rng.uniform(6, 18) * scale,
        rng.uniform(0.25, 0.5) * shadow,
    )
    dg.composite(canvas, card, m)
    dg.lighting(canvas, nprng, rng.uniform(0.62, 0.85), rng.uniform(0.98, 1.08))
    if hook is not None:
        hook(canvas, mask, rng, nprng)
    canvas = dg.blur(canvas, rng.uniform(0.5, 1.3) * max(1.0, fw / 2000))
    dg.noise(canvas, nprng, rng.uniform(1.5, 4.5))
    corners = dg.to_edges(dg.project(m, dg.card_corners(card.shape[1], card.shape[0])))
    return Scene(
        dg.to_uint8(canvas), [Placement(corners, 0)], "jpg", rng.randint(60, 90), {"background": kind}
    )


def multi(plans: list[CardPlan], rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """An A4 page scanned with 2-6 cards on it, each in its own cell so none overlap."""
    dpi = rng.choice((200, 240, 300))
    pw, ph = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    canvas = _bed(ph, pw, rng)
    cells = sorted(rng.sample(range(6), len(plans)))
    cw, ch = pw / 2, ph / 3
    placements: list[Placement] = []
    for cell, plan in zip(cells, plans, strict=True):
        card = _card_array(plan, dpi)
        h, w = card.shape[:2]
        pad = 0.03 * cw
        angle = rng.uniform(-4, 4)
        # A portrait card (90 mm tall) fits a 99 mm cell only nearly straight: halve its skew until it fits,
        # so every other page stays byte-identical.
        for _ in range(6):
            rot = _rotation_about(w / 2, h / 2, angle)
            pts = dg.project(rot, dg.card_corners(w, h))
            lo, span = pts.min(axis=0), pts.max(axis=0) - pts.min(axis=0)
            slack = np.array([cw - span[0] - 2 * pad, ch - span[1] - 2 * pad])
            if (slack >= 0).all():
                break
            angle = angle / 2 if abs(angle) > 0.1 else 0.0
        if (slack < 0).any():
            raise ValueError("card does not fit its cell")
        x0 = (cell % 2) * cw + pad + rng.uniform(0, slack[0])
        y0 = (cell // 2) * ch + pad + rng.uniform(0, slack[1])
        m = _translation(x0 - lo[0], y0 - lo[1]) @ rot
        mask = dg.warp_mask(card.shape[:2], m, (pw, ph))
        dg.drop_shadow(canvas, mask, (rng.uniform(-2, 2), rng.uniform(0.5, 2.5)), 1.5, rng.uniform(0.08, 0.2))
        dg.composite(canvas, card, m)
        placements.append(Placement(dg.to_edges(dg.project(m, dg.card_corners(w, h))), 0))
    canvas = dg.blur(canvas, rng.uniform(0.3, 0.6))
    dg.noise(canvas, nprng, rng.uniform(0.8, 1.6), chroma=0.2)
    return Scene(dg.to_uint8(canvas), placements, "jpg", rng.randint(85, 92), {"dpi": str(dpi)})


def lowres(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A small, soft, heavily compressed picture (thumbnails, messenger forwards)."""
    base = scan(plan, rng, nprng, SceneOptions(fmt="png"))
    target = rng.randint(500, 700)
    card_w, _ = card_size(plan, 300)
    s = target / card_w
    h, w = base.image.shape[:2]
    small = cv2.resize(base.image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA).astype(
        np.float32
    )
    small = dg.blur(small, rng.uniform(0.5, 0.9))
    dg.noise(small, nprng, rng.uniform(1.0, 3.0))
    sx, sy = small.shape[1] / w, small.shape[0] / h
    corners = base.placements[0].corners * np.array([sx, sy])
    return Scene(dg.to_uint8(small), [Placement(corners, 0)], "jpg", rng.randint(30, 50))


# ---------------------------------------------------------------- harder scenes


def _blob(h: int, w: int, cx: float, cy: float, rx: float, ry: float, angle: float) -> np.ndarray:
    """A soft elliptical blob in [0, 1] (1 inside, fading out over about a third of its radius)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    c, s = math.cos(angle), math.sin(angle)
    u = ((xx - cx) * c + (yy - cy) * s) / max(rx, 1.0)
    v = (-(xx - cx) * s + (yy - cy) * c) / max(ry, 1.0)
    d = np.sqrt(u * u + v * v)
    return np.clip((1.3 - d) / 0.6, 0.0, 1.0).astype(np.float32)


def shade(canvas: np.ndarray, mask: np.ndarray, rng: random.Random, nprng: np.random.Generator) -> None:
    """A strong shading gradient across the picture, and a hand's shadow and/or glare on the card."""
    h, w = canvas.shape[:2]
    ys, xs = np.nonzero(mask > 127)
    x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w - 0.5) * math.cos(theta) + (yy / h - 0.5) * math.sin(theta)
    ramp = (ramp - ramp.min()) / max(1e-6, float(np.ptp(ramp)))
    low = rng.uniform(0.3, 0.55)
    canvas *= (low + (1.0 - low) * ramp)[..., None]
    shadow, glare = rng.random() < 0.65, rng.random() < 0.55
    if not (shadow or glare):
        shadow = True
    span = max(x1 - x0, y1 - y0)
    if shadow:  # a hand or a phone held over the card: a big soft dark blob coming in from one side
        side = rng.randrange(4)
        cx = (x0, x1, rng.uniform(x0, x1), rng.uniform(x0, x1))[side]
        cy = (rng.uniform(y0, y1), rng.uniform(y0, y1), y0, y1)[side]
        blob = _blob(h, w, cx, cy, span * rng.uniform(0.25, 0.45), span * rng.uniform(0.12, 0.25),
                     rng.uniform(0, math.pi))  # fmt: skip
        blob = dg.blur(blob, span * 0.03)
        canvas *= (1.0 - rng.uniform(0.35, 0.6) * blob)[..., None]
    if glare:  # a lamp's reflection: a bright, nearly white patch on the card
        cx, cy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = span * rng.uniform(0.06, 0.16)
        blob = dg.blur(_blob(h, w, cx, cy, r * rng.uniform(1.0, 2.0), r, rng.uniform(0, math.pi)), r * 0.3)
        blob *= (mask.astype(np.float32) / 255.0)
        canvas += (rng.uniform(0.5, 0.95) * 255.0 * blob)[..., None]
        np.minimum(canvas, 255.0, out=canvas)


def shaded(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A phone photo with a strong shading gradient, a hand's shadow and/or glare."""
    return photo(plan, rng, nprng, opts, hook=shade)


def _turn(scene: Scene, turn: int) -> Scene:
    """The picture turned ``turn`` degrees clockwise, its cards' corners with it."""
    h, w = scene.image.shape[:2]
    out: list[Placement] = []
    img = scene.image
    if turn == 90:
        img = np.rot90(scene.image, -1)
    elif turn == 180:
        img = np.rot90(scene.image, 2)
    elif turn == 270:
        img = np.rot90(scene.image, 1)
    for p in scene.placements:
        pts = p.corners
        if turn == 90:
            new = np.column_stack([h - pts[:, 1], pts[:, 0]])
        elif turn == 180:
            new = np.column_stack([w - pts[:, 0], h - pts[:, 1]])
        elif turn == 270:
            new = np.column_stack([pts[:, 1], w - pts[:, 0]])
        else:
            new = pts.copy()
        out.append(Placement(new, (p.rotation + turn) % 360))
    return Scene(np.ascontiguousarray(img), out, scene.fmt, scene.quality, dict(scene.tags), scene.exif_orientation)


def upside(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A phone photo upside down (half of them) or sideways, shaded half of the time; no EXIF tag."""
    turn = rng.choice((180, 180, 90, 270))
    base = photo(plan, rng, nprng, opts, hook=shade if rng.random() < 0.5 else None)
    return _turn(base, turn)


def exif(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A phone photo whose EXIF orientation tag contradicts its pixels: an editor turned the pixels and kept the
    camera's tag, so a viewer that honours the tag shows the card sideways or upside down.

    The label describes the picture as such a viewer shows it (the tag applied, as ``PIL.ImageOps.exif_transpose``
    does): ``bbox`` and ``rotation`` are in that frame; ``Scene.exif_orientation`` is the tag written."""
    pixels = rng.choice((0, 0, 180, 90, 270))  # how the card stands in the stored pixels
    tag = rng.choice([t for t, turn in EXIF_TURN.items() if (pixels + turn) % 360 != 0])
    base = photo(plan, rng, nprng, opts, hook=shade if rng.random() < 0.3 else None)
    stored = _turn(base, pixels)
    shown = _turn(stored, EXIF_TURN[tag])
    return Scene(stored.image, shown.placements, stored.fmt, stored.quality, {**stored.tags, "pixel_rotation":
                 str(pixels)}, tag)  # fmt: skip


def panel(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A light card with a dark coloured side panel (layout ``dark_panel``) photographed on a light desk of
    nearly the card's own colour, with a faint shadow: the panel is the one strong edge in the picture."""
    level = rng.uniform(0.96, 1.01)
    desk = tuple(round(min(255.0, c * level + rng.uniform(-3, 3))) for c in plan.background)
    return photo(plan, rng, nprng, opts, background="light_desk", desk=desk, shadow=rng.uniform(0.0, 0.15))


def tiny(plan: CardPlan, rng: random.Random, nprng: np.random.Generator, opts: SceneOptions) -> Scene:
    """A tiny, crushed picture: the card 500-700 px wide, tilted up to 14 degrees, on a surface, blurred,
    JPEG quality 25-50 (thumbnails, messenger forwards of phone photos)."""
    target = rng.randint(500, 700)
    dpi = 300 * target / plan.width * rng.uniform(1.3, 1.8)  # drawn a little larger, then shrunk
    card = _card_array(plan, dpi)
    angle = rng.uniform(-14, 14)
    lo, hi = _margin_range(card)
    m, (w, h) = _place_flat(card, rng, angle, (rng.randint(lo, hi * 2), rng.randint(lo, hi * 2)))
    kind = rng.choice(("desk", "wood", "fabric", "solid", "light_desk"))
    canvas = surface(kind, nprng, h, w)
    mask = dg.warp_mask(card.shape[:2], m, (w, h))
    dg.drop_shadow(canvas, mask, (rng.uniform(-4, 4), rng.uniform(2, 8)), rng.uniform(3, 8), rng.uniform(0.2, 0.4))
    dg.composite(canvas, card, m)
    dg.lighting(canvas, nprng, rng.uniform(0.7, 0.9), rng.uniform(0.98, 1.05))
    s = target / card.shape[1]
    small = cv2.resize(canvas, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    small = dg.blur(small, rng.uniform(0.6, 1.2))
    dg.noise(small, nprng, rng.uniform(1.5, 3.5))
    sx, sy = small.shape[1] / w, small.shape[0] / h
    corners = dg.to_edges(dg.project(m, dg.card_corners(card.shape[1], card.shape[0]))) * np.array([sx, sy])
    return Scene(dg.to_uint8(small), [Placement(corners, 0)], "jpg", rng.randint(25, 50), {"background": kind})


MAKERS = {"scan": scan, "photo": photo, "rotated": rotated, "lowres": lowres, "shaded": shaded, "upside": upside,
          "exif": exif, "panel": panel, "tiny": tiny}  # fmt: skip
