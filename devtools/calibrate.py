"""Fit the field-confidence calibration (pipeline/extract/calibration.json) on labelled tuning sets.

    python -m devtools.calibrate DIR [DIR ...] --ocr-cache var/ocr-cache

Every labelled image is read (from the OCR cache where it holds the image), extracted with the raw
confidences, and each field the cards came out with is scored right or wrong as `cardscan eval` scores it;
an isotonic regression per field (scikit-learn, the `train` extra) maps raw confidence to the share right.
Tune only on the tuning seeds (3, 11-15) and ../shared/real_cards, never on the held-out eval seeds.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.isotonic import IsotonicRegression

from devtools import evaluate
from pipeline.core.config import Settings, default_ocr_engine
from pipeline.extract import calibration

HELD_OUT_SEEDS = (20261127, 20261128, 20261129)
OUT = Path(__file__).parent.parent / "pipeline" / "extract" / calibration.CALIBRATION_FILE
MIN_FIELDS = 20  # a field seen fewer times keeps its raw confidence
MIN_BLOCK = 20  # fields a step of the fit needs before its own share right is trusted (else pooled with lower)
# A confidence of 0.9 must mean >= 0.97 right on cards the map has not seen (issue 13), so each step of the
# fit gives the lower bound of its share right: z of a one-sided 95% Wilson interval.
Z = 1.64
# Real photos are few beside the generated cards, and it is on them that 0.9 has been over-confident: each
# real card's field counts this many times in the fit.
REAL_WEIGHT = 25.0


def outcomes(dirs: list[Path], cache_dir: Path | None,
             engine: str | None = None) -> list[tuple[str, float, bool, float]]:
    """(field, raw confidence, right, weight) over every card of every labelled image in `dirs`, read by `engine`
    (the default engine when None)."""
    calibration.ENABLED = False
    found: list[tuple[str, float, bool, float]] = []
    try:
        for item in (i for d in dirs for i in evaluate.discover(d)):
            if any(f"-{seed}-" in str(item.image) or f"_{seed}" in str(item.image) for seed in HELD_OUT_SEEDS):
                raise SystemExit(f"{item.image}: a held-out eval set is never used for tuning")
            settings = evaluate._settings_for(item, Settings(ocr_engine=engine) if engine else Settings())
            doc = evaluate._scan_doc((item.image, settings, cache_dir))
            labels = [c for c in item.cards if not evaluate._is_empty_label(c)]
            pairs = evaluate.match_cards(doc["cards"], labels)
            matched = {i for i, _ in pairs}
            weight = REAL_WEIGHT if item.real else 1.0
            for i, j in pairs:
                found += [(*o, weight) for o in evaluate.field_outcomes(doc["cards"][i], labels[j], item.soft_text)]
            empty: dict[str, Any] = {k: None for k in evaluate.TEXT_FIELDS} | {k: [] for k in evaluate.SET_FIELDS}
            for i, card in enumerate(doc["cards"]):
                if i not in matched:
                    found += [(*o, weight) for o in evaluate.field_outcomes(card, empty, item.soft_text)]
    finally:
        calibration.ENABLED = True
    return found


def fit(found: list[tuple[str, float, bool, float]]) -> dict[str, dict[str, Any]]:
    by_field: dict[str, list[tuple[float, bool, float]]] = defaultdict(list)
    for key, conf, right, weight in found:
        by_field[key].append((conf, right, weight))
    maps = {}
    for key, pairs in sorted(by_field.items()):
        if len(pairs) < MIN_FIELDS:
            continue
        x = np.array([c for c, _, _ in pairs])
        y = np.array([float(r) for _, r, _ in pairs])
        w = np.array([v for _, _, v in pairs])
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y, sample_weight=w)
        grid = np.unique(np.concatenate([[0.0, 1.0], iso.X_thresholds_]))
        fitted = iso.predict(grid)
        # Each step of the fit is a block of fields with one share right; a field is given the lower bound of
        # that share (Wilson, one-sided 95%) over the block's unweighted count, so that a confidence of 0.9
        # means at least that on cards like these, not just on average.
        blocks = iso.predict(x)
        bounds = np.array([_wilson_lower(*_pooled(p, blocks, y, w)) for p in fitted])
        bounds = np.minimum.accumulate(bounds[::-1])[::-1]  # monotone, never above a higher block's bound
        maps[key] = {"raw": [round(float(v), 4) for v in grid], "calibrated": [round(float(v), 4) for v in bounds],
                     "fields": len(pairs), "right": round(float(y.mean()), 3)}
    return maps


def _pooled(share: float, blocks: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, int]:
    """The share right and the count of the fit's block at `share`, pooled with the blocks under it until it
    holds MIN_BLOCK fields: a top block of three fields all right would otherwise bound every block under it
    near 0.5 (the Wilson bound of 3 of 3), however many fields those hold. Pooling with lower blocks only ever
    lowers the share, so the bound stays on the safe side for the block's own fields."""
    levels = np.unique(blocks)
    inside = np.isclose(blocks, share)
    below = levels[levels < share - 1e-9][::-1]
    for level in below:
        if int(np.sum(inside)) >= MIN_BLOCK:
            break
        inside |= np.isclose(blocks, level)
    return float(np.average(y[inside], weights=w[inside])), int(np.sum(inside))


def _wilson_lower(p: float, n: int, z: float = Z) -> float:
    """The lower end of the Wilson interval of a share p seen over n fields."""
    if n == 0:
        return 0.0
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return float(max(0.0, (centre - spread) / (1 + z * z / n)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--ocr-cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--engine", default=default_ocr_engine(),
                        help="the OCR engine whose readings are fitted; its map is replaced, the others kept")
    args = parser.parse_args()
    maps = fit(outcomes(args.dirs, args.ocr_cache, args.engine))
    name = calibration.map_name(args.engine)
    doc = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    doc = {"about": "raw -> calibrated field confidence per OCR engine, fitted by devtools/calibrate.py",
           "engines": doc.get("engines", {}) | {
               name: {"about": f"read by {args.engine}, fitted on " + ", ".join(d.name for d in args.dirs),
                      "fields": maps}}}
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"map {name!r} (engine {args.engine}):")
    for key, m in maps.items():
        print(f"{key:10s} {m['fields']:4d} fields, {m['right']:.3f} right")


if __name__ == "__main__":
    main()
