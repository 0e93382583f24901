"""`cardscan contacts`, `review` and `remind` as a user runs them, on cards read from real images."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cv2
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import SAMPLES


def _run(*args: str, ok: bool = True) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _json(*args: str) -> Any:
    return json.loads(_run(*args, "--json").stdout)


@pytest.fixture(scope="module")
def scanned_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    """The same person's card scanned twice: once as bundled, once photographed upside down (another file)."""
    folder = tmp_path_factory.mktemp("cards")
    first = folder / "kirillov.png"
    first.write_bytes((SAMPLES / "ru_classic_scan.png").read_bytes())
    second = folder / "kirillov-again.jpg"
    cv2.imwrite(str(second), cv2.rotate(cv2.imread(str(first)), cv2.ROTATE_180), [cv2.IMWRITE_JPEG_QUALITY, 85])
    db = f"sqlite:///{folder / 'contacts.db'}"
    _run("scan", str(first), "--db", db, "--region", "RU")
    _run("scan", str(second), "--db", db, "--region", "RU")
    return db, first, second


@pytest.mark.slow
def test_the_same_person_scanned_twice_is_one_contact_with_both_cards(scanned_twice: tuple[str, Path, Path]) -> None:
    db, first, second = scanned_twice
    (contact,) = _json("contacts", "list", "--db", db)
    assert contact["name"] == "Кириллов Николай Львович"
    assert contact["cards"] == 2
    detail = _json("contacts", "show", str(contact["id"]), "--db", db)
    assert sorted(c["source"] for c in detail["card_list"]) == sorted([str(first), str(second)])
    assert [p["company"] for p in detail["positions"]] == ["АО Гранит"]
    assert {"+73952942138", "+79274881364"} <= {p["number"] for p in detail["phones"]}


@pytest.mark.slow
def test_search_finds_a_russian_name_written_in_latin(scanned_twice: tuple[str, Path, Path]) -> None:
    db = scanned_twice[0]
    assert [c["name"] for c in _json("contacts", "search", "Nikolai Kirillov", "--db", db)] == [
        "Кириллов Николай Львович"]
    assert _json("contacts", "search", "Petrov", "--db", db) == []
    assert len(_json("contacts", "search", "2942138", "--db", db)) == 1


@pytest.mark.slow
def test_edit_then_remind_then_delete_leaves_no_trace(scanned_twice: tuple[str, Path, Path], tmp_path: Path) -> None:
    db, first, _ = scanned_twice
    contact_id = str(_json("contacts", "list", "--db", db)[0]["id"])
    soon = date.today() + timedelta(days=3)
    _run("contacts", "edit", contact_id, "--birthday", soon.replace(year=1980).isoformat(), "--follow-up",
         date.today().isoformat(), "--met-at", "Иннопром 2026", "--interests", "логистика, яхты", "--db", db)
    shown = _json("contacts", "show", contact_id, "--db", db)
    assert shown["interests"] == ["логистика", "яхты"] and shown["met_at"] == "Иннопром 2026"
    assert set(shown["edited_by_hand"]) == {"birthday", "follow_up", "met_at", "interests"}
    kinds = [(r["kind"], r["detail"]) for r in _json("remind", "--days", "7", "--db", db)]
    assert kinds == [("follow-up", "due; met at Иннопром 2026"), ("birthday", f"turns {soon.year - 1980}")]
    assert _run("contacts", "edit", contact_id, "--birthday", "31.02.1980", "--db", db, ok=False).exit_code == 1

    _run("contacts", "delete", contact_id, "--yes", "--db", db)
    assert _json("contacts", "list", "--db", db) == []
    stored = b"".join(p.read_bytes() for p in first.parent.glob("contacts.db*"))
    assert "Кириллов".encode() not in stored and b"2942138" not in stored
    assert "Гранит".encode() not in stored  # his company: no one else works there
    assert first.exists()  # the user's own image stays unless --with-files


@pytest.mark.slow
def test_bundled_pairs_of_one_person_become_one_contact_each(tmp_path: Path) -> None:
    """Real rendered cards: a Russian front and its English back; a Russian and an English job change."""
    db = f"sqlite:///{tmp_path / 'c.db'}"
    # In the order they were handed out: a card read later is taken as the newer one.
    order = ("ru_front", "en_back", "ru_oldjob", "en_oldjob", "ru_newjob", "en_newjob")
    images = [str(SAMPLES / "people" / f"{name}.jpg") for name in order]
    _run("scan", *images, "--db", db)
    by_name = {c["name"]: c for c in _json("contacts", "list", "--db", db)}
    assert len(by_name) == 3 and all(c["cards"] == 2 for c in by_name.values())

    vera = _json("contacts", "show", str(by_name["Хлебникова Вера Ильинична"]["id"]), "--db", db)
    assert vera["aliases"] == ["Vera Khlebnikova"]
    assert [(p["company"], p["until"]) for p in vera["positions"]] == [("ООО «Ладога»", None)]

    for name, jobs in (("Диана Игнатьевна Антонова", ["АО «ПромАвтоматика»", "ООО «Профиль»"]),
                       ("Thomas Richter", ["Greenfield Agritech Ltd", "Riverbend Studios Ltd"])):
        shown = _json("contacts", "show", str(by_name[name]["id"]), "--db", db)
        assert [p["company"] for p in shown["positions"]] == jobs
        assert [p["until"] is None for p in shown["positions"]] == [False, True]  # the old job kept as history
        assert len({p["number"] for p in shown["phones"]}) == 3  # one mobile, two office lines


def test_review_lists_an_ambiguous_card_and_settles_it(tmp_path: Path, sqlite_url: str) -> None:
    db = sqlite_url
    doc = {"cards": [{"name": "Jane Doe", "company": "Acme Inc.", "phones": []}]}
    from sqlalchemy.orm import Session

    from models.database import connect, sessions
    from pipeline.book.store import store_result
    from pipeline.core.types import CardResult, ScanResult
    from pipeline.stages.report import fields_from_dict

    with sessions(connect(db)).begin() as session:
        assert isinstance(session, Session)
        for sha, company in (("a", "Acme Inc."), ("b", "Globex LLC")):
            fields = fields_from_dict(doc["cards"][0] | {"company": company})
            store_result(session, ScanResult(f"/x/{sha}.jpg", sha * 64, "ok", [CardResult(fields)]))
    (pending,) = _json("review", "--db", db)
    assert pending["company"] == "Globex LLC" and [c["company"] for c in pending["candidates"]] == ["Acme Inc."]
    _run("review", "--db", db, "apart", str(pending["card"]))
    assert _json("review", "--db", db) == []
    assert sorted(c["company"] for c in _json("contacts", "list", "--db", db)) == ["Acme Inc.", "Globex LLC"]


def test_listing_a_missing_database_does_not_create_one(tmp_path: Path) -> None:
    result = _run("contacts", "list", "--db", f"sqlite:///{tmp_path / 'typo.db'}", ok=False)
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "typo.db").exists()


@pytest.mark.parametrize("width", [80, 120, 200])
def test_contact_table_fits_the_terminal(width: int) -> None:
    from rich.console import Console

    from pipeline.cli.contacts import _table

    row = {"id": 1, "name": "Кириллов Николай Львович", "title": "Менеджер по логистике", "company": "АО Гранит",
           "phones": [{"number": "+73952942138", "type": "work", "extension": "3108"}],
           "emails": ["kirillov.nl@bk.ru"], "cards": 1}
    console = Console(width=width, record=True)
    console.print(_table([row], width))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    assert any("Кириллов" in line for line in lines)


def test_a_contact_without_a_name_is_no_blank_row_in_the_list(tmp_path: Path) -> None:
    """An organisation's vCard (its name only repeats its e-mail) files a contact with no name, no phone and no
    company: the 80-column table (no e-mail column) showed it as an empty row, nothing to recognise it by."""
    card = tmp_path / "shop.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:info@dominio.com.br\r\nEMAIL:info@dominio.com.br\r\n"
                     b"END:VCARD\r\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _run("import", str(card), "--db", db)
    assert _json("contacts", "list", "--db", db)[0]["name"] is None
    shown = CliRunner().invoke(main, ["contacts", "list", "--db", db], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert shown.exit_code == 0
    assert "(no name)" in shown.output and "info@dominio.com.br" in shown.output, shown.output


def test_a_phone_refused_in_the_default_region_says_which_region_and_how_to_give_another(tmp_path: Path) -> None:
    """`contacts edit --add-phone` reads a number without +CC in RU: a São Paulo mobile as printed on its card was
    refused with "write it as +7 495 123-45-67", nothing about the region it was read in or --region."""
    card = tmp_path / "shop.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ricardo Nogueira\r\nEND:VCARD\r\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _run("import", str(card), "--db", db)
    refused = _run("contacts", "edit", "1", "--add-phone", "11 97412-1100", "--db", db, ok=False)
    assert refused.exit_code == 1
    assert "in region RU" in refused.output and "--region" in refused.output, refused.output
    _run("contacts", "edit", "1", "--add-phone", "11 97412-1100", "--region", "BR", "--db", db)
    assert [p["number"] for p in _json("contacts", "show", "1", "--db", db)["phones"]] == ["+5511974121100"]


def test_a_phone_typed_without_its_country_is_read_in_the_contacts_own_country(tmp_path: Path) -> None:
    """A contact whose card gave a São Paulo number: a mobile typed as printed ('11 97412-1100') in `contacts edit`
    or `review fix` is Brazilian, not refused as Russian; --region still decides when given."""
    card = tmp_path / "shop.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ricardo Nogueira\r\nTEL:+55 11 2294-9484\r\nEND:VCARD\r\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    _run("import", str(card), "--db", db)
    _run("contacts", "edit", "1", "--add-phone", "11 97412-1100", "--db", db)
    _run("contacts", "edit", "1", "--add-phone", "495 123-45-67", "--region", "RU", "--db", db)
    numbers = [p["number"] for p in _json("contacts", "show", "1", "--db", db)["phones"]]
    assert sorted(numbers) == ["+551122949484", "+5511974121100", "+74951234567"], numbers
    _run("review", "fix", "1", "phones", "11 3456-7890", "--db", db)
    numbers = [p["number"] for p in _json("contacts", "show", "1", "--db", db)["phones"]]
    assert "+551134567890" in numbers and "+551122949484" not in numbers, numbers


@pytest.mark.slow
def test_photo_dates_put_jobs_in_order_whatever_order_the_cards_are_scanned(tmp_path: Path) -> None:
    from PIL import Image

    db = f"sqlite:///{tmp_path / 'c.db'}"
    dated = {}
    for name, taken in (("ru_newjob", "2026:06:01 12:00:00"), ("ru_oldjob", "2023:02:01 12:00:00")):
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = taken
        dated[name] = tmp_path / f"{name}.jpg"
        Image.open(SAMPLES / "people" / f"{name}.jpg").save(dated[name], exif=exif, quality=95)
    _run("scan", str(dated["ru_newjob"]), "--db", db)  # the new card first, the old one found later
    _run("scan", str(dated["ru_oldjob"]), "--db", db)
    (contact,) = _json("contacts", "list", "--db", db)
    assert contact["company"] == "ООО «Профиль»"
    shown = _json("contacts", "show", str(contact["id"]), "--db", db)
    assert [(p["company"], p["since"][:10], p["until"] and p["until"][:10]) for p in shown["positions"]] == [
        ("АО «ПромАвтоматика»", "2023-02-01", "2026-06-01"), ("ООО «Профиль»", "2026-06-01", None)]


def test_review_subcommands_take_db_after_their_arguments(tmp_path: Path, sqlite_url: str) -> None:
    """`review merge 33 4 --db ...` as every other command takes --db."""
    db = sqlite_url
    from models.database import connect, sessions
    from pipeline.book.store import store_result
    from pipeline.core.types import CardResult, ScanResult
    from pipeline.stages.report import fields_from_dict

    with sessions(connect(db)).begin() as session:
        for sha, company in (("a", "Acme Inc."), ("b", "Globex LLC"), ("c", "Initech Ltd")):
            fields = fields_from_dict({"name": "Jane Doe", "company": company, "phones": []})
            store_result(session, ScanResult(f"/x/{sha}.jpg", sha * 64, "ok", [CardResult(fields)]))
    first, second = _json("review", "--db", db)
    contact = first["candidates"][0]["contact"]
    assert "filed under contact" in _run("review", "merge", str(first["card"]), str(contact), "--db", db).stdout
    assert "is now contact" in _run("review", "apart", str(second["card"]), "--db", db).stdout
    assert _json("review", "--db", db) == []
    assert len(_json("contacts", "list", "--db", db)) == 2


def test_notes_of_several_lines_stay_in_their_column(tmp_path: Path, sqlite_url: str) -> None:
    db = sqlite_url
    _run("scan", str(SAMPLES / "ru_classic_scan.png"), "--db", db, "--region", "RU")
    (contact,) = _json("contacts", "list", "--db", db)
    _run("contacts", "edit", str(contact["id"]), "--notes", "wants the price list\ncall after 10", "--db", db)
    shown = _run("contacts", "show", str(contact["id"]), "--db", db).stdout.splitlines()
    at = next(i for i, line in enumerate(shown) if line.lstrip().startswith("notes"))
    assert shown[at + 1] == " " * 14 + "call after 10"
