"""Held fields against the labels: how many fields waiting for a person were right (a wasted check) or
wrong (a catch), and how many passed straight into the contact right or wrong (a silent error).

`python -m devtools.held_study DIRS... --ocr-cache var/ocr-cache [--json OUT]` scores every labelled card as
devtools.evaluate pairs them. A card's held fields are its JSON's `held` list; a reading made before that key
existed is judged by the same rule (a guess, or a calibrated confidence below REVIEW_BELOW), so the figures of
two versions of extraction compare.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from devtools.evaluate import _is_empty_label, _scan_doc, _settings_for, discover, field_outcomes, match_cards
from pipeline.cli.common import read_options
from pipeline.core.config import Settings
from pipeline.extract.doubt import HOLDABLE, REVIEW_BELOW

KINDS = ("held right", "held wrong", "passed right", "passed wrong")


def held_of(pred: dict[str, Any]) -> set[str]:
    if "held" in pred:
        return set(pred["held"] or [])
    confidence = pred.get("confidence") or {}
    low = {k for k, v in confidence.items() if v < REVIEW_BELOW}
    return (set(pred.get("guesses") or []) | low) & HOLDABLE


def study(dirs: list[Path], settings: Settings, cache_dir: Path | None, jobs: int) -> dict[str, dict[str, int]]:
    items = [item for d in dirs for item in discover(d)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        docs = list(pool.map(_scan_doc, [(i.image, _settings_for(i, settings), cache_dir) for i in items]))
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for item, doc in zip(items, docs, strict=True):
        labels = [c for c in item.cards if not _is_empty_label(c)]
        paired = dict((i, j) for i, j in match_cards(doc["cards"], labels))
        for i, pred in enumerate(doc["cards"]):
            label = labels[paired[i]] if i in paired else {}
            held = held_of(pred)
            for key, _conf, right in field_outcomes(pred, label):
                table[key][f"{'held' if key in held else 'passed'} {'right' if right else 'wrong'}"] += 1
    return dict(table)


@click.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@read_options
@click.option("--ocr-cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "json_out", type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=int, default=None)
def main(dirs: tuple[Path, ...], settings: Settings, cache_dir: Path | None, json_out: Path | None,
         jobs: int | None) -> None:
    """Held / passed against right / wrong, per field, over the labelled cards in DIRS."""
    table = study(list(dirs), settings, cache_dir, jobs or os.cpu_count() or 1)
    print(f"| field | {' | '.join(KINDS)} |\n|---|{'---:|' * len(KINDS)}")
    for key in sorted(table):
        print(f"| {key} | {' | '.join(str(table[key][k]) for k in KINDS)} |")
    if json_out:
        json_out.write_text(json.dumps(table, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
