"""Layout families: each turns card content and a style into a drawing plan."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from cardgen.geometry import (
    REF_DPI,
    Box,
    Entry,
    Gap,
    LayoutError,
    Line,
    Op,
    Placed,
    Rule,
    ShapeOp,
    Spacer,
    TextOp,
    check_plan,
    column,
    pack,
    wrap,
)
from cardgen.model import RGB, CardContent, Item
from cardgen.styles import Style

PT = REF_DPI / 72
MIN_BODY = 6.0 * PT
MIN_SMALL = 5.3 * PT
MIN_NAME = 9.5 * PT

CARD_SIZES_MM: tuple[tuple[float, float], ...] = ((90.0, 50.0), (85.0, 55.0), (88.9, 50.8))


@dataclass
class CardPlan:
    width: int
    height: int
    background: RGB
    ops: list[Op]
    layout: str
    portrait: bool


@dataclass
class Ctx:
    c: CardContent
    st: Style
    rng: random.Random
    w: float
    h: float

    @property
    def body(self) -> float:
        return self.st.body_pt * PT

    @property
    def mx(self) -> float:
        return 0.065 * min(self.w, self.h) * (1.7 if self.w > self.h else 1.0)

    @property
    def my(self) -> float:
        return 0.085 * min(self.w, self.h)


def mm_to_px(mm: float) -> int:
    return round(mm / 25.4 * REF_DPI)


# ---------------------------------------------------------------- line builders


def name_lines(
    x: Ctx, width: float, size_pt: float | None = None, split: bool = False, color: RGB | None = None
) -> list[Line]:
    size = (size_pt or x.st.name_pt) * PT
    return wrap(x.c.name, x.st.name_face, size, color or x.st.name_color, MIN_NAME, width, 2, split)


def identity(
    x: Ctx, width: float, split_name: bool = False, name_color: RGB | None = None, ink: RGB | None = None
) -> list[Entry]:
    """Name, Latin alias, title(s) and department."""
    ink = ink or x.st.ink
    muted = x.st.muted if ink == x.st.ink else ink
    out: list[Entry] = [*name_lines(x, width, split=split_name, color=name_color)]
    for alias in x.c.aliases:
        out.append(Line(alias.text, x.st.title_face, x.body * 1.15, muted, (alias.key,), MIN_BODY))
    if x.c.title or x.c.title_en or x.c.department:
        out.append(Gap(x.body * 0.35))
    if x.c.title:
        out += wrap(x.c.title, x.st.title_face, x.body * 1.1, ink, MIN_BODY, width, 2)
    if x.c.title_en:
        out += wrap(x.c.title_en, x.st.title_face, x.body * 0.95, muted, MIN_SMALL, width, 2)
    if x.c.department:
        out += wrap(x.c.department, x.st.body_face, x.body * 0.95, muted, MIN_SMALL, width, 2)
    return out


def company_lines(x: Ctx, width: float, big: bool | None = None, color: RGB | None = None) -> list[Entry]:
    if x.c.company is None:
        return []
    big = x.st.company_big if big is None else big
    size = x.st.name_pt * PT * (1.05 if big else 0.62)
    line = Line(
        x.c.company.text, x.st.company_face, size, color or x.st.company_color, (x.c.company.key,), MIN_BODY
    )
    out: list[Entry] = [line]
    if x.c.slogan:
        out.append(
            Line(
                x.c.slogan.text,
                x.st.title_face,
                x.body * 0.9,
                color or x.st.muted,
                (x.c.slogan.key,),
                MIN_SMALL,
            )
        )
    return out


def contacts(
    x: Ctx, width: float, ink: RGB | None = None, icons: bool = False, paired: bool = False
) -> list[Entry]:
    ink = ink or x.st.ink
    items = x.c.contact_items()
    out: list[Entry] = []
    if paired:
        out += pack(items, x.st.body_face, x.body, ink, MIN_BODY, width, "   ")
    else:
        for item in items:
            out.append(
                Line(
                    item.text,
                    x.st.body_face,
                    x.body,
                    ink,
                    (item.key,),
                    MIN_BODY,
                    icon=item.role if icons else None,
                )
            )
    if x.c.address:
        lines = wrap(x.c.address, x.st.body_face, x.body, ink, MIN_BODY, width - (36 if icons else 0), 3)
        if icons:
            lines[0].icon = "address"
        out += lines
    if icons:
        for e in out:
            if isinstance(e, Line):
                e.indent = x.body * 1.35
    return out


def extras(x: Ctx, ink: RGB | None = None) -> list[Entry]:
    color = ink or x.st.muted
    return [Line(e.text, x.st.body_face, x.body * 0.82, color, (e.key,), MIN_SMALL) for e in x.c.extras]


# ---------------------------------------------------------------- decorations


def logo(
    x: Ctx, cx: float, cy: float, r: float, color: RGB | None = None, ink: RGB | None = None
) -> list[Op]:
    """A simple mark: a shape in the accent colour, usually with the company initials."""
    color = color or x.st.accent
    ink = ink or x.st.on_accent
    kind = x.rng.choice(("circle", "square", "diamond", "hexagon", "ring", "bars"))
    ops: list[Op] = []
    if kind == "circle":
        ops.append(ShapeOp("ellipse", (cx - r, cy - r, cx + r, cy + r), fill=color, obstacle=True))
    elif kind == "square":
        ops.append(ShapeOp("rounded", (cx - r, cy - r, cx + r, cy + r), fill=color, obstacle=True))
    elif kind == "diamond":
        ops.append(
            ShapeOp("polygon", (cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy), fill=color, obstacle=True)
        )
    elif kind == "hexagon":
        pts: list[float] = []
        for i in range(6):
            a = math.pi / 3 * i + math.pi / 6
            pts += [cx + r * math.cos(a), cy + r * math.sin(a)]
        ops.append(ShapeOp("polygon", tuple(pts), fill=color, obstacle=True))
    elif kind == "ring":
        ops.append(
            ShapeOp("ellipse", (cx - r, cy - r, cx + r, cy + r), outline=color, width=r * 0.16, obstacle=True)
        )
        ink = color
    else:
        for i in range(3):
            bx = cx - r + i * r * 0.72
            ops.append(
                ShapeOp(
                    "rect",
                    (bx, cy + r - r * (0.8 + 0.6 * i), bx + r * 0.5, cy + r),
                    fill=color,
                    obstacle=True,
                )
            )
        return ops
    if x.c.logo_text and x.rng.random() < 0.75:
        ops.append(TextOp(x.c.logo_text, x.st.label_face, round(r * 0.85), cx, cy, "mm", ink, decor=True))
    return ops


def icon(kind: str, cx: float, cy: float, s: float, color: RGB, bg: RGB) -> list[Op]:
    """Tiny pictograms in front of contact lines; shapes only, so they never read as text."""
    r = s / 2
    if kind == "phone":
        return [
            ShapeOp("ellipse", (cx - r, cy - r, cx + r, cy + r), fill=color, obstacle=True),
            ShapeOp("rect", (cx - r * 0.2, cy - r * 0.55, cx + r * 0.2, cy + r * 0.55), fill=bg),
        ]
    if kind == "email":
        return [
            ShapeOp("rect", (cx - r, cy - r * 0.7, cx + r, cy + r * 0.7), fill=color, obstacle=True),
            ShapeOp(
                "line",
                (cx - r, cy - r * 0.7, cx, cy + r * 0.1, cx + r, cy - r * 0.7),
                outline=bg,
                width=max(2.0, s * 0.09),
            ),
        ]
    if kind in ("website", "social"):
        return [
            ShapeOp(
                "ellipse",
                (cx - r, cy - r, cx + r, cy + r),
                outline=color,
                width=max(2.0, s * 0.12),
                obstacle=True,
            ),
            ShapeOp("line", (cx - r, cy, cx + r, cy), outline=color, width=max(2.0, s * 0.09)),
        ]
    return [
        ShapeOp(
            "polygon",
            (cx - r * 0.75, cy - r * 0.3, cx + r * 0.75, cy - r * 0.3, cx, cy + r),
            fill=color,
            obstacle=True,
        ),
        ShapeOp("ellipse", (cx - r * 0.75, cy - r, cx + r * 0.75, cy + r * 0.45), fill=color),
    ]


def with_icons(placed: Placed, x: Ctx, color: RGB, bg: RGB) -> list[Op]:
    ops = list(placed.ops)
    for kind, left, cy, size in placed.icon_rows:
        ops += icon(kind, left + size / 2, cy, size, color, bg)
    return ops


def narrow(entries: list[Entry], width: float) -> list[Entry]:
    for e in entries:
        if isinstance(e, Line):
            e.max_w = width
    return entries


# ---------------------------------------------------------------- families


def classic_centered(x: Ctx) -> list[Op]:
    box = Box(x.mx, x.my, x.w - x.mx, x.h - x.my)
    entries: list[Entry] = [*company_lines(x, box.w), Spacer(0.6)]
    entries += identity(x, box.w)
    entries += [Spacer(1), Rule(x.st.accent, x.rng.uniform(0.25, 0.6), 3), Gap(4)]
    entries += contacts(x, box.w, paired=x.rng.random() < 0.6)
    entries += extras(x)
    return column(entries, box, "center").ops


def left_logo(x: Ctx) -> list[Op]:
    r = x.h * x.rng.uniform(0.1, 0.14)
    cx, cy = x.w - x.mx - r, x.my + r
    box = Box(x.mx, x.my, x.w - x.mx, x.h - x.my)
    top = narrow(identity(x, box.w - 2 * r - 30), box.w - 2 * r - 30)
    entries: list[Entry] = [*top, Spacer(1), *company_lines(x, box.w, big=False), Gap(6)]
    entries += contacts(x, box.w) + extras(x)
    return logo(x, cx, cy, r) + column(entries, box, "left").ops


def two_column(x: Ctx) -> list[Op]:
    split = x.w * x.rng.uniform(0.44, 0.5)
    left = Box(x.mx, x.my, split - 25, x.h - x.my)
    right = Box(split + 25, x.my, x.w - x.mx, x.h - x.my)
    lcol: list[Entry] = [*company_lines(x, left.w), Spacer(1), *identity(x, left.w), Spacer(1), *extras(x)]
    rcol: list[Entry] = [Spacer(1), *contacts(x, right.w), Spacer(1)]
    rule = ShapeOp("rect", (split - 1.5, x.h * 0.18, split + 1.5, x.h * 0.82), fill=x.st.accent)
    return [rule, *column(lcol, left, "left").ops, *column(rcol, right, x.rng.choice(("left", "right"))).ops]


def banner_top(x: Ctx) -> list[Op]:
    band = x.h * x.rng.uniform(0.22, 0.3)
    ops: list[Op] = [ShapeOp("rect", (0, 0, x.w, band), fill=x.st.accent)]
    r = band * 0.3
    ops += logo(x, x.mx + r, band / 2, r, color=x.st.on_accent, ink=x.st.accent)
    head = Box(x.mx + 2 * r + 25, band * 0.12, x.w - x.mx, band * 0.88)
    ops += column([Spacer(1), *company_lines(x, head.w, color=x.st.on_accent), Spacer(1)], head, "left").ops
    box = Box(x.mx, band + x.my * 0.6, x.w - x.mx, x.h - x.my)
    align = x.rng.choice(("left", "center"))
    entries: list[Entry] = [
        *identity(x, box.w),
        Spacer(1),
        *contacts(x, box.w, paired=align == "center"),
        *extras(x),
    ]
    return ops + column(entries, box, align).ops


def portrait(x: Ctx) -> list[Op]:
    r = x.w * x.rng.uniform(0.1, 0.14)
    ops = logo(x, x.w / 2, x.my + r, r)
    box = Box(x.mx, x.my + 2 * r + 20, x.w - x.mx, x.h - x.my)
    entries: list[Entry] = [*company_lines(x, box.w, big=False), Spacer(0.7)]
    entries += identity(x, box.w, split_name=x.rng.random() < 0.7)
    entries += [Spacer(1), Rule(x.st.accent, 0.3, 3), *contacts(x, box.w), *extras(x)]
    return ops + column(entries, box, "center").ops


def dark_left(x: Ctx) -> list[Op]:
    r = x.h * x.rng.uniform(0.09, 0.12)
    ops = logo(x, x.w - x.mx - r, x.my + r, r, color=x.st.accent, ink=x.st.background)
    box = Box(x.mx, x.my, x.w - x.mx, x.h - x.my)
    avail = box.w - 2 * r - 30
    top = narrow(
        [*company_lines(x, avail, big=False), Gap(8), *identity(x, avail, name_color=x.st.accent)], avail
    )
    entries: list[Entry] = [*top, Spacer(1), Rule(x.st.accent, 0.12, 3), *contacts(x, box.w), *extras(x)]
    return ops + column(entries, box, "left").ops


def minimal(x: Ctx) -> list[Op]:
    box = Box(x.mx, x.my, x.w - x.mx, x.h - x.my)
    big = x.st.name_pt * x.rng.uniform(1.1, 1.35)
    top: list[Entry] = [*name_lines(x, box.w, big, split=x.rng.random() < 0.6)]
    rest = identity(x, box.w)[len(name_lines(x, box.w)) :]
    top += rest
    top_placed = column(top, Box(box.x0, box.y0, box.x1, box.y0 + box.h * 0.55), "left")
    half = box.w * 0.5
    items = x.c.contact_items()
    phones_mail = [i for i in items if i.role in ("phone", "email")]
    other = [i for i in items if i.role not in ("phone", "email")]
    small = x.body * 0.92
    lcol: list[Entry] = [Spacer(1)]
    lcol += [Line(i.text, x.st.body_face, small, x.st.ink, (i.key,), MIN_BODY) for i in phones_mail]
    rcol: list[Entry] = [Spacer(1), *company_lines(x, half, big=False)]
    rcol += [Line(i.text, x.st.body_face, small, x.st.ink, (i.key,), MIN_BODY) for i in other]
    if x.c.address:
        rcol += wrap(x.c.address, x.st.body_face, small, x.st.ink, MIN_BODY, half - 20, 3)
    rcol += extras(x)
    bottom_y = top_placed_bottom(top_placed) + 20
    lbox = Box(box.x0, bottom_y, box.x0 + half - 15, box.y1)
    rbox = Box(box.x0 + half + 15, bottom_y, box.x1, box.y1)
    return top_placed.ops + column(lcol, lbox, "left").ops + column(rcol, rbox, "right").ops


def top_placed_bottom(placed: Placed) -> float:
    from cardgen.geometry import text_bbox

    return max(text_bbox(o)[3] for o in placed.ops if isinstance(o, TextOp))


def icon_list(x: Ctx) -> list[Op]:
    split = x.w * x.rng.uniform(0.42, 0.48)
    left = Box(x.mx, x.my, split - 20, x.h - x.my)
    right = Box(split + 20, x.my, x.w - x.mx, x.h - x.my)
    lcol: list[Entry] = [
        Spacer(1),
        *identity(x, left.w),
        Gap(16),
        *company_lines(x, left.w, big=False),
        Spacer(1),
        *extras(x),
    ]
    rcol: list[Entry] = [Spacer(1), *contacts(x, right.w, icons=True), Spacer(1)]
    placed = column(rcol, right, "left")
    return column(lcol, left, "left").ops + with_icons(placed, x, x.st.accent, x.st.background)


def bottom_strip(x: Ctx) -> list[Op]:
    inner = x.w - 2 * x.mx
    strip_lines = pack(
        x.c.contact_items(),
        x.st.body_face,
        x.body,
        x.st.on_accent,
        MIN_BODY,
        inner,
        x.rng.choice(("   |   ", "  •  ", "    ")),
    )
    if len(strip_lines) > 2:
        raise LayoutError("too many contacts for a strip")
    from cardgen.geometry import line_height

    strip_h = sum(line_height(ln.face, ln.size) for ln in strip_lines) + x.my * 0.9
    sbox = Box(x.mx, x.h - strip_h + x.my * 0.45, x.w - x.mx, x.h - x.my * 0.45)
    ops: list[Op] = [ShapeOp("rect", (0, x.h - strip_h, x.w, x.h), fill=x.st.accent)]
    ops += column(list(strip_lines), sbox, "center").ops
    box = Box(x.mx, x.my, x.w - x.mx, x.h - strip_h - x.my * 0.6)
    align = x.rng.choice(("left", "center"))
    entries: list[Entry] = [*company_lines(x, box.w, big=False), Spacer(0.7), *identity(x, box.w), Spacer(1)]
    if x.c.address:
        entries += wrap(x.c.address, x.st.body_face, x.body * 0.95, x.st.muted, MIN_BODY, box.w, 2)
    entries += extras(x)
    return ops + column(entries, box, align).ops


def sidebar(x: Ctx) -> list[Op]:
    bar = x.w * x.rng.uniform(0.03, 0.07)
    on_right = x.rng.random() < 0.3
    bar_rect = (x.w - bar, 0, x.w, x.h) if on_right else (0, 0, bar, x.h)
    x0 = x.mx if on_right else bar + x.mx * 0.8
    x1 = x.w - bar - x.mx * 0.8 if on_right else x.w - x.mx
    box = Box(x0, x.my, x1, x.h - x.my)
    entries: list[Entry] = [*company_lines(x, box.w), Gap(12), *identity(x, box.w), Spacer(1)]
    entries += contacts(x, box.w) + extras(x)
    return [ShapeOp("rect", bar_rect, fill=x.st.accent), *column(entries, box, "left").ops]


PANEL_COLOURS: tuple[RGB, ...] = ((22, 40, 78), (92, 20, 36), (18, 62, 48), (40, 40, 46), (0, 78, 96), (70, 30, 90))
PANEL_INK: RGB = (246, 244, 238)


def dark_panel(x: Ctx) -> list[Op]:
    """A light card with a dark coloured panel down one side (a third of its width) holding the logo and the
    company; the name, title and contacts sit on the light part. Drawn only on request (the ``panel`` scene)."""
    frac = x.rng.uniform(0.28, 0.38)
    on_right = x.rng.random() < 0.35
    pw = x.w * frac
    rect = (x.w - pw, 0.0, x.w, x.h) if on_right else (0.0, 0.0, pw, x.h)
    colour = x.rng.choice(PANEL_COLOURS)
    px0 = rect[0] + x.mx * 0.6
    pbox = Box(px0, x.my, rect[2] - x.mx * 0.6, x.h - x.my)
    r = min(pbox.w * 0.3, x.h * 0.13)
    ops: list[Op] = [ShapeOp("rect", rect, fill=colour)]
    ops += logo(x, (rect[0] + rect[2]) / 2, x.my + r, r, color=PANEL_INK, ink=colour)
    panel_entries: list[Entry] = [Spacer(1), *company_lines(x, pbox.w, big=False, color=PANEL_INK), Spacer(1)]
    ops += column(panel_entries, Box(pbox.x0, x.my + 2 * r + 10, pbox.x1, pbox.y1), "center").ops
    x0 = x.mx if on_right else pw + x.mx * 0.8
    x1 = x.w - pw - x.mx * 0.8 if on_right else x.w - x.mx
    box = Box(x0, x.my, x1, x.h - x.my)
    entries: list[Entry] = [*identity(x, box.w), Spacer(1), *contacts(x, box.w), *extras(x)]
    return ops + column(entries, box, "left").ops


Family = Callable[[Ctx], list[Op]]

FAMILIES: dict[str, Family] = {
    "classic_centered": classic_centered,
    "left_logo": left_logo,
    "two_column": two_column,
    "banner_top": banner_top,
    "portrait": portrait,
    "dark_left": dark_left,
    "minimal_big_name": minimal,
    "icon_list": icon_list,
    "bottom_strip": bottom_strip,
    "sidebar": sidebar,
}
WEIGHTS: dict[str, float] = {
    "classic_centered": 14, "left_logo": 14, "two_column": 12, "banner_top": 10, "portrait": 7,
    "dark_left": 7, "minimal_big_name": 9, "icon_list": 10, "bottom_strip": 8, "sidebar": 9,
}  # fmt: skip
PORTRAIT = {"portrait"}
DARK = {"dark_left"}
# Families where a dark palette reads well (no light bands that assume a light card).
DARK_OK = {"classic_centered", "minimal_big_name", "sidebar", "two_column"}
# Families never drawn at random, only asked for by name (by a scene).
ON_REQUEST: dict[str, Family] = {"dark_panel": dark_panel}


def build_plan(
    content: CardContent, style: Style, rng: random.Random, family: str, reserve_mm: float = 0.0
) -> CardPlan:
    """Lay the card out with ``family``; raises LayoutError when it does not fit legibly.

    ``reserve_mm`` keeps a strip that wide free of everything for a QR code: at the right of a
    landscape card, at the bottom of a portrait one.
    """
    w_mm, h_mm = rng.choice(CARD_SIZES_MM)
    w, h = mm_to_px(w_mm), mm_to_px(h_mm)
    if family in PORTRAIT:
        w, h = h, w
    strip = mm_to_px(reserve_mm) if reserve_mm else 0
    lw, lh = (w, h - strip) if family in PORTRAIT else (w - strip, h)
    ctx = Ctx(content, style, rng, float(lw), float(lh))
    ops = (FAMILIES.get(family) or ON_REQUEST[family])(ctx)
    keys = {item.key for item in content.all_items()}
    check_plan(ops, lw, lh, keys, margin=0.02 * min(lw, lh))
    return CardPlan(w, h, style.background, ops, family, family in PORTRAIT)


def used_items(plan: CardPlan) -> set[int]:
    return {k for op in plan.ops if isinstance(op, TextOp) for k in op.keys}


__all__ = ["FAMILIES", "CardPlan", "Item", "build_plan"]
