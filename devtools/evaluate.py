"""The accuracy harness behind `cardscan eval` and `make eval`.

Labels are JSON files beside each image (`card.png.json`) or in a `labels/` folder next to an
`images/` folder (the layout of ../shared/real_cards). Cards of a multi-card image are matched
one to one with the labelled cards before scoring.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path
from time import perf_counter
from typing import Any

import click
import numpy as np
from rich.console import Console
from rich.table import Table

from devtools import ocr_cache
from pipeline.cli.common import read_options
from pipeline.core.config import Settings
from pipeline.core.types import ScanResult, Status
from pipeline.stages.load import IMAGE_SUFFIXES
from pipeline.stages.report import card_to_dict
from pipeline.stages.run import card_from, scan_image

TEXT_FIELDS = ("name", "title", "company", "address")
SET_FIELDS = ("phones", "emails", "websites")
QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})


def norm_text(value: str | None) -> str | None:
    """The comparison form: NFKC, case-folded, ё as е, one kind of quote, single spaces."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).casefold().replace("ё", "е").translate(QUOTES)
    return re.sub(r"\s+", " ", text).strip() or None


def fold_accents(value: str | None) -> str | None:
    """The comparison form without diacritics (Eletrônica = Eletronica, José = Jose): the soft match of the real
    photos' text fields, whose README expects `eng` OCR to miss some accented letters and asks for them to be
    judged softly. Nothing else is forgiven: a letter, a space or a word missing is still a miss."""
    text = norm_text(value)
    if text is None:
        return None
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def site_key(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/", 1)[0]
    return host.removeprefix("www.")


def phones_match(label: str, read: str) -> bool:
    """E.164 as is; a label's `?digits` (printed without area code) compares by national digits."""
    if label.startswith("?"):
        return read.endswith(label[1:])
    return label == read


@dataclass
class LabelledImage:
    image: Path
    condition: str
    cards: list[dict[str, Any]]
    real: bool
    tags: tuple[str, ...] = ()

    @property
    def soft_text(self) -> bool:
        """Text fields judged without diacritics: the real photos (their README); generated cards exactly."""
        return self.real and self.condition == "real"


def discover(directory: Path) -> list[LabelledImage]:
    """Every labelled image under `directory`; unlabelled images are skipped."""
    found = []
    for image in sorted(p for p in directory.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        label_path = image.with_name(image.name + ".json")
        if not label_path.exists():
            label_path = image.parent.parent / "labels" / (image.name + ".json")
        if not label_path.exists():
            continue
        label = json.loads(label_path.read_text(encoding="utf-8"))
        real = "generator" not in label
        tags = tuple(label.get("conditions") or ["unknown"])
        # a person's correction (`cardscan corrections export`) is a real card with a trusted label
        condition = "correction" if "correction" in tags else "real" if real else tags[0]
        found.append(LabelledImage(image, condition, label.get("cards", []), real, tags))
    return found


# ---- matching -------------------------------------------------------------------------------

def _centre_inside(pred_bbox: list[float] | None, label_bbox: list[float] | None) -> bool | None:
    if not pred_bbox or not label_bbox:
        return None
    import cv2

    poly = np.array(label_bbox, np.float32).reshape(4, 2)
    centre = np.array(pred_bbox, np.float32).reshape(4, 2).mean(axis=0)
    return cv2.pointPolygonTest(poly, (float(centre[0]), float(centre[1])), False) >= 0


def _content_similarity(pred: dict[str, Any], label: dict[str, Any]) -> float:
    score = 0.0
    for key in ("name", "company", "title"):
        a, b = norm_text(pred.get(key)), norm_text(label.get(key))
        if a and b:
            score += SequenceMatcher(None, a, b).ratio()
    label_phones = [_label_number(p) for p in label.get("phones", [])]
    score += sum(any(phones_match(lp, p["number"]) for lp in label_phones) for p in pred.get("phones", []))
    score += len(set(pred.get("emails", [])) & {e.lower() for e in label.get("emails", [])})
    return score


def match_cards(preds: list[dict[str, Any]], labels: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (pred index, label index), by position first, then content."""
    pairs = []
    for i, pred in enumerate(preds):
        for j, label in enumerate(labels):
            inside = _centre_inside(pred.get("bbox"), label.get("bbox"))
            content = _content_similarity(pred, label)
            if inside is False and content < 2:
                continue
            score = (10.0 if inside else 0.0) + content
            if score > 0 or (len(preds) == len(labels) == 1):
                pairs.append((score, i, j))
    used_p, used_l, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_l:
            used_p.add(i)
            used_l.add(j)
            out.append((i, j))
    return out


# ---- scoring --------------------------------------------------------------------------------

def _label_number(phone: str | dict[str, Any]) -> str:
    return phone if isinstance(phone, str) else phone["number"]


def _label_type(phone: str | dict[str, Any]) -> str | None:
    return None if isinstance(phone, str) else phone.get("type")


def _is_empty_label(label: dict[str, Any]) -> bool:
    return not any(label.get(k) for k in (*TEXT_FIELDS, *SET_FIELDS))


@dataclass
class Tally:
    """Counts for one condition; figures are derived from them at the end."""

    images: int = 0
    seconds: list[float] = field(default_factory=list)
    label_cards: int = 0
    pred_cards: int = 0
    detected: int = 0
    perfect: int = 0
    exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    # right but for diacritics (fold_accents): the `_match` rows, which the perfect rate uses on real photos
    matched: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    perfect_exact: int = 0  # every text field exactly as printed, diacritics too
    soft: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    sets: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # tp, fp, fn
    phone_types: list[int] = field(default_factory=lambda: [0, 0])
    codes: list[int] = field(default_factory=lambda: [0, 0])  # cards printing a QR code: its text read, all
    errors: int = 0
    # (field, confidence, right) for every field a card came out with: the reliability table
    outcomes: list[tuple[str, float, bool]] = field(default_factory=list)


# Confidence bins of the reliability table: fields at >= 0.9 should be right >= 97% of the time (issue 13).
RELIABILITY_BINS = (0.0, 0.5, 0.7, 0.9, 1.01)


def field_outcomes(pred: dict[str, Any], label: dict[str, Any],
                   soft_text: bool = False) -> list[tuple[str, float, bool]]:
    """(field, confidence, right) for each field the card came out with that carries a confidence: text
    fields as the perfect rate judges them (without diacritics on real photos, `soft_text`), phones / e-mails /
    websites as whole sets."""
    confidence = pred.get("confidence") or {}
    same = fold_accents if soft_text else norm_text
    out = []
    for key in TEXT_FIELDS:
        if pred.get(key) is not None and key in confidence:
            out.append((key, float(confidence[key]), same(pred.get(key)) == same(label.get(key))))
    if pred.get("phones") and "phones" in confidence:
        expected = [_label_number(p) for p in label.get("phones", [])]
        read = [p["number"] for p in pred["phones"]]
        right = len(read) == len(expected) and all(any(phones_match(e, r) for r in read) for e in expected)
        out.append(("phones", float(confidence["phones"]), right))
    for key, norm in (("emails", str.lower), ("websites", site_key)):
        if pred.get(key) and key in confidence:
            right = {norm(v) for v in pred[key]} == {norm(v) for v in label.get(key, [])}
            out.append((key, float(confidence[key]), right))
    return out


def reliability(outcomes: list[tuple[str, float, bool]]) -> dict[str, Any]:
    """Fields and the share right in each confidence bin, as table rows."""
    out: dict[str, Any] = {}
    for lo, hi in itertools.pairwise(RELIABILITY_BINS):
        inside = [right for _, conf, right in outcomes if lo <= conf < hi]
        label = f"conf {lo:.1f}-{min(hi, 1.0):.1f}"
        out[f"{label} fields"] = len(inside)
        out[f"{label} right"] = _ratio(sum(inside), len(inside))
    return out


def score_card(tally: Tally, pred: dict[str, Any], label: dict[str, Any], mistakes: list[dict[str, Any]],
               soft_text: bool = False) -> None:
    """Score one card. `soft_text` (the real photos): a text field right but for its diacritics counts as right
    in the perfect rate and the reliability table; the `_exact` rows and `perfect_exact` stay strict."""
    tally.outcomes += field_outcomes(pred, label, soft_text)
    perfect = strict = True
    for key in TEXT_FIELDS:
        a, b = norm_text(pred.get(key)), norm_text(label.get(key))
        if a is None and b is None:
            continue
        ok = a == b
        folded_ok = fold_accents(a) == fold_accents(b)
        tally.exact[key][0] += ok
        tally.exact[key][1] += 1
        tally.matched[key][0] += folded_ok
        tally.matched[key][1] += 1
        tally.soft[key].append(SequenceMatcher(None, a or "", b or "").ratio())
        if not ok:
            mistakes.append({"field": key, "expected": label.get(key), "read": pred.get(key)})
            if key != "address":
                strict = False
                perfect &= soft_text and folded_ok
    _score_name_parts(tally, pred, label, mistakes)
    perfect &= _score_phones(tally, pred, label, mistakes)
    perfect &= _score_set(tally, "emails", [e.lower() for e in pred.get("emails", [])],
                          [e.lower() for e in label.get("emails", [])], mistakes)
    _score_set(tally, "websites", [site_key(w) for w in pred.get("websites", [])],
               [site_key(w) for w in label.get("websites", [])], mistakes)
    tally.perfect += perfect
    tally.perfect_exact += perfect and strict


def _score_name_parts(tally: Tally, pred: dict[str, Any], label: dict[str, Any],
                      mistakes: list[dict[str, Any]]) -> None:
    """Given, middle, family, prefix and suffix all right, over the cards whose name was read right."""
    expected = label.get("name_parts")
    if not expected or norm_text(pred.get("name")) != norm_text(label.get("name")):
        return
    read = pred.get("name_parts") or {}
    ok = all(norm_text(read.get(k)) == norm_text(v) for k, v in expected.items())
    tally.exact["name_parts"][0] += ok
    tally.exact["name_parts"][1] += 1
    if not ok:
        mistakes.append({"field": "name_parts", "expected": expected, "read": read})


def _score_set(tally: Tally, key: str, read: list[str], expected: list[str], mistakes: list[dict[str, Any]]) -> bool:
    r, e = set(read), set(expected)
    counts = tally.sets[key]
    counts[0] += len(r & e)
    counts[1] += len(r - e)
    counts[2] += len(e - r)
    if r != e:
        mistakes.append({"field": key, "expected": sorted(e), "read": sorted(r)})
    return r == e


def _score_phones(tally: Tally, pred: dict[str, Any], label: dict[str, Any], mistakes: list[dict[str, Any]]) -> bool:
    expected = list(label.get("phones", []))
    read = list(pred.get("phones", []))
    unmatched_read = list(read)
    tp = 0
    for lp in expected:
        hit = next((p for p in unmatched_read if phones_match(_label_number(lp), p["number"])), None)
        if hit is None:
            continue
        tp += 1
        unmatched_read.remove(hit)
        if _label_type(lp):
            ok_type = _label_type(lp) == hit["type"]
            tally.phone_types[0] += ok_type
            tally.phone_types[1] += 1
            if not ok_type:
                mistakes.append({"field": "phone_type", "expected": lp, "read": hit})
    counts = tally.sets["phones"]
    counts[0] += tp
    counts[1] += len(unmatched_read)
    counts[2] += len(expected) - tp
    ok = tp == len(expected) and not unmatched_read
    if not ok:
        mistakes.append({"field": "phones", "expected": [_label_number(p) for p in expected],
                         "read": [p["number"] for p in read]})
    return ok


def score_image(tally: Tally, item: LabelledImage, doc: dict[str, Any], mistakes: list[dict[str, Any]],
                coded_only: bool = False) -> None:
    """Score every card of the image; with ``coded_only`` just the cards labelled with a QR code
    (matched against all the image's cards first; invented cards then count nowhere)."""
    tally.images += 1
    tally.seconds.append(doc["seconds"])
    if doc["status"] == "error":
        tally.errors += 1
    preds = doc["cards"]
    labels = [c for c in item.cards if not _is_empty_label(c)]
    pairs = match_cards(preds, labels)
    scored = [j for j, label in enumerate(labels) if not coded_only or "qr" in label]
    pairs = [(i, j) for i, j in pairs if j in scored]
    tally.label_cards += len(scored)
    tally.pred_cards += len(pairs) if coded_only else len(preds)
    tally.detected += len(pairs)
    read = {j: preds[i] for i, j in pairs}
    empty: dict[str, Any] = {k: None for k in TEXT_FIELDS} | {k: [] for k in SET_FIELDS}
    for j in scored:
        if j not in read:
            mistakes.append({"field": "card", "expected": labels[j].get("name") or labels[j].get("company"),
                             "read": None})
        score_card(tally, read.get(j, empty), labels[j], mistakes if j in read else [], item.soft_text)
        _score_code(tally, read.get(j, empty), labels[j], mistakes)
    if not coded_only:
        for i, pred in enumerate(preds):
            if i not in {p for p, _ in pairs}:
                score_card(tally, pred, empty, [], item.soft_text)  # invented cards count against precision


def _score_code(tally: Tally, pred: dict[str, Any], label: dict[str, Any], mistakes: list[dict[str, Any]]) -> None:
    """A card printing a QR code: was the code read?"""
    if "qr" not in label:
        return
    tally.codes[1] += 1
    tally.codes[0] += bool(pred.get("qr_codes"))
    if not pred.get("qr_codes"):
        mistakes.append({"field": "qr", "expected": label["qr"], "read": None})


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def figures(t: Tally) -> dict[str, Any]:
    out: dict[str, Any] = {"images": t.images, "cards": t.label_cards, "errors": t.errors}
    for key in TEXT_FIELDS:
        out[f"{key}_exact"] = _ratio(*t.exact[key]) if key in t.exact else None
        out[f"{key}_match"] = _ratio(*t.matched[key]) if key in t.matched else None
        out[f"{key}_soft"] = round(statistics.fmean(t.soft[key]), 3) if t.soft.get(key) else None
    out["name_parts_exact"] = _ratio(*t.exact["name_parts"]) if "name_parts" in t.exact else None
    for key in SET_FIELDS:
        tp, fp, fn = t.sets.get(key, (0, 0, 0))
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        out[f"{key}_p"], out[f"{key}_r"] = p, r
        out[f"{key}_f1"] = round(2 * p * r / (p + r), 3) if p and r else (0.0 if tp + fp + fn else None)
    out["phone_type_acc"] = _ratio(*t.phone_types)
    out["qr_decoded"] = _ratio(*t.codes)
    out["perfect_card_rate"] = _ratio(t.perfect, t.label_cards)
    out["perfect_exact"] = _ratio(t.perfect_exact, t.label_cards)
    out["detection_recall"] = _ratio(t.detected, t.label_cards)
    out["detection_precision"] = _ratio(t.detected, t.pred_cards)
    out["median_seconds"] = round(statistics.median(t.seconds), 2) if t.seconds else None
    return out | reliability(t.outcomes)


# ---- running --------------------------------------------------------------------------------

def _scan_doc(args: tuple[Path, Settings, Path | None]) -> dict[str, Any]:
    path, settings, cache_dir = args
    if cache_dir is None:
        return _doc(scan_image(path, settings))
    start = perf_counter()
    readings, status, error, _ = ocr_cache.cached_readings(path, settings, cache_dir)
    cards = [card for card in (card_from(r, settings) for r in readings) if card]
    outcome: Status = "error" if status == "error" else "ok" if cards else "no_card"
    return _doc(ScanResult(str(path), "", outcome, cards, error=error, seconds=perf_counter() - start))


def _doc(result: ScanResult) -> dict[str, Any]:
    return {"status": result.status, "seconds": result.seconds, "error": result.error,
            "cards": [card_to_dict(c) for c in result.cards]}


def _settings_for(item: LabelledImage, settings: Settings) -> Settings:
    """The real photos are Brazilian cards: their README asks for region BR."""
    if settings.region or not item.real:
        return settings
    return replace(settings, region="BR")


# Sets scored only in a column of their own, so that the older columns (and `synthetic`) keep measuring what they
# always did: the seen and unseen vocabulary twins (cardgen --vocab seen|unseen, same seed) and the harder scenes.
OWN_COLUMNS = ("seen", "unseen", "shaded", "upside", "exif", "panel", "tiny")


def columns_of(item: LabelledImage) -> list[str]:
    """The columns an image is scored in, its own first (its mistakes are listed under it)."""
    if item.real:
        return [item.condition, "real-all"]
    vocab = [t for t in item.tags if t in ("seen", "unseen")]
    if vocab:
        # Issue 13 sets a target per scene of the unseen vocabulary (scans, photos, rotated, tiny): a column each.
        return [vocab[0], f"{vocab[0]}-{item.condition}"]
    if item.condition in OWN_COLUMNS:
        return [item.condition]
    return [item.condition, "synthetic"]


def evaluate_dirs(dirs: list[Path], settings: Settings, jobs: int | None = None,
                  errors_path: Path | None = None, ocr_cache_dir: Path | None = None) -> dict[str, Any]:
    """Scan every labelled image in `dirs` and score it; with `ocr_cache_dir`, readings made before
    are reused and only extraction runs again (the times then say nothing about speed)."""
    items = [item for d in dirs for item in discover(d)]
    work = [(i.image, _settings_for(i, settings), ocr_cache_dir) for i in items]
    jobs = jobs or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        docs = list(pool.map(_scan_doc, work, chunksize=1))
    tallies: dict[str, Tally] = defaultdict(Tally)
    all_mistakes = []
    for item, doc in zip(items, docs, strict=True):
        mistakes: list[dict[str, Any]] = []
        for n, key in enumerate(columns_of(item)):
            score_image(tallies[key], item, doc, mistakes if n == 0 else [])
        if any("qr" in card for card in item.cards):
            score_image(tallies["qr"], item, doc, [], coded_only=True)
        all_mistakes += [{"image": str(item.image), **m} for m in mistakes]
    if errors_path:
        errors_path.write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in all_mistakes) + "\n",
                               encoding="utf-8")
    order = ["scan", "photo", "rotated", "multi", "lowres", "synthetic", "qr", *OWN_COLUMNS, "real",
             *(f"{v}-{c}" for v in ("seen", "unseen") for c in ("scan", "photo", "rotated", "lowres"))]
    return {k: figures(tallies[k]) for k in sorted(tallies, key=lambda k: order.index(k) if k in order else 99)
            if k != "real-all"}


def render_table(report: dict[str, Any]) -> Table:
    table = Table(title="cardscan eval")
    table.add_column("metric")
    for condition in report:
        table.add_column(condition, justify="right")
    metrics: Iterable[str] = next(iter(report.values())).keys() if report else []
    for metric in metrics:
        table.add_row(metric, *(_fmt(report[c].get(metric)) for c in report))
    return table


def render_markdown(report: dict[str, Any]) -> str:
    """The same table as Markdown, for the README."""
    conditions = list(report)
    rows = [f"| metric | {' | '.join(conditions)} |", f"|---|{'---:|' * len(conditions)}"]
    metrics = next(iter(report.values())).keys() if report else []
    rows += [f"| {m} | {' | '.join(_fmt(report[c].get(m)) for c in conditions)} |" for m in metrics]
    return "\n".join(rows) + "\n"


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


@click.command("eval")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@read_options
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: all CPUs).")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Also write the figures as JSON here.")
@click.option("--errors", "errors_out", type=click.Path(path_type=Path),
              help="Write every mismatch (expected vs read) as JSON lines here.")
@click.option("--markdown", "md_out", type=click.Path(path_type=Path), help="Also write the table as Markdown here.")
@click.option("--ocr-cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep each card's OCR here and reuse it: re-measures extraction alone, in seconds.")
def main(dirs: tuple[Path, ...], settings: Settings, jobs: int | None, json_out: Path | None,
             errors_out: Path | None, md_out: Path | None, cache_dir: Path | None) -> None:
    """Score the pipeline against labelled images in DIRS and print the accuracy table.

    Labels are `<image>.json` beside each image, or `labels/<image>.json` beside an `images/`
    folder; the format is described in sample_cards/README.md.
    """
    report = evaluate_dirs(list(dirs), settings, jobs=jobs, errors_path=errors_out,
                           ocr_cache_dir=cache_dir)
    Console().print(render_table(report))
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if md_out:
        md_out.write_text(render_markdown(report), encoding="utf-8")




if __name__ == "__main__":
    main()
