"""Escaping and folding of vCard 4.0 content lines, for any text (hypothesis)."""

import re

import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.formats.vcard_text import CRLF, MAX_OCTETS, content_line, escape_text, fold, param_value, unfold

# Any Unicode text a contact may hold: every plane, no lone surrogates, no control characters but newline.
texts = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"))


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_fold_then_unfold_gives_the_line_back(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    assert unfold(fold(line)) == line


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_no_physical_line_exceeds_75_octets_and_no_character_is_split(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    physical = fold(line).split(CRLF)
    for i, piece in enumerate(physical):
        encoded = piece.encode("utf-8")  # a split character would not survive this as a whole
        assert len(encoded) <= MAX_OCTETS
        assert i == 0 or piece.startswith(" ")


@settings(max_examples=200)
@given(texts)
def test_any_text_survives_escape_fold_and_a_vobject_parse(value: str) -> None:
    card = vobject.readOne("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n" + content_line("NOTE", escape_text(value))
                           + "END:VCARD\r\n")
    assert card.note.value == value


@given(texts.filter(lambda v: v.strip()))
def test_any_parameter_value_survives_quoting(value: str) -> None:
    line = content_line("ADR", ";;street;;;;", [("LABEL", value)])
    card = vobject.readOne("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n" + line + "END:VCARD\r\n")
    label = card.adr.params["LABEL"][0]
    # RFC 6868 caret encoding is not undone by vobject: undo it here, as a 4.0 reader does
    decoded = re.sub(r"\^([n'^])", lambda m: {"n": "\n", "'": '"', "^": "^"}[m.group(1)], label)
    assert decoded == value


def test_escaping_examples() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert param_value("Москва, ул. Ленина") == '"Москва, ул. Ленина"'
    assert param_value('say "hi"^') == "say ^'hi^'^^"
    assert param_value("^n") == "^^n"
