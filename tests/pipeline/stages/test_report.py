"""Scan results as JSON: the shared contract holds for every outcome, and stored fields read back whole."""

import json
from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
from pipeline.stages.report import card_to_dict, fields_from_dict, result_to_dict, summary_lines


def test_a_card_waiting_for_review_keeps_to_the_shared_schema(schema: dict[str, Any]) -> None:
    card = CardResult(CardFields(name="Jane Doe"), outcome="needs_review", candidates=[3, 7])
    doc = result_to_dict(ScanResult("/a.jpg", "a" * 64, "ok", [card]))
    jsonschema.validate(doc, schema)
    assert doc["cards"][0]["outcome"] == "needs_review"  # the contract's own value
    assert (doc["cards"][0]["needs_review"], doc["cards"][0]["candidates"]) == (True, [3, 7])


def test_held_fields_are_listed_and_marked_in_the_text(schema: dict[str, Any]) -> None:
    fields = CardFields(name="Rick Nog", emails=["rn@gmail.com"], websites=["https://ve.com/nagdesign"],
                        phones=[Phone("+5511987654321", "mobile")],
                        confidence={"name": 0.9, "emails": 0.001, "websites": 0.861, "phones": 0.95})
    stored = CardResult(fields, contact_id=4, outcome="needs_review", filed="created")
    doc = result_to_dict(ScanResult("/a.jpg", "a" * 64, "ok", [stored]))
    jsonschema.validate(doc, schema)
    card = doc["cards"][0]
    assert (card["outcome"], card["filed"], card["needs_review"], card["held"]) == (
        "needs_review", "created", True, ["emails"])
    unstored = result_to_dict(ScanResult("/a.jpg", "a" * 64, "ok", [CardResult(fields)]))["cards"][0]
    assert (unstored["outcome"], unstored["needs_review"], unstored["held"]) == (None, True, ["emails"])
    text = summary_lines(ScanResult("/a.jpg", "a" * 64, "ok", [stored]))
    assert "  ? email      rn@gmail.com  (check: held for review)" in text
    assert "    phone      +5511987654321 (mobile)" in text
    assert "1 field(s) held for review" in text[1]


texts = st.text(min_size=1, max_size=30)


@given(name=texts, company=st.none() | texts, parts=st.booleans(), numbers=st.lists(st.from_regex(r"\+7\d{10}",
       fullmatch=True), max_size=3), emails=st.lists(st.emails(), max_size=2), ext=st.none() | st.from_regex(r"\d{1,5}",
       fullmatch=True))
def test_stored_fields_read_back_as_they_were(name: str, company: str | None, parts: bool, numbers: list[str],
                                              emails: list[str], ext: str | None) -> None:
    fields = CardFields(name=name, name_parts=NameParts(given=name) if parts else None, company=company,
                        phones=[Phone(n, "mobile", ext) for n in numbers], emails=emails, confidence={"name": 0.5})
    assert fields_from_dict(card_to_dict(CardResult(fields))) == fields


_text = st.none() | st.text(min_size=1, max_size=20)
_words = st.lists(st.text(min_size=1, max_size=12), max_size=3)
_fields = st.builds(
    CardFields, name=_text, title=_text, department=_text, company=_text, address=_text,
    name_parts=st.none() | st.builds(NameParts, _text, _text, _text, _text, _text),
    phones=st.lists(st.builds(Phone, st.from_regex(r"\+7\d{10}", fullmatch=True),
                              st.sampled_from(["mobile", "work", "fax", "home", "other"]), _text), max_size=3),
    emails=_words, websites=_words, social=_words, aliases=_words, guesses=_words, codes=_words,
    confidence=st.dictionaries(st.sampled_from(["name", "title", "company"]), st.floats(0, 1)),
    language=_text, text=st.text(max_size=40),
)


@given(_fields)
def test_the_json_of_a_card_gives_back_the_same_fields(fields: CardFields) -> None:
    doc = card_to_dict(CardResult(fields))
    assert fields_from_dict(json.loads(json.dumps(doc))) == fields
    assert "qr_codes" in doc and "codes" not in doc  # the contract's name for the codes


def test_the_summary_shows_every_field_a_person_reads_in_the_table_order() -> None:
    fields = CardFields(name="Иван Петров", title="CTO", department="IT", company="ООО «Ромашка»", address="Москва",
                        phones=[Phone("+74951234567", "work", "12")], emails=["i@r.ru"], websites=["r.ru"],
                        social=["t.me/ivan"])
    lines = summary_lines(ScanResult("card.jpg", "0" * 64, "ok", [CardResult(fields)]))
    labels = [line.split()[0] for line in lines[2:]]
    assert labels == ["name", "title", "department", "company", "address", "phone", "email", "website", "social"]
    assert "+74951234567 (work, ext. 12)" in lines[7]
