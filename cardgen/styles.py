"""Visual styles: font pairings and colour palettes."""

from __future__ import annotations

import random
from dataclasses import dataclass

from cardgen.fonts import Family, covers, families
from cardgen.model import RGB

LIGHT_BG: tuple[RGB, ...] = ((255, 255, 255), (255, 255, 255), (250, 248, 242), (246, 246, 246),
                             (241, 245, 249), (249, 244, 236), (238, 242, 236))  # fmt: skip
DARK_BG: tuple[RGB, ...] = (
    (22, 32, 52),
    (32, 32, 36),
    (14, 14, 14),
    (20, 52, 42),
    (72, 22, 34),
    (38, 40, 62),
)
INK: tuple[RGB, ...] = ((20, 20, 20), (38, 38, 44), (25, 35, 62), (55, 55, 58), (0, 0, 0))
ACCENTS: tuple[RGB, ...] = (
    (0, 82, 155), (190, 30, 55), (0, 122, 92), (214, 110, 0), (98, 45, 140),
    (0, 128, 160), (140, 110, 50), (60, 60, 66), (170, 30, 90), (30, 90, 60),
)  # fmt: skip
LIGHT_ACCENTS: tuple[RGB, ...] = (
    (212, 175, 55),
    (130, 200, 232),
    (225, 225, 225),
    (240, 160, 90),
    (160, 220, 170),
)
LIGHT_INK: tuple[RGB, ...] = ((245, 245, 240), (236, 232, 220), (255, 255, 255))


@dataclass(frozen=True)
class Style:
    name_face: str
    title_face: str
    body_face: str
    label_face: str
    company_face: str
    background: RGB
    ink: RGB
    muted: RGB
    accent: RGB
    on_accent: RGB
    name_color: RGB
    company_color: RGB
    dark: bool
    name_pt: float
    body_pt: float
    company_big: bool


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _special(text: str) -> str:
    """The characters of ``text`` outside ASCII and Cyrillic, which not every family draws (Vietnamese tones)."""
    return "".join(sorted({ch for ch in text if ord(ch) > 0x7E and not "\u0400" <= ch <= "\u04ff"}))


def _draws(family: Family, chars: str) -> bool:
    faces = (family.regular, family.bold, family.italic, family.bold_italic)
    return all(covers(face, ch) for face in faces for ch in chars)


def _pick_families(rng: random.Random, text: str = "") -> tuple[Family, Family]:
    chars = _special(text)
    # Only the families that draw every letter of the card (all of them for Russian and English cards).
    fams = tuple(f for f in families() if _draws(f, chars)) or families()
    body = rng.choice(fams)
    # Real cards mostly use one family, sometimes a serif/sans pairing for the name.
    head = body if rng.random() < 0.6 else rng.choice(fams)
    return head, body


def make_style(rng: random.Random, dark: bool = False, text: str = "") -> Style:
    """``text``: everything the card prints, so that its fonts can draw it."""
    head, body = _pick_families(rng, text)
    name_weight = rng.choice(("bold", "bold", "regular", "bold_italic" if head.kind == "serif" else "bold"))
    if dark:
        bg, ink, accent = rng.choice(DARK_BG), rng.choice(LIGHT_INK), rng.choice(LIGHT_ACCENTS)
        on_accent = bg
    else:
        bg, ink, accent = rng.choice(LIGHT_BG), rng.choice(INK), rng.choice(ACCENTS)
        on_accent = (255, 255, 255)
    muted = _mix(ink, bg, 0.28)
    name_color = accent if rng.random() < 0.3 else ink
    company_color = accent if rng.random() < 0.6 else ink
    return Style(
        name_face=head.face(name_weight),
        title_face=body.face(rng.choice(("regular", "regular", "italic", "bold"))),
        body_face=body.face("regular"),
        label_face=body.face("bold"),
        company_face=(head if rng.random() < 0.5 else body).face(rng.choice(("bold", "bold", "regular"))),
        background=bg,
        ink=ink,
        muted=muted,
        accent=accent,
        on_accent=on_accent,
        name_color=name_color,
        company_color=company_color,
        dark=dark,
        name_pt=rng.uniform(13.0, 19.0),
        body_pt=rng.uniform(7.0, 8.6),
        company_big=rng.random() < 0.18,
    )
