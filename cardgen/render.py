"""Drawing a card plan at any resolution."""

from __future__ import annotations

from PIL import Image, ImageDraw

from cardgen.fonts import font
from cardgen.geometry import REF_DPI, ShapeOp, TextOp
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
        else:
            _text(draw, op, s)
    return img


def _text(draw: ImageDraw.ImageDraw, op: TextOp, s: float) -> None:
    draw.text(
        (op.x * s, op.y * s), op.text, fill=op.color, font=font(op.face, round(op.size * s)), anchor=op.anchor
    )
