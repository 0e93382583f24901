from __future__ import annotations

from pathlib import Path

import pytest

from cardgen import generate_set
from cardgen.__main__ import main


@pytest.mark.slow
def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    first = generate_set(tmp_path / "a", 2, seed=5, conditions=("scan", "lowres"))
    second = generate_set(tmp_path / "b", 2, seed=5, conditions=("scan", "lowres"))
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes()
        assert a.with_name(a.name + ".json").read_bytes() == b.with_name(b.name + ".json").read_bytes()


def test_image_does_not_depend_on_set_size(tmp_path: Path) -> None:
    one = generate_set(tmp_path / "one", 1, seed=9, conditions=("lowres",))
    two = generate_set(tmp_path / "two", 2, seed=9, conditions=("lowres",))
    assert one[0].read_bytes() == two[0].read_bytes()


def test_other_seed_differs(tmp_path: Path) -> None:
    a = generate_set(tmp_path / "a", 1, seed=1, conditions=("lowres",))[0]
    b = generate_set(tmp_path / "b", 1, seed=2, conditions=("lowres",))[0]
    assert a.with_name(a.name + ".json").read_text() != b.with_name(b.name + ".json").read_text()


def test_cli_writes_images_and_labels(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--count", "1", "--seed", "3", "--conditions", "lowres"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["00000_lowres.jpg", "00000_lowres.jpg.json"]
