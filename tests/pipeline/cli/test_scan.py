"""The `cardscan` command as a user runs it: JSON contract, exit codes, bad files, rescans."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SAMPLES, label_of, sample_images


def _clean_sample() -> Path:
    return next(p for p in sample_images() if label_of(p)["conditions"][0] == "scan")


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_output_follows_the_schema(schema: dict[str, Any]) -> None:
    images = [str(p) for p in sample_images()[:2]]
    result = _run("scan", *images, "--json", "--no-store")
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    assert isinstance(docs, list) and len(docs) == 2
    for doc in docs:
        jsonschema.validate(doc, schema)
        assert doc["status"] == "ok" and doc["cards"]


def test_bad_files_fail_alone_with_one_line_each(tmp_path: Path, schema: dict[str, Any]) -> None:
    good = _clean_sample()
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture\n")
    truncated = tmp_path / "cut.jpg"
    jpeg = next(p for p in sample_images() if p.suffix == ".jpg").read_bytes()
    truncated.write_bytes(jpeg[: len(jpeg) // 3])
    result = _run("scan", str(empty), str(good), str(text), str(truncated), "--jsonl", "--no-store")
    assert result.exit_code == 1
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    for doc in docs:
        jsonschema.validate(doc, schema)
    assert [d["status"] for d in docs] == ["error", "ok", "error", "error"]
    assert all(d["error"] and "\n" not in d["error"] for d in docs if d["status"] == "error")
    errors = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(errors) == 3
    assert "4 image(s): 1 read, 0 without a card, 3 failed" in result.stderr
    assert empty.exists() and text.exists() and truncated.exists()


@pytest.mark.slow
def test_rescanning_is_idempotent(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    image = str(_clean_sample())
    first = json.loads(_run("scan", image, "--json", "--db", db).stdout)
    second = json.loads(_run("scan", image, "--json", "--db", db).stdout)
    assert [c["outcome"] for c in first["cards"]] == ["created"] * len(first["cards"])
    assert [c["outcome"] for c in second["cards"]] == ["unchanged"] * len(second["cards"])
    assert [c["contact_id"] for c in first["cards"]] == [c["contact_id"] for c in second["cards"]]
    listed = json.loads(_run("contacts", "list", "--json", "--db", db).stdout)
    assert len(listed) == len(first["cards"])
    assert listed[0]["cards"] == 1


def test_usage_errors_exit_2() -> None:
    assert _run("scan").exit_code == 2
    assert _run("scan", "x.jpg", "--json", "--jsonl").exit_code == 2
    assert _run("scan", "x.jpg", "--lang", "klingon").exit_code == 2
    assert _run("scan", "x.jpg", "--region", "ZZ").exit_code == 2
    assert _run("scan", "x.jpg", "--db", "nonsense://x").exit_code == 2


@pytest.mark.parametrize("missing", ["does-not-exist.jpg"])
def test_missing_file_is_an_error_result(missing: str) -> None:
    result = _run("scan", missing, "--json", "--no-store")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"].endswith("no such file")


def test_debug_dir_shows_every_stage_privately(tmp_path: Path) -> None:
    image = _clean_sample()
    result = _run("scan", str(image), "--no-store", "--debug-dir", str(tmp_path / "dbg"))
    assert result.exit_code == 0
    written = sorted(p.name.removeprefix(image.name + "-") for p in (tmp_path / "dbg").iterdir())
    assert written == ["p0-1-detected.png", "p0-c1-2-warped.png", "p0-c1-3-normalised.png", "p0-c1-4-ocr.png"]
    assert all(p.stat().st_mode & 0o077 == 0 for p in (tmp_path / "dbg").iterdir())


def test_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer forever: `scan` hung (in hashing the file it had refused)."""
    fifo = tmp_path / "fifo.jpg"
    os.mkfifo(fifo)
    run = subprocess.run([sys.executable, "-m", "pipeline", "scan", str(fifo), str(tmp_path), "--no-store", "--json"],
                         capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[3])
    assert run.returncode == 1
    assert [r["error"] for r in json.loads(run.stdout)] == [
        "a FIFO, not a regular file",
        f"a folder, not a regular file: `cardscan batch {tmp_path}` scans the images in a folder"]


def test_a_scan_that_stores_nothing_loads_no_database_layer(tmp_path: Path) -> None:
    """`--no-store` still builds the filing options; from the store module they loaded SQLAlchemy, the models
    and dedupe: ~1 s of a one-image scan's start-up."""
    import subprocess
    import sys

    image = tmp_path / "blank.png"
    image.write_bytes(b"not a picture")
    probe = ("import sys\nfrom pipeline.cli import main\n"
             f"try:\n    main(['scan', {str(image)!r}, '--no-store', '--json'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('sqlalchemy', 'models', 'pipeline.book.store') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[3]).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_file_over_the_size_limit_is_refused_in_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    big = tmp_path / "scan of the fair.jpg"
    with big.open("wb") as f:
        f.truncate(201 * 1024 * 1024)  # sparse: no disk used, never read
    result = _run("scan", str(big), "--no-store")
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "scan of the fair.jpg" in x]
    assert line.endswith("file is 201 MB, over the 200 MB limit: downscale it or save it as a smaller JPEG "
                         "(a photo of a card needs a few MB)"), line


def test_the_closing_line_counts_a_card_filed_with_held_fields_as_created(sqlite_url: str) -> None:
    """A held field does not stop the filing: the card made a contact ("1 created"), and it waits in the review
    queue, counted apart; the line said "1 needs_review" and no contact made."""
    held = SAMPLES / "ru_portrait_rotated90.png"  # its address is read with doubt and held
    result = CliRunner().invoke(main, ["scan", str(held), "--db", sqlite_url, "--region", "RU", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [(c["outcome"], c["filed"]) for c in doc["cards"]] == [("needs_review", "created")]
    totals = result.stderr.strip().splitlines()[-1]
    assert "1 card(s): 1 created; database" in totals and "1 card(s) need review" in totals, totals
