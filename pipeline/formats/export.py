"""`cardscan export`: the chosen contacts in the chosen format, as the bytes of one file."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from models import Contact
from pipeline.book.contacts import contact_detail
from pipeline.formats.csv_formats import google_csv, outlook_csv
from pipeline.formats.record import ContactRecord, build_record
from pipeline.formats.vcard import Version, vcards

Format = Literal["vcard", "csv-google", "csv-outlook", "json", "jsonl"]
FORMATS: tuple[Format, ...] = ("vcard", "csv-google", "csv-outlook", "json", "jsonl")


def render(contacts: list[Contact], fmt: Format, vcard_version: Version = "4.0", with_photo: bool = False) -> bytes:
    if fmt == "json":
        return (json.dumps([_exported(c) for c in contacts], ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "jsonl":
        return "".join(json.dumps(_exported(c), ensure_ascii=False) + "\n" for c in contacts).encode()
    records = [build_record(c, with_photo=with_photo) for c in contacts]
    writers: dict[str, Callable[[list[ContactRecord]], str]] = {
        "vcard": lambda rs: vcards(rs, vcard_version), "csv-google": google_csv, "csv-outlook": outlook_csv}
    return writers[fmt](records).encode("utf-8")


def _exported(contact: Contact) -> dict[str, Any]:
    """The contact as `contacts show --json` has it, without the readings held for review: they are not the
    contact's until a person accepts them (pipeline.book.review)."""
    return {k: v for k, v in contact_detail(contact).items() if k != "waiting"}
