"""vCard 4.0 and 3.0: export, parse back with vobject, the same fields; Cyrillic intact."""

import base64
import io
from datetime import date

import pytest
import vobject
from sqlalchemy.orm import Session

from pipeline.core.types import NO_YEAR
from pipeline.formats.record import build_record, select_contacts
from pipeline.formats.vcard import vcards

from .people import PHOTO, make_petrov, make_smith


def _export(session: Session, version: str, with_photo: bool = True) -> str:
    make_petrov(session)
    make_smith(session)
    records = [build_record(c, with_photo=with_photo) for c in select_contacts(session, with_photo=with_photo)]
    return vcards(records, version)  # type: ignore[arg-type]


def _values(card: vobject.base.Component, name: str) -> list:
    return [line.value for line in card.contents.get(name, [])]


def _params(card: vobject.base.Component, name: str) -> list[dict[str, list[str]]]:
    return [line.params for line in card.contents.get(name, [])]


def _types(params: dict[str, list[str]]) -> set[str]:
    return {t.lower() for value in params.get("TYPE", []) for t in value.split(",")}


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_round_trip_keeps_every_field(session: Session, version: str) -> None:
    text = _export(session, version)
    petrov, smith = vobject.readComponents(text)
    assert text.startswith(f"BEGIN:VCARD\r\nVERSION:{version}\r\n")
    assert _values(petrov, "fn")[0] == "Петров Иван Сергеевич"
    n = petrov.contents["n"][0].value
    assert (n.family, n.given, n.additional) == ("Петров", "Иван", "Сергеевич")  # the patronymic
    assert _values(petrov, "org") == [["ООО «Ромашка»", "Отдел продаж"]]
    assert _values(petrov, "title") == ["Директор по развитию; регионы, филиалы"]
    assert sorted(_values(petrov, "email")) == ["ivan.petrov@romashka.ru", "ivan@romashka.com"]
    assert _values(petrov, "url") == ["https://romashka.ru"]
    assert _values(petrov, "note") == ["Хочет прайс-лист;\nзвонить после 18:00, не раньше"]
    assert _values(petrov, "categories") == [["яхты", "логистика"]]
    tels = {str(v).removeprefix("tel:"): _types(p) | ({"pref"} if "PREF" in p else set())
            for v, p in zip(_values(petrov, "tel"), _params(petrov, "tel"), strict=True)}
    assert tels["+79161234567"] == {"cell", "pref"}
    assert {"work", "voice"} <= tels[next(t for t in tels if t.startswith("+74951234567"))]
    assert {"work", "fax"} == tels["+74951234568"]
    assert any("123" in t for t in tels if t.startswith("+74951234567"))  # the extension
    (adr,) = _values(petrov, "adr")
    assert adr.street == "г. Москва, ул. Ленина, д. 1, офис 5"
    assert _values(smith, "fn") == ["Jane Smith"]
    assert _values(smith, "org") == [["Globex LLC"]]
    assert _values(petrov, "uid")[0] != _values(smith, "uid")[0]


def test_vcard4_pairs_the_russian_and_latin_names_and_writes_rfc_6350_values(session: Session) -> None:
    petrov, smith = vobject.readComponents(_export(session, "4.0"))
    names = {p["LANGUAGE"][0]: (v, p["ALTID"][0]) for v, p in zip(_values(petrov, "fn"), _params(petrov, "fn"),
                                                                    strict=True)}
    assert names == {"ru": ("Петров Иван Сергеевич", "1"), "en": ("Ivan Petrov", "1")}
    latin_n = next(line.value for line in petrov.contents["n"] if line.params["LANGUAGE"] == ["en"])
    assert (latin_n.family, latin_n.given) == ("Petrov", "Ivan")
    assert _values(petrov, "bday") == ["--0517"]  # no year
    assert _values(smith, "bday") == ["19800229"]
    assert _params(petrov, "tel")[0]["PREF"] == ["1"]
    assert _values(petrov, "socialprofile") == ["https://t.me/ivanpetrov"]
    assert _values(petrov, "uid")[0].startswith("urn:uuid:")


def test_vcard4_photo_is_a_data_uri_of_the_card_picture(session: Session) -> None:
    text = _export(session, "4.0")
    # vobject's 3.0 text rules cut a URI at its comma, so read the logical line with vobject's own line parser
    photo = next(parsed[2] for line, _ in vobject.base.getLogicalLines(io.StringIO(text))
                 if (parsed := vobject.base.parseLine(line))[0] == "PHOTO")
    assert photo.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(photo.split(",", 1)[1]) == PHOTO


def test_vcard3_carries_aliases_no_year_birthday_and_photo_its_own_way(session: Session) -> None:
    petrov, smith = vobject.readComponents(_export(session, "3.0"))
    assert _values(petrov, "nickname") == ["Ivan Petrov"]
    assert _values(petrov, "bday") == [f"{NO_YEAR}-05-17"]
    assert _params(petrov, "bday") == [{"X-APPLE-OMIT-YEAR": [str(NO_YEAR)]}]
    assert _values(smith, "bday") == [date(1980, 2, 29).isoformat()]
    assert _values(petrov, "photo") == [PHOTO]
    assert _values(petrov, "x-socialprofile") == ["https://t.me/ivanpetrov"]


def test_photo_only_when_asked(session: Session) -> None:
    assert "PHOTO" not in _export(session, "4.0", with_photo=False)


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_lines_are_folded_utf8_crlf_with_fn_always(session: Session, version: str) -> None:
    make_petrov(session)
    contact = select_contacts(session)[0]
    contact.notes = "Очень длинная заметка " * 20
    contact.display_name = None  # FN is required even then
    text = vcards([build_record(contact, with_photo=True)], version)  # type: ignore[arg-type]
    lines = text.split("\r\n")
    assert "\n" not in "".join(lines)
    assert all(len(line.encode()) <= 75 for line in lines)
    card = vobject.readOne(text)
    assert _values(card, "note") == [contact.notes]
    assert _values(card, "fn") == ["ООО «Ромашка»"]
    assert len([line for line in lines if line.startswith(" ")]) > 10


def test_uid_is_stable_and_rev_follows_item_changes(session: Session) -> None:
    contact = make_petrov(session)
    first = build_record(contact)
    again = build_record(select_contacts(session)[0])
    assert first.uid == again.uid
    assert first.rev == again.rev
