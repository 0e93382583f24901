"""Fonts: the files of the Debian font packages the Makefile installs (``SYSTEM_PACKAGES``), found by path.

Only these files are ever used, so the same seed draws the same images on any machine that has them, whatever
other fonts it has (a desktop with Noto or Microsoft fonts included). A missing file is reported once, in one
line on stderr, and its family is left out (the images then differ from a complete machine's).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_ROOT = "/usr/share/fonts"

# family -> (Debian package, folder under FONT_ROOT, kind, regular, bold, italic, bold italic); italic files may
# be None (the family has none: the upright face stands in).
_FAMILIES: dict[str, tuple[str, str, str, str, str, str | None, str | None]] = {
    "DejaVu Sans": ("fonts-dejavu-core", "truetype/dejavu", "sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                    "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    "DejaVu Sans Condensed": ("fonts-dejavu-extra", "truetype/dejavu", "condensed", "DejaVuSansCondensed.ttf",
                              "DejaVuSansCondensed-Bold.ttf", "DejaVuSansCondensed-Oblique.ttf",
                              "DejaVuSansCondensed-BoldOblique.ttf"),
    "DejaVu Serif": ("fonts-dejavu-core", "truetype/dejavu", "serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
                     "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
    "DejaVu Serif Condensed": ("fonts-dejavu-extra", "truetype/dejavu", "serif", "DejaVuSerifCondensed.ttf",
                               "DejaVuSerifCondensed-Bold.ttf", "DejaVuSerifCondensed-Italic.ttf",
                               "DejaVuSerifCondensed-BoldItalic.ttf"),
    "Liberation Sans": ("fonts-liberation2", "truetype/liberation2", "sans", "LiberationSans-Regular.ttf",
                        "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"),
    "Liberation Serif": ("fonts-liberation2", "truetype/liberation2", "serif", "LiberationSerif-Regular.ttf",
                         "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                         "LiberationSerif-BoldItalic.ttf"),
    "FreeSans": ("fonts-freefont-ttf", "truetype/freefont", "sans", "FreeSans.ttf", "FreeSansBold.ttf",
                 "FreeSansOblique.ttf", "FreeSansBoldOblique.ttf"),
    "FreeSerif": ("fonts-freefont-ttf", "truetype/freefont", "serif", "FreeSerif.ttf", "FreeSerifBold.ttf",
                  "FreeSerifItalic.ttf", "FreeSerifBoldItalic.ttf"),
    "PT Sans": ("fonts-paratype", "truetype/paratype", "sans", "PTS55F.ttf", "PTS75F.ttf", "PTS56F.ttf",
                "PTS76F.ttf"),
    "PT Sans Narrow": ("fonts-paratype", "truetype/paratype", "condensed", "PTN57F.ttf", "PTN77F.ttf", None, None),
    "PT Sans Caption": ("fonts-paratype", "truetype/paratype", "sans", "PTC55F.ttf", "PTC75F.ttf", None, None),
    "PT Serif": ("fonts-paratype", "truetype/paratype", "serif", "PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf",
                 "PTF76F.ttf"),
}  # fmt: skip

PACKAGES = tuple(sorted({spec[0] for spec in _FAMILIES.values()}))


@dataclass(frozen=True)
class Family:
    name: str
    kind: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, weight: str) -> str:
        return {"regular": self.regular, "bold": self.bold, "italic": self.italic,
                "bold_italic": self.bold_italic}[weight]  # fmt: skip


def font_dirs() -> list[str]:
    """``CARDGEN_FONT_DIRS`` (os.pathsep-separated folders holding the files themselves) replaces the system
    folders if set; tests use it to run with fewer families."""
    extra = os.environ.get("CARDGEN_FONT_DIRS", "")
    return [d for d in extra.split(os.pathsep) if d]


def _locate(folder: str, name: str) -> str | None:
    override = font_dirs()
    candidates = [Path(d) / name for d in override] if override else [Path(FONT_ROOT) / folder / name]
    return next((str(p) for p in candidates if p.is_file()), None)


def reset() -> None:
    """Forget the discovered fonts (after changing ``CARDGEN_FONT_DIRS``)."""
    _scan.cache_clear()
    families.cache_clear()
    missing.cache_clear()


@lru_cache(maxsize=1)
def _scan() -> tuple[tuple[Family, ...], tuple[tuple[str, str], ...]]:
    out: list[Family] = []
    lost: list[tuple[str, str]] = []  # (package, file)
    for name, (package, folder, kind, reg, bold, ital, bital) in _FAMILIES.items():
        paths = {f: _locate(folder, f) for f in (reg, bold, ital, bital) if f}
        lost += [(package, f) for f, p in paths.items() if p is None]
        if any(p is None for p in paths.values()):
            continue
        regular, heavy = paths[reg], paths[bold]
        assert regular is not None and heavy is not None
        out.append(Family(name, kind, regular, heavy, paths.get(ital or "") or regular,
                          paths.get(bital or "") or heavy))  # fmt: skip
    return tuple(out), tuple(lost)


@lru_cache(maxsize=1)
def missing() -> tuple[tuple[str, str], ...]:
    """(package, file) of every expected font file that is not there."""
    return _scan()[1]


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """The complete families in a fixed order (so a seed gives the same picks on equal font sets)."""
    found, lost = _scan()
    if lost and not font_dirs():
        packages = sorted({p for p, _ in lost})
        print(
            f"cardgen: {len(lost)} font file(s) missing ({', '.join(f for _, f in lost[:3])}"
            f"{', ...' if len(lost) > 3 else ''}): install {' '.join(packages)} (make system-deps); "
            "images will differ from a machine that has them",
            file=sys.stderr,
        )
    if not found:
        raise RuntimeError(f"no usable fonts found: install {' '.join(PACKAGES)}")
    return found


@lru_cache(maxsize=4096)
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(1, size))


_NOTDEF = "\U000f0000"  # a private-use code point no font here maps: it draws the .notdef box


@lru_cache(maxsize=65536)
def covers(path: str, char: str) -> bool:
    """Whether the font file draws ``char`` with a glyph of its own (not the .notdef box)."""
    if char.isspace():
        return True
    f = font(path, 48)
    return f.getmask(char).getbbox() != f.getmask(_NOTDEF).getbbox() or char == _NOTDEF
