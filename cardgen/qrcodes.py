"""QR codes printed on cards: a vCard 3.0 (most), a MeCard or the website's URL, made with segno.

A code goes where real cards put it, a corner or the middle of a side, 15-22 mm wide, on a part of
the card left free by the layout. When no such spot is free, the same content and style are laid out
again leaving a strip for it. Every choice comes from the random stream it is given, so the card's
own stream (and every card without a code) is untouched.
"""

from __future__ import annotations

import random
from dataclasses import replace

import segno
import segno.helpers

from cardgen.geometry import REF_DPI, CodeOp, LayoutError, Op, ShapeOp, TextOp, shape_bbox, text_bbox
from cardgen.layouts import DARK, DARK_OK, FAMILIES, CardPlan, build_plan, mm_to_px
from cardgen.model import RGB, CardContent
from cardgen.styles import Style

KINDS = ("vcard", "mecard", "url")
KIND_WEIGHTS = (0.7, 0.15, 0.15)
SIZE_MM = (15.0, 22.0)  # the code's symbol, quiet zone excluded
BORDER = 2  # modules of quiet zone printed around the symbol
EDGE_MM = 2.5  # from the card's edge to the quiet zone
CLEAR_MM = 1.5  # from the quiet zone to any text or shape
_TEL = {"mobile": "cellphone", "work": "workphone", "fax": "fax", "home": "homephone", "other": "phone"}

Box4 = tuple[float, float, float, float]


def pick_kind(content: CardContent, rng: random.Random) -> str:
    kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
    return "vcard" if kind == "url" and not content.websites else kind


def payload(kind: str, content: CardContent, rng: random.Random) -> str:
    """The text in the code: the card's own fields (a short vCard holds only name, phone and e-mail)."""
    if kind == "url":
        return rng.choice([url for _, url in content.websites])
    if kind == "mecard":
        return _mecard(content, rng)
    return _vcard(content, rng.random() < 0.35)


def _parts(content: CardContent) -> tuple[str, dict[str, str]]:
    """The printed name and its parts; a name printed in capitals is in proper case in the code."""
    caps = content.name.text.isupper()
    fix = str.title if caps else str
    parts = {k: fix(v) for k, v in content.name_parts.items() if v}
    return fix(content.name.text), parts


def _phones(content: CardContent, short: bool) -> dict[str, list[str]]:
    phones = [p for _, p in content.phones]
    if short and phones:
        phones = [next((p for p in phones if p.type == "mobile"), phones[0])]
    out: dict[str, list[str]] = {}
    for p in phones:
        value = p.number + (f" ext. {p.extension}" if p.extension else "")
        out.setdefault(_TEL[p.type], []).append(value)
    return out


def _vcard(content: CardContent, short: bool) -> str:
    display, parts = _parts(content)
    name = ";".join(parts.get(k, "") for k in ("family", "given", "middle", "prefix", "suffix"))
    emails = [e for _, e in content.emails][: 1 if short else None]
    if short:
        return segno.helpers.make_vcard_data(name, display, email=emails, **_phones(content, True))
    urls = [u for _, u in content.websites] + [s for _, s in content.socials]
    return segno.helpers.make_vcard_data(
        name, display, email=emails, url=urls, org=_text(content.company), title=_text(content.title),
        street=_text(content.address), **_phones(content, False))


def _mecard(content: CardContent, rng: random.Random) -> str:
    _, parts = _parts(content)
    given = " ".join(p for p in (parts.get("given"), parts.get("middle") if rng.random() < 0.5 else None) if p)
    phones = [v for values in _phones(content, False).values() for v in values]
    return segno.helpers.make_mecard_data(
        f"{parts.get('family', '')},{given}", email=[e for _, e in content.emails], phone=phones,
        url=[u for _, u in content.websites], houseno=_text(content.address) if rng.random() < 0.5 else None)


def _text(item: object) -> str | None:
    return getattr(item, "text", None)


def code_rows(text: str) -> tuple[str, ...]:
    qr = segno.make(text, error="m", micro=False)
    return tuple("".join("1" if m else "0" for m in row) for row in qr.matrix_iter(scale=1, border=BORDER))


def with_code(
    content: CardContent, plan: CardPlan, style: Style | None, rng: random.Random
) -> tuple[CardPlan, str] | None:
    """The card with a QR code printed on it, and the code's kind; None when no layout leaves room."""
    kind = pick_kind(content, rng)
    rows = code_rows(payload(kind, content, rng))
    symbol_mm = rng.uniform(*SIZE_MM)
    colours = _colours(plan, style)
    placed = _on_free_spot(plan, rows, symbol_mm, colours, rng)
    if placed is None and style is not None:
        placed = _on_new_layout(content, plan, style, rows, symbol_mm, colours, rng)
    return (placed, kind) if placed is not None else None


def _colours(plan: CardPlan, style: Style | None) -> tuple[RGB, RGB]:
    """Dark modules on the card's paper; on a dark card, the card's colour on a white tile."""
    if style is not None and style.dark:
        return plan.background, (255, 255, 255)
    return (style.ink if style is not None else (0, 0, 0)), plan.background


def _tile_px(rows: tuple[str, ...], symbol_mm: float) -> float:
    n = len(rows)
    return mm_to_px(symbol_mm) * n / (n - 2 * BORDER)


def _spots(w: float, h: float, side: float) -> list[tuple[float, float]]:
    """Corners, then the middles of the left and right sides."""
    e = mm_to_px(EDGE_MM)
    left, right, top, bottom, mid = e, w - e - side, e, h - e - side, (h - side) / 2
    return [(left, top), (right, top), (left, bottom), (right, bottom), (left, mid), (right, mid)]


def _taken(ops: list[Op]) -> list[Box4]:
    return [text_bbox(o) if isinstance(o, TextOp) else shape_bbox(o) for o in ops if isinstance(o, TextOp | ShapeOp)]


def _free(box: Box4, taken: list[Box4]) -> bool:
    pad = mm_to_px(CLEAR_MM)
    return not any(box[0] < t[2] + pad and t[0] < box[2] + pad and box[1] < t[3] + pad and t[1] < box[3] + pad
                   for t in taken)


def _on_free_spot(
    plan: CardPlan, rows: tuple[str, ...], symbol_mm: float, colours: tuple[RGB, RGB], rng: random.Random
) -> CardPlan | None:
    """The largest code up to ``symbol_mm`` (not under 15 mm) that fits a free corner or side."""
    taken = _taken(plan.ops)
    size = symbol_mm
    while size >= SIZE_MM[0]:
        side = _tile_px(rows, size)
        free = [(x, y) for x, y in _spots(plan.width, plan.height, side) if _free((x, y, x + side, y + side), taken)]
        if free:
            x, y = rng.choice(free)
            return replace(plan, ops=[*plan.ops, CodeOp(rows, x, y, side, *colours)])
        size -= 0.5
    return None


def _on_new_layout(
    content: CardContent,
    plan: CardPlan,
    style: Style,
    rows: tuple[str, ...],
    symbol_mm: float,
    colours: tuple[RGB, RGB],
    rng: random.Random,
) -> CardPlan | None:
    """The same content and style laid out again beside a strip kept for the code (at the smallest size
    if need be), in the card's layout family if it fits, else in another."""
    allowed = [f for f in FAMILIES if (f in DARK | DARK_OK if style.dark else f not in DARK)]
    for size in (symbol_mm, SIZE_MM[0]):
        side = _tile_px(rows, size)
        reserve_mm = side * 25.4 / REF_DPI + EDGE_MM + CLEAR_MM
        for family in [plan.layout] * 4 + rng.sample(allowed, len(allowed)):
            try:
                new = build_plan(content, style, rng, family, reserve_mm)
            except LayoutError:
                continue
            return _into_strip(new, mm_to_px(reserve_mm), side, CodeOp(rows, 0, 0, side, *colours), rng)
    return None


def _into_strip(plan: CardPlan, strip: int, side: float, code: CodeOp, rng: random.Random) -> CardPlan:
    e = mm_to_px(EDGE_MM)
    if plan.portrait:  # the strip is at the bottom
        x = rng.choice((e, (plan.width - side) / 2, plan.width - e - side))
        return replace(plan, ops=[*plan.ops, replace(code, x=x, y=plan.height - e - side)])
    y = rng.choice((e, (plan.height - side) / 2, plan.height - e - side))
    if rng.random() < 0.5:
        return replace(plan, ops=[*plan.ops, replace(code, x=plan.width - e - side, y=y)])
    ops = [_shifted(op, strip) for op in plan.ops]  # the strip on the left: the layout moves right
    return replace(plan, ops=[*ops, replace(code, x=e, y=y)])


def _shifted(op: Op, dx: float) -> Op:
    if isinstance(op, TextOp):
        return replace(op, x=op.x + dx)
    if isinstance(op, ShapeOp):
        return replace(op, points=tuple(v + dx if i % 2 == 0 else v for i, v in enumerate(op.points)))
    return replace(op, x=op.x + dx)
