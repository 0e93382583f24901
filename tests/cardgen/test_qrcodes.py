"""QR codes on generated cards: none unless asked for, the card's own fields when printed, and readable."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cardgen import generate_set
from cardgen.__main__ import main
from cardgen.generate import add_codes, cards_for, rngs_for
from cardgen.geometry import REF_DPI, CodeOp, ShapeOp, TextOp, shape_bbox, text_bbox
from cardgen.qrcodes import BORDER, SIZE_MM
from cardgen.render import render_card
from pipeline.extract.codes import parse_code
from pipeline.stages.qr import read_codes
from tests.cardgen.helpers import load_label


@pytest.mark.slow
def test_without_codes_every_image_is_byte_identical_to_the_default(tmp_path: Path) -> None:
    """--qr 0 draws nothing from the card's own streams: the set is the one written without the option
    (compared within this run, so no font or library version of the machine is pinned)."""
    zero = generate_set(tmp_path / "zero", 2, seed=20261127, qr=0.0)
    default = generate_set(tmp_path / "default", 2, seed=20261127)
    for a, b in zip(zero, default, strict=True):
        assert a.name == b.name and a.read_bytes() == b.read_bytes()
        assert load_label(a) == load_label(b)


def _without_code(label: dict[str, Any]) -> dict[str, Any]:
    cards = [{k: v for k, v in c.items() if k not in ("qr", "bbox")} for c in label["cards"]]
    return {"conditions": label["conditions"][:1], "cards": cards}


@pytest.mark.slow
def test_codes_go_on_the_very_cards_of_the_set_without(tmp_path: Path) -> None:
    coded = generate_set(tmp_path / "qr", 2, seed=6, conditions=("scan",), qr=1.0)
    plain = generate_set(tmp_path / "plain", 2, seed=6, conditions=("scan",))
    for a, b in zip(coded, plain, strict=True):
        with_qr, without = load_label(a), load_label(b)
        assert with_qr["conditions"] == ["scan", "qr"] and without["conditions"] == ["scan"]
        assert all(c["qr"] in ("vcard", "mecard", "url") for c in with_qr["cards"])
        assert _without_code(with_qr) == _without_code(without)


def _coded_cards(seed: int, count: int) -> list[Any]:
    out = []
    for index in range(count):
        rng, _ = rngs_for(seed, index)
        out += [c for c in add_codes(cards_for("scan", rng), 1.0, seed, index) if c.qr]
    return out


def test_a_printed_code_is_readable_and_holds_the_cards_own_fields() -> None:
    cards = _coded_cards(31, 8)
    assert len(cards) >= 7  # a card with no room even after a new layout is rare
    for card in cards:
        (code,) = [op for op in card.plan.ops if isinstance(op, CodeOp)]
        symbol_mm = code.size * (len(code.rows) - 2 * BORDER) / len(code.rows) / REF_DPI * 25.4
        assert SIZE_MM[0] - 0.05 <= symbol_mm <= SIZE_MM[1] + 0.05  # whole reference pixels
        assert code.x > 0 and code.x + code.size < card.plan.width
        assert code.y > 0 and code.y + code.size < card.plan.height
        texts = [text_bbox(op) if isinstance(op, TextOp) else shape_bbox(op)
                 for op in card.plan.ops if isinstance(op, TextOp | ShapeOp)]
        assert not any(t[0] < code.x + code.size and code.x < t[2] and t[1] < code.y + code.size and code.y < t[3]
                       for t in texts)
        (payload,) = read_codes(np.asarray(render_card(card.plan, 300))[:, :, ::-1].copy())
        fields = parse_code(payload, card.content.country)
        assert fields is not None
        assert {p.number for p in fields.phones} <= {p.number for _, p in card.content.phones}
        assert set(fields.emails) <= {e for _, e in card.content.emails}
        assert set(fields.websites) <= {w for _, w in card.content.websites}
        assert (card.qr == "url") == (fields.name is None)


def test_the_share_is_a_probability_per_card_and_checked() -> None:
    cards = _coded_cards(8, 40)
    assert 36 <= len(cards) <= 40
    kinds = {c.qr for c in cards}
    assert kinds == {"vcard", "mecard", "url"}
    with pytest.raises(SystemExit):
        main(["--out", "x", "--qr", "1.5"])
    rng = random.Random(0)
    assert add_codes(cards_for("scan", rng), 0.0, 0, 0)[0].qr is None
