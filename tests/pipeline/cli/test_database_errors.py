"""A database that will not take a write is one line, never a traceback, and a scan's reading is not lost
(issue 17, item 13)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SAMPLES

CARD = SAMPLES / "ru_classic_scan.png"
VCARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan Petrov\r\nN:Petrov;Ivan;;;\r\nTEL:+79161234567\r\nEND:VCARD\r\n"


@pytest.fixture
def read_only(db_url: str) -> str:
    """The test database, migrated, then opened so that every transaction is read-only (as a replica or a
    database on a read-only mount would be)."""
    if not db_url.startswith("postgresql"):
        pytest.skip("runs as root here, where a SQLite file cannot be made read-only")
    assert CliRunner().invoke(main, ["db", "upgrade", "--db", db_url]).exit_code == 0
    return db_url + "%20-cdefault_transaction_read_only%3Don"


@pytest.mark.slow  # one card by OCR
def test_scan_into_a_read_only_database_still_prints_what_it_read(read_only: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(CARD), "--json", "--db", read_only])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    doc = json.loads(result.stdout)
    assert doc["status"] == "error" and doc["cards"][0]["name"] == "Кириллов Николай Львович"  # what it read
    assert doc["error"].startswith("read, not stored: the database refused it, nothing was changed: ")
    assert "read-only transaction" in doc["error"] and "\n" not in doc["error"]


def test_import_into_a_read_only_database_is_one_line(read_only: str, tmp_path: Path) -> None:
    vcf = tmp_path / "one.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(vcf), "--db", read_only])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: the database refused it, nothing was changed:") and "read-only" in line


def test_an_id_too_large_for_the_database_is_one_line(db_url: str, tmp_path: Path) -> None:
    vcf = tmp_path / "one.vcf"
    vcf.write_text(VCARD, encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(vcf), "--db", db_url]).exit_code == 0
    for args in (["contacts", "edit", "99999999999999999999999", "--notes", "x"],
                 ["contacts", "show", "99999999999999999999999"]):
        result = CliRunner().invoke(main, [*args, "--db", db_url])
        assert (result.exit_code in (1, 2) and result.exception is None) or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output


def test_a_plain_file_path_is_a_sqlite_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--db contacts.db` (and CARDSCAN_DB=contacts.db) was `Could not parse SQLAlchemy URL`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.vcf").write_text(VCARD, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "one.vcf", "--db", "contacts.db"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "contacts.db").exists()
    monkeypatch.setenv("CARDSCAN_DB", "contacts.db")
    listed = CliRunner().invoke(main, ["contacts", "list", "--json"])
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Ivan Petrov"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db", "one.vcf"]  # no lock file beside it


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    """A SQLite database at the schema head made immutable (`chattr +i`): read-only even for root, who ignores
    permission bits, as a file on a read-only mount is."""
    db = tmp_path / "book" / "contacts.db"
    assert CliRunner().invoke(main, ["db", "upgrade", "--db", str(db)]).exit_code == 0
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system that has the flag")
    try:
        yield db
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


def test_a_read_only_sqlite_file_is_refused_before_any_card_is_read(immutable: Path) -> None:
    """The scan read every image (20 s of OCR each) and only then failed each with "attempt to write a readonly
    database"; now one line before any reading says which file is read-only and what to do instead."""
    result = CliRunner().invoke(main, ["scan", str(CARD), "--db", str(immutable)])
    assert result.exit_code == 1
    assert result.stdout == ""  # nothing read
    assert f"the file {immutable} is read-only" in result.output and "--no-store" in result.output, result.output
    folder = immutable.parent
    subprocess.run(["chattr", "-i", str(immutable)], check=True)
    subprocess.run(["chattr", "+i", str(folder)], check=True)  # the folder: no -wal or -shm file can be made
    try:
        batch = CliRunner().invoke(main, ["batch", str(SAMPLES / "people"), "--db", str(folder / "new.db")])
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
        subprocess.run(["chattr", "+i", str(immutable)], check=True)
    assert batch.exit_code == 1
    assert f"the folder {folder} is read-only" in batch.output, batch.output
