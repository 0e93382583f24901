"""Plan-level drawing primitives and the text-column engine used by every layout.

Plans are in reference pixels at 300 dpi; the renderer scales them to any output resolution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cardgen.fonts import font
from cardgen.model import RGB, Item

REF_DPI = 300
LEADING = 1.12


class LayoutError(Exception):
    """The content does not fit this layout legibly; the caller tries another layout or content."""


@dataclass(frozen=True)
class TextOp:
    text: str
    face: str
    size: int
    x: float
    y: float
    anchor: str  # PIL anchor: "la", "ma" or "ra" (top of ascender)
    color: RGB
    keys: tuple[int, ...] = ()
    decor: bool = False  # logo initials: allowed to sit on their shape


@dataclass(frozen=True)
class ShapeOp:
    kind: str  # rect, ellipse, line, polygon, rounded
    points: tuple[float, ...]
    fill: RGB | None = None
    outline: RGB | None = None
    width: float = 0.0
    obstacle: bool = False


@dataclass(frozen=True)
class CodeOp:
    """A QR code: ``rows`` of modules ('1' dark), quiet zone included, filling the square (x, y, x + size, y + size)."""

    rows: tuple[str, ...]
    x: float
    y: float
    size: float
    dark: RGB
    light: RGB


Op = TextOp | ShapeOp | CodeOp


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class Line:
    text: str
    face: str
    size: float
    color: RGB
    keys: tuple[int, ...]
    min_size: float
    max_w: float | None = None  # narrower than the column, e.g. beside a logo
    indent: float = 0.0  # room for an icon on the left
    icon: str | None = None


@dataclass
class Spacer:
    weight: float = 1.0


@dataclass
class Gap:
    px: float


@dataclass
class Rule:
    color: RGB
    length: float  # fraction of the column width
    thickness: float = 3.0


Entry = Line | Spacer | Gap | Rule


@dataclass
class Placed:
    ops: list[Op] = field(default_factory=list)
    icon_rows: list[tuple[str, float, float, float]] = field(default_factory=list)  # icon, x, y centre, size


def text_width(face: str, size: float, text: str) -> float:
    return font(face, round(size)).getlength(text)


def line_height(face: str, size: float) -> float:
    ascent, descent = font(face, round(size)).getmetrics()
    return (ascent + descent) * LEADING


def _fit_width(line: Line, width: float) -> None:
    avail = (line.max_w if line.max_w is not None else width) - line.indent
    for _ in range(40):
        if text_width(line.face, line.size, line.text) <= avail:
            return
        line.size -= max(1.0, line.size * 0.04)
        if line.size < line.min_size:
            raise LayoutError(f"too wide: {line.text!r}")


def _fixed_height(entries: list[Entry]) -> float:
    total = 0.0
    for e in entries:
        if isinstance(e, Line):
            total += line_height(e.face, e.size)
        elif isinstance(e, Gap):
            total += e.px
        elif isinstance(e, Rule):
            total += e.thickness + 16
    return total


def column(entries: list[Entry], box: Box, align: str = "left") -> Placed:
    """Stack entries in ``box``; shrink everything evenly until it fits, else raise LayoutError."""
    lines = [e for e in entries if isinstance(e, Line)]
    for line in lines:
        _fit_width(line, box.w)
    for _ in range(60):
        if _fixed_height(entries) <= box.h:
            break
        for e in entries:
            if isinstance(e, Line):
                e.size *= 0.96
                if e.size < e.min_size:
                    raise LayoutError("column too tall")
            elif isinstance(e, Gap):
                e.px *= 0.9
    else:
        raise LayoutError("column too tall")
    extra = box.h - _fixed_height(entries)
    weights = sum(e.weight for e in entries if isinstance(e, Spacer))
    placed = Placed()
    y = box.y0
    for e in entries:
        if isinstance(e, Spacer):
            y += extra * e.weight / weights if weights else 0
        elif isinstance(e, Gap):
            y += e.px
        elif isinstance(e, Rule):
            length = box.w * e.length
            x0 = {"left": box.x0, "center": box.x0 + (box.w - length) / 2, "right": box.x1 - length}[align]
            y += 8
            placed.ops.append(ShapeOp("rect", (x0, y, x0 + length, y + e.thickness), fill=e.color))
            y += e.thickness + 8
        else:
            size = round(e.size)
            anchor = {"left": "la", "center": "ma", "right": "ra"}[align]
            x = {"left": box.x0 + e.indent, "center": (box.x0 + box.x1) / 2, "right": box.x1}[align]
            placed.ops.append(TextOp(e.text, e.face, size, x, y, anchor, e.color, e.keys))
            if e.icon:
                ascent, _ = font(e.face, size).getmetrics()
                placed.icon_rows.append((e.icon, box.x0, y + ascent * 0.55, ascent * 0.9))
            y += line_height(e.face, size)
    return placed


def wrap(
    item: Item,
    face: str,
    size: float,
    color: RGB,
    min_size: float,
    width: float,
    max_lines: int = 2,
    force_split: bool = False,
) -> list[Line]:
    """Lines for ``item``, broken only between its segments, so the label stays exact."""

    def mk(text: str) -> Line:
        return Line(text, face, size, color, (item.key,), min_size)

    segs = item.segments
    if len(segs) == 1 or (not force_split and text_width(face, size, item.text) <= width):
        return [mk(item.text)]
    best: list[str] | None = None
    best_w = float("inf")
    for n in range(2, min(max_lines, len(segs)) + 1):
        for cuts in _cut_sets(len(segs), n):
            parts = [item.joiner.join(segs[a:b]) for a, b in zip((0, *cuts), (*cuts, len(segs)), strict=True)]
            widest = max(text_width(face, size, p) for p in parts)
            if widest < best_w - 1:
                best, best_w = parts, widest
        if best_w <= width:
            break
    assert best is not None
    return [mk(p) for p in best]


def _cut_sets(n: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 2:
        return [(i,) for i in range(1, n)]
    return [(i, *rest) for i in range(1, n) for rest in _cut_sets_from(i + 1, n, parts - 2)]


def _cut_sets_from(start: int, n: int, count: int) -> list[tuple[int, ...]]:
    if count == 0:
        return [()]
    return [(i, *rest) for i in range(start, n) for rest in _cut_sets_from(i + 1, n, count - 1)]


def pack(
    items: list[Item], face: str, size: float, color: RGB, min_size: float, width: float, sep: str
) -> list[Line]:
    """Greedily put several short items on one line, joined by ``sep`` (e.g. a bottom strip)."""
    lines: list[Line] = []
    cur: list[Item] = []
    for item in items:
        trial = [*cur, item]
        text = sep.join(i.text for i in trial)
        if cur and text_width(face, size, text) > width:
            lines.append(
                Line(sep.join(i.text for i in cur), face, size, color, tuple(i.key for i in cur), min_size)
            )
            cur = [item]
        else:
            cur = trial
    if cur:
        lines.append(
            Line(sep.join(i.text for i in cur), face, size, color, tuple(i.key for i in cur), min_size)
        )
    return lines


def text_bbox(op: TextOp) -> tuple[float, float, float, float]:
    left, top, right, bottom = font(op.face, op.size).getbbox(op.text, anchor=op.anchor)
    return op.x + left, op.y + top, op.x + right, op.y + bottom


def shape_bbox(op: ShapeOp) -> tuple[float, float, float, float]:
    xs, ys = op.points[0::2], op.points[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def check_plan(ops: list[Op], width: float, height: float, keys: set[int], margin: float) -> None:
    """Raise LayoutError unless every item is printed, inside the card, without collisions."""
    texts = [o for o in ops if isinstance(o, TextOp)]
    printed = {k for o in texts for k in o.keys}
    if printed != keys:
        raise LayoutError(f"items not printed: {keys - printed}")
    boxes = [text_bbox(o) for o in texts]
    for (x0, y0, x1, y1), op in zip(boxes, texts, strict=True):
        if x0 < margin or y0 < margin or x1 > width - margin or y1 > height - margin:
            raise LayoutError(f"outside the card: {op.text!r}")
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if _overlap(boxes[i], boxes[j], 1.0) and not (texts[i].decor and texts[j].decor):
                raise LayoutError(f"overlap: {texts[i].text!r} / {texts[j].text!r}")
    obstacles = [shape_bbox(o) for o in ops if isinstance(o, ShapeOp) and o.obstacle]
    for box, op in zip(boxes, texts, strict=True):
        if not op.decor and any(_overlap(box, ob, 4.0) for ob in obstacles):
            raise LayoutError(f"text on a logo or icon: {op.text!r}")
