"""`contacts delete --with-files`: only files no other contact's card comes from, whatever folder it runs in."""

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from models.database import connect, sessions, upgrade_schema
from pipeline.book.store import store_result
from pipeline.cli import main
from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.formats.importing import import_vcards

VCF = """BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Jane;;;\r\nFN:Jane Doe\r\nTEL;TYPE=CELL:+1 415 555 0123\r\nEND:VCARD\r
BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roe;Richard;;;\r\nFN:Richard Roe\r\nTEL;TYPE=CELL:+1 415 555 0199\r\nEND:VCARD\r
"""


def person(name: str, phone: str) -> CardResult:
    return CardResult(CardFields(name=name, phones=[Phone(phone, "mobile")]))


def delete(db: str, contact_id: int) -> str:
    run = CliRunner().invoke(main, ["contacts", "delete", str(contact_id), "--with-files", "--yes", "--db", db],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run.output


def test_a_file_another_contact_still_uses_is_kept(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = sqlite_url
    scans, elsewhere = tmp_path / "scans", tmp_path / "elsewhere"
    scans.mkdir()
    elsewhere.mkdir()
    for name in ("page.jpg", "single.jpg"):
        (scans / name).write_bytes(b"image")
    (scans / "phone.vcf").write_text(VCF, encoding="utf-8")
    monkeypatch.chdir(scans)  # the scan and import run here, with paths as typed: relative
    with sessions(connect(db)).begin() as session:
        page = ScanResult("page.jpg", "p" * 64, "ok", [person("Иван Петров", "+79161234567"),
                                                      person("Анна Сидорова", "+79035551234")])
        single = ScanResult("single.jpg", "s" * 64, "ok", [person("Олег Орлов", "+79260000001")])
        store_result(session, page)
        store_result(session, single)
        jane, _ = import_vcards(session, Path("phone.vcf"))
        ids = [page.cards[0].contact_id, single.cards[0].contact_id, jane.contact_id]
    monkeypatch.chdir(elsewhere)  # deleting from another folder

    out = delete(db, ids[0])
    assert (scans / "page.jpg").exists() and f"contact {ids[0] + 1}" in out and "kept" in out
    out = delete(db, ids[2])
    assert (scans / "phone.vcf").exists() and "vCard file" in out and "image" not in out
    out = delete(db, ids[1])
    assert not (scans / "single.jpg").exists() and "deleted the image" in out


def test_an_old_relative_path_is_named_not_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    engine = connect(db, upgrade=False)
    upgrade_schema(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO contact (id, display_name, interests, edited_fields, created_at, updated_at) "
                          "VALUES (1, 'Jane Doe', '[]', '[]', '2026-01-02', '2026-01-02')"))
        conn.execute(text("INSERT INTO card (contact_id, source_path, sha256, card_index, page, ocr_text, fields, "
                          "scanned_at) VALUES (1, 'cards/jane.jpg', 'ab', 0, 0, '', '{}', '2026-01-02')"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        upgrade_schema(engine)
    assert any("relative" in str(w.message) and "cards/jane.jpg" in str(w.message) for w in caught)
    engine.dispose()
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "jane.jpg").write_bytes(b"image")
    monkeypatch.chdir(tmp_path)
    out = delete(db, 1)
    assert "not known: not deleted" in out and (tmp_path / "cards" / "jane.jpg").exists()
