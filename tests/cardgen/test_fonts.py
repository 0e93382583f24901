from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cardgen import fonts, generate_set

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.fixture()
def dejavu_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not (DEJAVU / "DejaVuSans.ttf").is_file():
        pytest.skip("DejaVu fonts are not installed")
    monkeypatch.setenv("CARDGEN_FONT_DIRS", str(DEJAVU))
    fonts.reset()
    yield
    monkeypatch.delenv("CARDGEN_FONT_DIRS")
    fonts.reset()


def test_works_with_dejavu_only(dejavu_only: None, tmp_path: Path) -> None:
    assert {f.name for f in fonts.families()} <= {
        "DejaVu Sans",
        "DejaVu Sans Condensed",
        "DejaVu Serif",
        "DejaVu Serif Condensed",
    }
    paths = generate_set(tmp_path, 2, seed=4, conditions=("lowres",))
    for p in paths:
        assert json.loads(p.with_name(p.name + ".json").read_text(encoding="utf-8"))["cards"]


def test_every_family_covers_cyrillic() -> None:
    for family in fonts.families():
        for face in (family.regular, family.bold, family.italic, family.bold_italic):
            font = fonts.font(face, 40)
            # A missing glyph renders as the same .notdef box for every letter.
            widths = {font.getmask(ch).getbbox() for ch in "ЖЩЯэю"}
            assert len(widths) > 1, face
