"""World cards: names of many cultures, in their order and capitals, with labels that stay exact."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import numpy as np
import pytest

from cardgen import vocab
from cardgen.generate import make_card
from cardgen.labels import card_label, empty_strings
from cardgen.people import ContentOptions, make_content
from cardgen.styles import _special
from cardgen.world import CULTURES, ascii_fold, upper
from tests.cardgen.test_labels import _check_phone

WORLD = ContentOptions(language="world")


@pytest.fixture(scope="module")
def labels() -> list[dict[str, Any]]:
    rng = random.Random("world-test")
    out = []
    for _ in range(400):
        c = make_content(rng, WORLD)
        out.append(card_label(c, np.zeros((4, 2)), 0) | {"_printed": [i.text for i in c.all_items()]})
    return out


def test_every_culture_and_its_language(labels: list[dict[str, Any]]) -> None:
    cultures = Counter(lab["culture"] for lab in labels)
    assert set(cultures) == set(CULTURES)
    languages = {lab["language"] for lab in labels}
    assert languages == {"en"} | {c.local for c in CULTURES.values() if c.local}


def test_labels_are_exact(labels: list[dict[str, Any]]) -> None:
    for lab in labels:
        printed = lab.pop("_printed")
        assert empty_strings(lab) == []
        for key in ("name", "title", "department", "company", "address"):
            assert lab[key] is None or lab[key] in printed, (key, lab[key])
        for phone in lab["phones"]:
            _check_phone(phone)
            assert phone["raw"] in printed
        for email in lab["emails"]:
            assert email.isascii() and email == email.lower() and any(email in p for p in printed)
        lab["_printed"] = printed


def test_name_parts_in_the_printed_order(labels: list[dict[str, Any]]) -> None:
    family_first: Counter[tuple[str, bool]] = Counter()
    for lab in labels:
        parts, name = lab["name_parts"], lab["name"]
        words = [parts[k] for k in ("prefix", "given", "middle", "family") if parts[k]]
        assert sorted(" ".join(words).split()) == sorted(name.split()), name
        prefix = parts["prefix"]
        rest = name[len(prefix) + 1 :] if prefix and name.startswith(prefix + " ") else name
        first = rest.split()[0] == parts["family"].split()[0] and rest.split()[0] != parts["given"].split()[0]
        family_first[lab["culture"], first] += 1
    for code in ("ja", "zh", "ko"):
        assert family_first[code, True] and family_first[code, False], code
    assert not family_first["vi", False] and family_first["vi", True]
    assert not family_first["de", True] and not family_first["fr", True]


def test_capitals_diacritics_and_labels_of_the_world(labels: list[dict[str, Any]]) -> None:
    names = [lab["name"] for lab in labels]
    assert any(n.isupper() for n in names)
    assert any(lab["name_parts"]["family"].isupper() and not lab["name"].isupper() for lab in labels)
    assert any(not n.isascii() for n in names)  # Nguyễn, Łukasz, Gonçalo keep their marks
    printed = [p for lab in labels for p in lab["_printed"]]
    for label in ("Tel", "Fax", "Cell", "HP", "Direct", "Mob.", "Tel./Fax"):
        assert any(p.startswith(label) for p in printed), label
    assert any("Section" in (lab["department"] or "") for lab in labels)
    assert any("Department" in (lab["department"] or "") for lab in labels)
    # A Tel./Fax number is one phone typed work.
    both = [ph for lab in labels for ph in lab["phones"] if ph["raw"].lower().startswith(("tel./fax", "tel/fax"))]
    assert both and all(ph["type"] == "work" for ph in both)
    # A second address is printed but is not the address field.
    assert any(p.startswith(("Factory: ", "Branch Office: ", "Werk: ", "Filial: ")) for p in printed)


def test_turkish_capitals() -> None:
    assert upper("Şule Yıldız", "tr") == "ŞULE YILDIZ"
    assert upper("Emine", "tr") == "EMİNE" and upper("Emine", "de") == "EMINE"
    assert ascii_fold("Nguyễn Đức Łukasz Gießen") == "Nguyen Duc Lukasz Giessen"


def test_world_cards_use_fonts_that_draw_every_letter() -> None:
    from cardgen.fonts import covers

    rng = random.Random("world-fonts")
    for _ in range(40):
        card = make_card(rng, WORLD)
        text = " ".join(i.text for i in card.content.all_items())
        assert card.style is not None
        for face in (card.style.name_face, card.style.body_face, card.style.title_face, card.style.company_face):
            assert all(covers(face, ch) for ch in _special(text)), (face, text)


def test_unseen_world_cards_draw_only_unseen_names() -> None:
    # As printed: in capitals too (Turkish AYDIN folds to "aydin", not "aydın").
    unseen = {vocab.fold(g(f)) for name in ("world_given", "world_family") for r in vocab._split(name, "unseen")
              for f in vocab.printed_forms(name, r) for g in (str, str.upper)}  # fmt: skip
    rng = random.Random("world-unseen")
    with vocab.using("unseen"):
        for _ in range(100):
            parts = make_content(rng, WORLD).name_parts
            for key in ("given", "family"):
                value = vocab.fold(parts[key] or "")
                # Spanish cards may print two family names, each unseen.
                assert value in unseen or all(w in unseen for w in value.split(" ")), value
