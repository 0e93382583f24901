"""Database passwords are never printed: summaries, the watcher's start line, `db upgrade`, open errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from models.database import shown_url
from pipeline.cli import main

PASSWORD = "Sup3r-s3cret-pw"  # trust auth on the test server ignores it, so commands really connect


@pytest.fixture
def pg_url(db_url: str) -> str:
    if not db_url.startswith("postgresql"):
        pytest.skip("a password only means something in a server URL")
    return make_url(db_url).set(password=PASSWORD).render_as_string(hide_password=False)


def _bad_image(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff not really a jpeg")
    return path


def test_shown_url_hides_the_password_even_of_an_unparseable_url() -> None:
    assert PASSWORD not in shown_url(f"postgresql://me:{PASSWORD}@db.example.org/contacts")
    assert "***" in shown_url(f"postgresql://me:{PASSWORD}@db.example.org/contacts")
    assert PASSWORD not in shown_url(f"postgresql://me:{PASSWORD}@db.example.org:notaport/contacts")
    assert shown_url("sqlite:////tmp/c.db") == "sqlite:////tmp/c.db"


def test_scan_and_batch_summaries_and_db_upgrade_hide_the_password(pg_url: str, tmp_path: Path) -> None:
    bad = _bad_image(tmp_path / "in")
    runner = CliRunner()
    for args in (["scan", str(bad), "--db", pg_url], ["batch", str(bad.parent), "--db", pg_url, "-j", "1"],
                 ["db", "upgrade", "--db", pg_url]):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "***" in result.output, (args, result.output)  # the database is named ...
        assert PASSWORD not in result.output, (args, result.output)  # ... without its password


def test_cannot_open_the_database_error_hides_the_password() -> None:
    url = f"postgresql://cardscan:{PASSWORD}@127.0.0.1:1/contacts"  # nothing listens on port 1
    result = CliRunner().invoke(main, ["contacts", "list", "--db", url])
    assert result.exit_code == 1
    assert "cannot open the database" in result.output and "***" in result.output
    assert PASSWORD not in result.output
    malformed = CliRunner().invoke(main, ["contacts", "list", "--db", f"postgresql://u:{PASSWORD}@h:port/x"])
    assert malformed.exit_code in (1, 2) and PASSWORD not in malformed.output, malformed.output


def test_the_watcher_start_line_hides_the_password(pg_url: str, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    log = tmp_path / "watch.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox), "--db", pg_url],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        deadline = time.monotonic() + 60
        while "watching" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    text = log.read_text()
    assert "watching" in text and "***" in text, text
    assert PASSWORD not in text
