"""Drawing a card plan at any resolution."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from cardgen.fonts import font
from cardgen.geometry import REF_DPI, CodeOp, ShapeOp, TextOp
from cardgen.layouts import CardPlan


def card_size(plan: CardPlan, dpi: float) -> tuple[int, int]:
    s = dpi / REF_DPI
    return round(plan.width * s), round(plan.height * s)


def _shape(draw: ImageDraw.ImageDraw, op: ShapeOp, s: float) -> None:
    pts = [p * s for p in op.points]
    width = max(1, round(op.width * s))
    if op.kind == "rect":
        draw.rectangle(pts, fill=op.fill)
    elif op.kind == "rounded":
        draw.rounded_rectangle(pts, radius=(pts[2] - pts[0]) * 0.22, fill=op.fill)
    elif op.kind == "ellipse":
        draw.ellipse(pts, fill=op.fill, outline=op.outline, width=width if op.outline else 0)
    elif op.kind == "polygon":
        draw.polygon(pts, fill=op.fill)
    elif op.kind == "line":
        draw.line(pts, fill=op.outline, width=width, joint="curve")
    else:
        raise ValueError(op.kind)


def render_card(plan: CardPlan, dpi: float) -> Image.Image:
    """The flat printed card (no degradation) at ``dpi``."""
    s = dpi / REF_DPI
    img = Image.new("RGB", card_size(plan, dpi), plan.background)
    draw = ImageDraw.Draw(img)
    for op in plan.ops:
        if isinstance(op, ShapeOp):
            _shape(draw, op, s)
        elif isinstance(op, CodeOp):
            _code(img, op, s)
        else:
            _text(draw, op, s)
    return img


def _text(draw: ImageDraw.ImageDraw, op: TextOp, s: float) -> None:
    draw.text(
        (op.x * s, op.y * s), op.text, fill=op.color, font=font(op.face, round(op.size * s)), anchor=op.anchor
    )


def _code(img: Image.Image, op: CodeOp, s: float) -> None:
    """The code's modules averaged over each output pixel (a printed code seen at this resolution)."""
    x0, y0 = round(op.x * s), round(op.y * s)
    side = round((op.x + op.size) * s) - x0
    dark = np.array([[ch == "1" for ch in row] for row in op.rows], dtype=np.float32)
    cover = np.asarray(Image.fromarray(dark).resize((side, side), Image.Resampling.BOX))[..., None]
    ink, paper = np.array(op.dark, np.float32), np.array(op.light, np.float32)
    tile = np.clip(np.rint(paper + (ink - paper) * cover), 0, 255).astype(np.uint8)
    img.paste(Image.fromarray(tile), (x0, y0))
