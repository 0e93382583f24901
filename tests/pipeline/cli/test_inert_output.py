"""What cardscan prints and writes is inert and private (issue 17, item 14): escape codes from a vCard never
reach the terminal raw; the batch --jsonl file is 0600."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

HOSTILE = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan\x1b[2J\x1b]0;pwned\x07 Petrov\r\nN:Petrov;Ivan;;;\r\n"
           "ORG:Globex\x1b[31m\r\nTEL:+79161234567\r\nEND:VCARD\r\n")


def test_escape_codes_in_a_vcard_never_reach_the_terminal(tmp_path: Path, sqlite_url: str) -> None:
    vcf = tmp_path / "hostile.vcf"
    vcf.write_text(HOSTILE, encoding="utf-8")
    url = sqlite_url
    runner = CliRunner()
    outputs = [runner.invoke(main, [*args, "--db", url]).output for args in (
        ["import", str(vcf)], ["contacts", "show", "1"], ["contacts", "list"], ["contacts", "search", "petrov"])]
    assert "%1B[2J" in outputs[0] and "%1B]0;pwned%07" in outputs[0]
    for text in outputs:
        assert "\x1b" not in text and "\x07" not in text, text


def test_the_batch_jsonl_file_is_private(tmp_path: Path, sqlite_url: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.jpg").write_bytes(b"not a picture")
    out = tmp_path / "scans.jsonl"
    result = CliRunner().invoke(main, ["batch", str(folder), "--db", sqlite_url, "-j", "1",
                                       "--jsonl", str(out)])
    assert result.exit_code == 1
    assert out.stat().st_mode & 0o777 == 0o600 and '"status": "error"' in out.read_text()
