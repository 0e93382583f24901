"""Putting it together: cards, conditions, files and labels."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cardgen import scenes
from cardgen import vocab as _vocab
from cardgen.degrade import encode
from cardgen.geometry import LayoutError
from cardgen.labels import card_label, dumps, empty_strings
from cardgen.layouts import DARK, DARK_OK, FAMILIES, WEIGHTS, CardPlan, build_plan
from cardgen.model import CardContent
from cardgen.people import ContentOptions, make_content
from cardgen.qrcodes import with_code
from cardgen.scenes import ALL_CONDITIONS, CONDITIONS, Scene, SceneOptions
from cardgen.styles import Style, make_style


@dataclass
class Card:
    content: CardContent
    plan: CardPlan
    style: Style | None = None
    qr: str | None = None  # the kind of QR code printed on it: vcard, mecard or url


def _pick_family(rng: random.Random) -> str:
    names = list(FAMILIES)
    return rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]


def make_card(
    rng: random.Random,
    options: ContentOptions | None = None,
    family: str | None = None,
    dark: bool | None = None,
) -> Card:
    """Content plus a layout that fits it legibly; retries other layouts, then other content."""
    for _ in range(30):
        content = make_content(rng, options)
        text = " ".join(i.text for i in content.all_items()) + content.logo_text
        for _ in range(8):
            fam = family or _pick_family(rng)
            is_dark = dark if dark is not None else (fam in DARK or (fam in DARK_OK and rng.random() < 0.12))
            style = make_style(rng, dark=is_dark, text=text)
            try:
                return Card(content, build_plan(content, style, rng, fam), style)
            except LayoutError:
                continue
    raise RuntimeError("could not lay out a card")


def render_condition(
    condition: str, cards: list[Card], rng: random.Random, nprng: np.random.Generator, opts: SceneOptions
) -> Scene:
    if condition == "multi":
        return scenes.multi([c.plan for c in cards], rng, nprng, opts)
    return scenes.MAKERS[condition](cards[0].plan, rng, nprng, opts)


def build_label(condition: str, cards: list[Card], scene: Scene, seed: int, index: int) -> dict[str, Any]:
    generator: dict[str, Any] = {"seed": seed, "index": index}
    if _vocab.mode() != "all":
        generator["vocab"] = _vocab.mode()
    if condition == "multi":
        generator["layout"] = "multi_page"
        generator["card_layouts"] = [c.plan.layout for c in cards]
    else:
        generator["layout"] = cards[0].plan.layout
    tags = [condition]
    if any(c.qr for c in cards):
        tags.append("qr")
    if _vocab.mode() != "all":
        tags.append(_vocab.mode())  # seen or unseen: `make eval` scores these sets in columns of their own
    label = {
        "conditions": tags,
        "generator": generator,
        "cards": [_card_label(c, p, scene) for c, p in zip(cards, scene.placements, strict=True)],
    }
    bad = empty_strings(label)
    if bad:
        raise AssertionError(f"empty strings in label: {bad}")
    return label


def _card_label(card: Card, placement: scenes.Placement, scene: Scene) -> dict[str, Any]:
    label = card_label(card.content, placement.corners, placement.rotation)
    if scene.exif_orientation is not None:
        label["exif_orientation"] = scene.exif_orientation
        label["pixel_rotation"] = int(scene.tags["pixel_rotation"])
    if card.qr:
        label["qr"] = card.qr
    return label


def add_codes(cards: list[Card], share: float, seed: int, index: int) -> list[Card]:
    """A QR code on each card with probability ``share``, decided by a stream of its own per card:
    the card's own stream is untouched, so the set without codes holds the very same cards."""
    out = []
    for k, card in enumerate(cards):
        rng = random.Random(f"cardgen-qr:{seed}:{index}:{k}")
        coded = with_code(card.content, card.plan, card.style, rng) if rng.random() < share else None
        out.append(Card(card.content, coded[0], card.style, coded[1]) if coded else card)
    return out


def write_example(
    out_dir: Path,
    stem: str,
    condition: str,
    cards: list[Card],
    rng: random.Random,
    nprng: np.random.Generator,
    opts: SceneOptions,
    seed: int,
    index: int,
) -> Path:
    scene = render_condition(condition, cards, rng, nprng, opts)
    path = out_dir / f"{stem}.{scene.fmt}"
    path.write_bytes(encode(scene.image, scene.fmt, scene.quality, scene.exif_orientation))
    label = build_label(condition, cards, scene, seed, index)
    path.with_name(path.name + ".json").write_text(dumps(label), encoding="utf-8")
    return path


def rngs_for(seed: int, index: int) -> tuple[random.Random, np.random.Generator]:
    """Independent streams per image, so image i does not depend on how many come before it."""
    rng = random.Random(f"cardgen:{seed}:{index}")
    return rng, np.random.default_rng(rng.getrandbits(64))


def cards_for(
    condition: str,
    rng: random.Random,
    count: int | None = None,
    options: ContentOptions | None = None,
    world: Callable[[int], bool] | None = None,
) -> list[Card]:
    """``world(k)`` says whether card ``k`` is of a person from another culture (cardgen.world)."""
    n = (count or rng.randint(2, 6)) if condition == "multi" else 1
    # The panel scene's card is a light card with a dark side panel.
    family, dark = ("dark_panel", False) if condition == "panel" else (None, None)
    return [
        make_card(rng, ContentOptions(language="world") if world is not None and world(k) else options, family, dark)
        for k in range(n)
    ]


def generate_set(
    out_dir: Path,
    count: int,
    seed: int,
    conditions: Sequence[str] = CONDITIONS,
    qr: float = 0.0,
    vocab: str = "all",
    world: float = 0.0,
) -> list[Path]:
    """Write ``count`` labelled images to ``out_dir``, cycling through ``conditions``; a share ``qr``
    of the cards carry a QR code; the words come from the ``vocab`` part of the word lists (``all``, ``seen``
    or ``unseen``, see :mod:`cardgen.vocab`); a share ``world`` of the cards are of people from the other
    cultures of :mod:`cardgen.world` (Latin script)."""
    unknown = set(conditions) - set(ALL_CONDITIONS)
    if unknown or not conditions:
        raise ValueError(f"unknown conditions: {sorted(unknown)}")
    if not 0.0 <= qr <= 1.0:
        raise ValueError(f"the QR share must be within 0..1, not {qr}")
    if not 0.0 <= world <= 1.0:
        raise ValueError(f"the world share must be within 0..1, not {world}")
    if vocab not in _vocab.MODES:
        raise ValueError(f"unknown vocabulary {vocab!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = [(out_dir, conditions[i % len(conditions)], seed, i, qr, vocab, world) for i in range(count)]
    if count < 8:
        return [_one_example(w) for w in work]
    # Each image has its own random streams from (seed, index), so the order of the
    # workers cannot change a byte of any image.
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(_one_example, work, chunksize=4))


def _one_example(work: tuple[Path, str, int, int, float, str, float]) -> Path:
    out_dir, condition, seed, index, qr, words, world = work
    with _vocab.using(words):
        rng, nprng = rngs_for(seed, index)
        # Whether a card is a world card comes from a stream of its own, so --world 0 leaves every set as before.
        pick = (lambda k: random.Random(f"cardgen-world:{seed}:{index}:{k}").random() < world) if world else None
        cards = cards_for(condition, rng, world=pick)
        if qr > 0:
            cards = add_codes(cards, qr, seed, index)
        stem = f"{index:05d}_{condition}"
        return write_example(out_dir, stem, condition, cards, rng, nprng, SceneOptions(), seed, index)
