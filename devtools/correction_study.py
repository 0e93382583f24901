"""Does correcting cards in the web app teach the line classifier? Issue 14's measurement, in three steps:

    python -m devtools.correction_study split ../shared/real_cards var/correction-study
    python -m devtools.correction_study correct var/correction-study      # through the app's HTTP routes
    cardscan corrections export var/correction-study/corrections --db sqlite:///var/correction-study/app.db
    python -m devtools.train var/train-1000-360 --cache var/ocr-cache --out var/correction-study/model-retrained.json
    python -m devtools.train var/train-1000-360 var/correction-study/corrections --cache var/ocr-cache \\
        --out var/correction-study/model-corrected.json
    python -m devtools.correction_study score var/correction-study --ocr-cache var/ocr-cache \\
        var/correction-study/model-retrained.json var/correction-study/model-corrected.json

`split` halves the real photos, keeping the photos of one physical card (and a card's front and back) on one
side, so a held-out photo is never of a card that was corrected. `correct` serves the app in-process, uploads
each photo of the first half through "Add cards", and accepts each filed card on its review page with the
label's name, title and company typed over what was read, as a person would. `score` measures the other half
with the shipped model and each model given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from devtools.evaluate import LabelledImage, discover

# From ../shared/real_cards/README.md: two photos of one physical card, and the fronts and backs of two cards.
TOGETHER = (("806021986_246712", "806010510_264886"), ("806122959_320030", "806123639_321862"),
            ("806118785_317816", "806622785_155610"), ("806625065_155784", "806624374_155273"))


def halves(items: list[LabelledImage]) -> tuple[list[LabelledImage], list[LabelledImage]]:
    """Every other card (a card: its photos kept together), in file-name order: to correct, and held out."""
    groups: list[list[LabelledImage]] = []
    for item in sorted(items, key=lambda i: i.image.name):
        mate = next((g for g in groups for pair in TOGETHER if item.image.stem in pair
                     and any(o.image.stem in pair for o in g)), None)
        if mate is not None:
            mate.append(item)
        else:
            groups.append([item])
    return [i for g in groups[0::2] for i in g], [i for g in groups[1::2] for i in g]


def split(real: Path, work: Path) -> None:
    corrected, held = halves(discover(real))
    for name, part in (("corrected", corrected), ("heldout", held)):
        for item in part:
            for sub, source in (("images", item.image),
                                ("labels", item.image.parent.parent / "labels" / (item.image.name + ".json"))):
                link = work / name / sub / source.name
                link.parent.mkdir(parents=True, exist_ok=True)
                if not link.exists():
                    link.symlink_to(source.resolve())
        print(f"{name}: {len(part)} photos: {' '.join(i.image.stem for i in part)}")


class _Form(HTMLParser):
    """The named text inputs and textareas of the form with id `form_id`, as a browser would submit them."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.values: dict[str, str] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif self.inside and tag == "input" and (name := a.get("name")):
            self.values[name] = a.get("value") or ""
        elif self.inside and tag == "textarea":
            self.textarea = a.get("name") or "?"
            self.values[self.textarea] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None


def correct(work: Path, region: str = "BR") -> None:
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from models import Card
    from models.database import sessions
    from pipeline.core.config import Settings
    from pipeline.web.app import create_app
    from pipeline.web.security import CSRF_FIELD, Guard

    db_url = f"sqlite:///{work / 'app.db'}"
    guard = Guard(None)
    app = create_app(db_url, guard, Settings(region=region))
    items = discover(work / "corrected")
    accepted = 0
    with TestClient(app) as client:
        client.get("/contacts")
        for item in items:
            with item.image.open("rb") as image:
                client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": (item.image.name, image)})
        while any(job.state in ("queued", "scanning") for job in app.state.uploads.jobs.values()):
            time.sleep(1)
        failed = [(j.name, j.error) for j in app.state.uploads.jobs.values() if j.state != "done" or j.error]
        with sessions(app.state.uploads.maker.kw["bind"])() as session:
            cards = {Path(c.source_path).name: (c.id, c.review) for c in session.scalars(select(Card))}
        for item in items:
            if item.image.name not in cards or len(item.cards) != 1:
                continue
            card_id, review = cards[item.image.name]
            if review == "pending":  # a "same person?" question comes first; the answer does not change the label
                client.post(f"/review/{card_id}/apart", data={CSRF_FIELD: guard.csrf})
            form = _Form("accept")
            form.feed(client.get(f"/review/{card_id}").text)
            label = item.cards[0]
            form.values.update({"display_name": label.get("name") or "", "title": label.get("title") or "",
                                "company": label.get("company") or ""})
            response = client.post(f"/review/{card_id}/accept", data=form.values, follow_redirects=False)
            accepted += response.status_code == 303
    print(f"{len(items)} photos uploaded, {len(cards)} cards filed, {accepted} accepted with corrections; "
          f"no card from: {failed or 'none'}")


def score(work: Path, models: list[Path], cache: Path | None) -> None:
    import numpy as np

    import pipeline.extract.lines as lines
    from devtools.evaluate import evaluate_dirs
    from pipeline.core.config import Settings

    shipped = lines.model
    rows: dict[str, dict[str, Any]] = {}
    for path in [None, *models]:
        if path is None:
            lines.model = shipped
        else:
            doc = json.loads(path.read_text(encoding="utf-8"))
            fitted = lines.LineModel(tuple(doc["features"]), np.array(doc["mean"]), np.array(doc["scale"]),
                                     np.array(doc["weights"]), np.array(doc["bias"]))
            lines.model = lambda fitted=fitted: fitted  # type: ignore[assignment]
        report = evaluate_dirs([work / "heldout"], Settings(), jobs=1, ocr_cache_dir=cache)
        rows["shipped" if path is None else path.stem] = report["real"]
    lines.model = shipped
    metrics = list(next(iter(rows.values())))
    print("| metric | " + " | ".join(rows) + " |\n|---|" + "---:|" * len(rows))
    for metric in metrics:
        print(f"| {metric} | " + " | ".join(_fmt(r.get(metric)) for r in rows.values()) + " |")
    (work / "scores.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.correction_study", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = p.add_subparsers(dest="step", required=True)
    s = steps.add_parser("split")
    s.add_argument("real", type=Path)
    s.add_argument("work", type=Path)
    c = steps.add_parser("correct")
    c.add_argument("work", type=Path)
    m = steps.add_parser("score")
    m.add_argument("work", type=Path)
    m.add_argument("models", nargs="*", type=Path)
    m.add_argument("--ocr-cache", type=Path)
    args = p.parse_args(argv)
    if args.step == "split":
        split(args.real, args.work)
    elif args.step == "correct":
        correct(args.work)
    else:
        score(args.work, args.models, args.ocr_cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
