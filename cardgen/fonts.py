"""Font discovery: Cyrillic-capable families from Debian font packages, found by file name."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# family -> (kind, regular, bold, italic, bold italic); italic files may be missing.
_FAMILIES: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "DejaVu Sans": ("sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                    "DejaVuSans-BoldOblique.ttf"),
    "DejaVu Sans Condensed": ("condensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
                              "DejaVuSansCondensed-Oblique.ttf", "DejaVuSansCondensed-BoldOblique.ttf"),
    "DejaVu Serif": ("serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                     "DejaVuSerif-BoldItalic.ttf"),
    "DejaVu Serif Condensed": ("serif", "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf",
                               "DejaVuSerifCondensed-Italic.ttf", "DejaVuSerifCondensed-BoldItalic.ttf"),
    "Liberation Sans": ("sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                        "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"),
    "Liberation Serif": ("serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                         "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"),
    "FreeSans": ("sans", "FreeSans.ttf", "FreeSansBold.ttf", "FreeSansOblique.ttf",
                 "FreeSansBoldOblique.ttf"),
    "FreeSerif": ("serif", "FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf",
                  "FreeSerifBoldItalic.ttf"),
    "PT Sans": ("sans", "PTS55F.ttf", "PTS75F.ttf", "PTS56F.ttf", "PTS76F.ttf"),
    "PT Sans Narrow": ("condensed", "PTN57F.ttf", "PTN77F.ttf", None, None),
    "PT Sans Caption": ("sans", "PTC55F.ttf", "PTC75F.ttf", None, None),
    "PT Serif": ("serif", "PTF55F.ttf", "PTF75F.ttf", "PTF56F.ttf", "PTF76F.ttf"),
    "Noto Sans": ("sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf",
                  "NotoSans-BoldItalic.ttf"),
    "Noto Serif": ("serif", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf",
                   "NotoSerif-BoldItalic.ttf"),
    "Noto Sans Display": ("sans", "NotoSansDisplay-Regular.ttf", "NotoSansDisplay-Bold.ttf",
                          "NotoSansDisplay-Italic.ttf", "NotoSansDisplay-BoldItalic.ttf"),
}  # fmt: skip


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
    """Where to look: ``CARDGEN_FONT_DIRS`` (os.pathsep-separated) replaces the system folders if set."""
    extra = os.environ.get("CARDGEN_FONT_DIRS", "")
    return [d for d in extra.split(os.pathsep) if d] or list(FONT_DIRS)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in font_dirs():
        for dirpath, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                found.setdefault(name, str(Path(dirpath) / name))
    return found


def reset() -> None:
    """Forget the discovered fonts (after changing ``CARDGEN_FONT_DIRS``)."""
    _index.cache_clear()
    families.cache_clear()


@lru_cache(maxsize=1)
def families() -> tuple[Family, ...]:
    """Installed families in a fixed order (so a seed gives the same picks on equal font sets)."""
    index = _index()
    out: list[Family] = []
    for name, (kind, reg, bold, ital, bital) in _FAMILIES.items():
        if reg not in index or bold not in index:
            continue
        italic = index.get(ital or "", index[reg])
        bold_italic = index.get(bital or "", index[bold])
        out.append(Family(name, kind, index[reg], index[bold], italic, bold_italic))
    if not out:
        raise RuntimeError("no usable fonts found (install fonts-dejavu-core)")
    return tuple(out)


@lru_cache(maxsize=4096)
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(1, size))
