"""`make train`: rebuild the line classifier (pipeline/extract/line_model.json) from generated cards.

    python -m devtools.train var/train-seen-1000-360 --cache var/ocr-cache

Each labelled single-card image is read by the pipeline itself (its OCR kept in the cache), every line
that no phone, e-mail or link took is labelled with the field it holds (fuzzy-matched against the
card's label), and a multinomial logistic regression is fitted. scikit-learn is needed for training
only (the `train` extra); the model is written as plain numbers, so the same inputs give the same file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from devtools.evaluate import LabelledImage, discover, norm_text
from devtools.ocr_cache import cached_readings
from pipeline.core.config import Settings
from pipeline.core.types import Reading
from pipeline.extract.fields import pattern_lines
from pipeline.extract.lines import CLASSES, MODEL_FILE, features

# The shipped model, beside the code that reads it (pipeline/extract/), not beside this tool.
MODEL_PATH = Path(importlib.import_module("pipeline.extract.lines").__file__ or ".").parent / MODEL_FILE

MIN_MATCH = 85  # partial ratio for a line to hold a labelled field
HOLDOUT = 0.2  # of the images, to report accuracy on before the final fit

Example = tuple[dict[str, float], str]


def line_labels(reading: Reading, label: dict[str, Any]) -> dict[int, str]:
    """What each line holds, by the label: the field it matches best, or 'other'."""
    fields = {"name": [label.get("name"), *label.get("aliases", [])], "title": [label.get("title")],
              "company": [label.get("company")], "department": [label.get("department")],
              "address": [label.get("address")]}
    out = {}
    for i, line in enumerate(reading.ocr.lines):
        text = norm_text(line.text) or ""
        best, kind = 0.0, "other"
        for key, values in fields.items():
            for value in filter(None, values):
                score = _match(text, norm_text(value) or "")
                if score > best:
                    best, kind = score, key
        out[i] = kind if best >= MIN_MATCH else "other"
    return out


def _match(line: str, field: str) -> float:
    """How well a line is (a part of) a field: a line may hold a piece of a name or title set on two."""
    if len(line) < 3 or not field:
        return 0.0
    if len(line) > len(field) * 1.3:
        return 0.0  # the field is a small part of a longer line: the line is something else
    return fuzz.partial_ratio(line, field) if len(line) < len(field) else fuzz.ratio(line, field)


def examples(item: LabelledImage, settings: Settings, cache_dir: Path) -> list[Example]:
    readings, _, _, _ = cached_readings(item.image, settings, cache_dir)
    if len(item.cards) != 1 or not readings:
        return []
    reading = max(readings, key=lambda r: len(r.ocr.text))
    taken, domains = pattern_lines(reading.ocr, settings)
    lines = list(reading.ocr.lines)
    size = (reading.ocr.width, reading.ocr.height)
    labels = line_labels(reading, item.cards[0])
    return [(features(lines, i, domains, size), labels[i]) for i in range(len(lines)) if i not in taken]


def fit(data: list[Example], names: list[str]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.array([[f.get(n, 0.0) for n in names] for f, _ in data])
    y = np.array([CLASSES.index(k) for _, k in data])
    scaler = StandardScaler().fit(x)
    clf = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y)
    return scaler, clf


def accuracy(model: Any, data: list[Example], names: list[str]) -> dict[str, float]:
    scaler, clf = model
    x = scaler.transform(np.array([[f.get(n, 0.0) for n in names] for f, _ in data]))
    predicted = [CLASSES[int(k)] for k in clf.predict(x)]
    truth = [k for _, k in data]
    out = {"all": float(np.mean([p == t for p, t in zip(predicted, truth, strict=True)]))}
    for kind in CLASSES:
        hits = [p == t for p, t in zip(predicted, truth, strict=True) if t == kind]
        out[kind] = float(np.mean(hits)) if hits else float("nan")
    return out


def to_json(model: Any, names: list[str]) -> dict[str, Any]:
    scaler, clf = model
    weights = np.zeros((len(CLASSES), len(names)))
    bias = np.zeros(len(CLASSES))
    for row, k in enumerate(clf.classes_):
        weights[int(k)], bias[int(k)] = clf.coef_[row], clf.intercept_[row]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return {"classes": list(CLASSES), "features": names, "mean": _r(scaler.mean_), "scale": _r(scale),
            "weights": [_r(w) for w in weights], "bias": _r(bias)}


def _r(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.train", description=__doc__)
    p.add_argument("sets", nargs="+", type=Path, help="directories of labelled generated cards")
    p.add_argument("--cache", type=Path, default=Path("var/ocr-cache"), help="OCR cache (default var/ocr-cache)")
    p.add_argument("--out", type=Path, default=MODEL_PATH)
    p.add_argument("--seed", type=int, default=0, help="seed of the held-out split")
    args = p.parse_args(argv)
    settings = Settings()
    # Generated cards, and real cards a person corrected; never the real development photos (they measure).
    items = [i for d in args.sets for i in discover(d) if not i.real or i.condition == "correction"]
    with ProcessPoolExecutor() as pool:  # OCR of the images not in the cache yet: the slow part
        by_image = list(pool.map(partial(examples, settings=settings, cache_dir=args.cache), items))
    names = sorted(next(f for ex in by_image for f, _ in ex))
    order = list(range(len(by_image)))
    random.Random(args.seed).shuffle(order)
    cut = int(len(order) * HOLDOUT)
    test = [e for i in order[:cut] for e in by_image[i]]
    train = [e for i in order[cut:] for e in by_image[i]]
    print(f"{len(items)} images, {len(train) + len(test)} lines:", dict(Counter(k for ex in by_image for _, k in ex)))
    held = accuracy(fit(train, names), test, names)
    print("held-out line accuracy:", {k: round(v, 3) for k, v in held.items()})
    final = fit(train + test, names)
    args.out.write_text(json.dumps(to_json(final, names), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
