"""Scan results as JSON: the shared contract holds for every outcome, and stored fields read back whole."""

from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
from pipeline.stages.report import card_to_dict, fields_from_dict, result_to_dict


def test_a_card_waiting_for_review_keeps_to_the_shared_schema(schema: dict[str, Any]) -> None:
    card = CardResult(CardFields(name="Jane Doe"), outcome="needs_review", candidates=[3, 7])
    doc = result_to_dict(ScanResult("/a.jpg", "a" * 64, "ok", [card]))
    jsonschema.validate(doc, schema)
    assert doc["cards"][0]["outcome"] is None  # the contract has no needs_review: it goes in keys of our own
    assert (doc["cards"][0]["needs_review"], doc["cards"][0]["candidates"]) == (True, [3, 7])


texts = st.text(min_size=1, max_size=30)


@given(name=texts, company=st.none() | texts, parts=st.booleans(), numbers=st.lists(st.from_regex(r"\+7\d{10}",
       fullmatch=True), max_size=3), emails=st.lists(st.emails(), max_size=2), ext=st.none() | st.from_regex(r"\d{1,5}",
       fullmatch=True))
def test_stored_fields_read_back_as_they_were(name: str, company: str | None, parts: bool, numbers: list[str],
                                              emails: list[str], ext: str | None) -> None:
    fields = CardFields(name=name, name_parts=NameParts(given=name) if parts else None, company=company,
                        phones=[Phone(n, "mobile", ext) for n in numbers], emails=emails, confidence={"name": 0.5})
    assert fields_from_dict(card_to_dict(CardResult(fields))) == fields
