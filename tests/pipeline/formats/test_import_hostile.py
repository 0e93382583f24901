"""vCard files as they come from old phones and tools (issue 17, item 12): any common encoding, big photos
never parsed, a giant value refused in one line, never a traceback."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formats.importing import VCardError, vcard_file_text
from tests.conftest import PEAK_KIB

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\nORG:{org}\r\n"
        "TEL;TYPE=CELL:+7 916 123-45-67\r\nNOTE:{note}\r\nEND:VCARD\r\n")


@pytest.mark.parametrize(("encoding", "given", "family", "org", "note"), [
    ("cp1251", "Иван", "Петров", "ООО «Ромашка»", "Встреча на выставке, обсудили поставки"),
    ("utf-16", "Иван", "Петров", "ООО «Ромашка»", "Встреча на выставке"),  # with a BOM
    ("utf-16-le", "Jürgen", "Müller", "Bäckerei Müller GmbH", "Größe zählt"),  # without one
    ("latin-1", "Jürgen", "Müller", "Bäckerei Müller GmbH", "Größe zählt, Straße über Brücke"),
    ("utf-8-sig", "Иван", "Петров", "ООО «Ромашка»", "заметка"),
])
def test_a_vcard_in_any_common_encoding_is_imported(tmp_path: Path, sqlite_url: str, encoding: str, given: str,
                                                    family: str, org: str, note: str) -> None:
    path = tmp_path / "contacts.vcf"
    path.write_bytes(CARD.format(given=given, family=family, org=org, note=note).encode(encoding))
    result = CliRunner().invoke(main, ["import", str(path), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert f"{given} {family}: created" in result.output
    shown = CliRunner().invoke(main, ["contacts", "show", "1", "--db", sqlite_url])
    assert org in shown.output


def test_photos_are_dropped_before_parsing_and_a_giant_note_is_one_line(tmp_path: Path) -> None:
    photo = base64.b64encode(b"\xff\xd8" + b"\0" * (30 * 1024 * 1024)).decode()  # 40 MB of base64
    folded = "\r\n ".join(photo[i:i + 74] for i in range(0, len(photo), 74))
    path = tmp_path / "photo.vcf"
    path.write_text(CARD.format(given="Ivan", family="Petrov", org="Globex", note="hi").replace(
        "END:VCARD", f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEND:VCARD"), encoding="utf-8")
    probe = ("import resource, sys; from pathlib import Path; from pipeline.formats.importing import "
             "vcard_file_text; from pipeline.extract.vcard import read_vcards; "
             "cards = read_vcards(vcard_file_text(Path(sys.argv[1]))); "
             "print(len(cards), cards[0].fields.name, " + PEAK_KIB + ")")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3]).stdout.split()
    assert out[:3] == ["1", "Ivan", "Petrov"]
    assert int(out[3]) < 800_000  # KiB; vobject on the photo took 5.8 GB
    giant = tmp_path / "note.vcf"
    giant.write_text(CARD.format(given="Ivan", family="Petrov", org="Globex", note="x" * (3 * 1024 * 1024)),
                     encoding="utf-8")
    with pytest.raises(VCardError, match=r"a NOTE of 3 million characters in note\.vcf, over the limit"):
        vcard_file_text(giant)
    result = CliRunner().invoke(main, ["import", str(giant), "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "a NOTE of 3 million" in result.output


def test_a_nul_in_a_name_is_dropped_not_a_database_error(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "nul.vcf"
    path.write_text(CARD.format(given="Iv\x00an", family="Pet\x00rov", org="Glo\x00bex", note="a\x00b"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "Ivan Petrov: created" in result.output


def test_a_file_with_no_vcard_in_it_is_one_line_and_exit_1(tmp_path: Path, sqlite_url: str) -> None:
    """Our own Google CSV export, or an empty file, given to `import`: vobject skipped every line with a log line
    each and the import said `0 vCard(s):` with exit 0."""
    db = sqlite_url
    vcf = tmp_path / "one.vcf"
    vcf.write_text(CARD.format(given="Иван", family="Петров", org="ООО «Ромашка»", note="x"), encoding="utf-8")
    assert CliRunner().invoke(main, ["import", str(vcf), "--db", db]).exit_code == 0
    google = tmp_path / "g.csv"
    assert CliRunner().invoke(main, ["export", "--format", "csv-google", "-o", str(google), "--db", db]).exit_code == 0
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    root = Path(__file__).resolve().parents[3]
    for path, reason in ((google, "holds no vCard (no BEGIN:VCARD line)"), (empty, "is empty")):
        run = subprocess.run([sys.executable, "-m", "pipeline", "import", str(path), "--db", db],
                             capture_output=True, text=True, cwd=root)
        assert run.returncode == 1, run.stderr
        assert run.stderr.strip().splitlines() == [
            f"Error: {path.name} {reason}: cardscan import reads vCard files (.vcf); nothing was imported"]
    fresh = tmp_path / "fresh.db"
    assert CliRunner().invoke(main, ["import", str(empty), "--db", f"sqlite:///{fresh}"]).exit_code == 1
    assert not fresh.exists()  # refused before a database was made for it
