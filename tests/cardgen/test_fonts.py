from __future__ import annotations

import json
import shutil
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


def _makefile_font_packages() -> set[str]:
    text = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    start = text.index("SYSTEM_PACKAGES :=")
    block = text[start : text.index("\n\n", start)].replace("\\\n", " ")
    return {w for w in block.split() if w.startswith("fonts-")}


def test_every_font_comes_from_a_package_the_makefile_installs() -> None:
    assert set(fonts.PACKAGES) <= _makefile_font_packages()
    for family in fonts.families():
        for face in (family.regular, family.bold, family.italic, family.bold_italic):
            assert face.startswith(fonts.FONT_ROOT + "/truetype/"), face


@pytest.fixture()
def font_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A copy of the font folders the generator uses, to add fonts to or take them from."""
    root = tmp_path / "fonts"
    for family in fonts.families():
        for face in (family.regular, family.bold, family.italic, family.bold_italic):
            dest = root / Path(face).relative_to(fonts.FONT_ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                dest.symlink_to(face)
    monkeypatch.setattr(fonts, "FONT_ROOT", str(root))
    fonts.reset()
    yield root
    monkeypatch.undo()
    fonts.reset()


@pytest.mark.slow
def test_extra_fonts_on_the_machine_change_nothing(font_root: Path, tmp_path: Path) -> None:
    """As after `apt-get install fonts-noto-core`: Noto files beside ours leave every image as it was."""
    before = generate_set(tmp_path / "before", 2, seed=8, conditions=("scan", "lowres"))
    noto = font_root / "truetype" / "noto"
    noto.mkdir()
    source = Path(fonts.families()[0].regular)
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf",
                 "NotoSansDisplay-Regular.ttf", "NotoSansDisplay-Bold.ttf"):  # fmt: skip
        shutil.copyfile(source, noto / name)
    fonts.reset()
    after = generate_set(tmp_path / "after", 2, seed=8, conditions=("scan", "lowres"))
    for a, b in zip(before, after, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_a_missing_font_file_is_said_in_one_line(
    font_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (font_root / "truetype" / "paratype" / "PTS55F.ttf").unlink()
    fonts.reset()
    names = {f.name for f in fonts.families()}
    err = capsys.readouterr().err
    assert "PT Sans" not in names and "DejaVu Sans" in names
    assert err.count("\n") == 1 and "PTS55F.ttf" in err and "fonts-paratype" in err
