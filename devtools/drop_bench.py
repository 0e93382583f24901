"""The time from dropping one card on the web app's *Add cards* page to its fields being shown.

    python -m devtools.drop_bench [--engine auto] [--runs 3] [IMAGE ...]

Serves the app in-process (FastAPI's test client) on a fresh SQLite database per upload, POSTs the image as the
page's form does, polls the upload list every 0.05 s until the card is filed (the page itself polls every 1 s, so a
person sees it up to 1 s later), then fetches the contact page the list links to and checks the card's labelled
name is on it. Reported per image and engine: the first upload of the process (engines and models loaded on the
way) and the median of the runs after it, as wall seconds and CPU seconds of the process (`time.process_time`:
every thread, so the scan in the app's worker thread is counted; the polling requests too, a few ms).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from fastapi.testclient import TestClient

from pipeline import Settings
from pipeline.web.app import create_app
from pipeline.web.security import CSRF_FIELD, Guard

ROOT = Path(__file__).resolve().parents[1]
IMAGES = [ROOT / "sample_cards" / "ru_classic_scan.png", ROOT / "sample_cards" / "bilingual_sidebar_photo_fabric.jpg"]
POLL = 0.05
DEADLINE = 300.0


def _name(image: Path) -> str | None:
    label = image.with_name(image.name + ".json")
    if not label.exists():
        return None
    cards = json.loads(label.read_text(encoding="utf-8"))["cards"]
    return str(cards[0]["name"]) if cards and cards[0].get("name") else None


def drop(image: Path, engine: str, folder: Path, run: int) -> tuple[float, float]:
    """One upload on a fresh database: (wall s, CPU s) from the POST to the contact page with the fields."""
    guard = Guard(None)
    db = folder / f"{engine}-{image.stem}-{run}.db"
    with TestClient(create_app(f"sqlite:///{db}", guard, Settings(ocr_engine=engine))) as client:
        client.get("/add")  # the CSRF cookie, as the page's visit sets it
        wall, cpu = time.perf_counter(), time.process_time()
        with image.open("rb") as data:
            response = client.post("/add", data={CSRF_FIELD: guard.csrf}, files={"files": (image.name, data)},
                                   follow_redirects=False)
        if response.status_code != 303:
            raise SystemExit(f"{image.name}: upload refused ({response.status_code})")
        while not (found := re.search(r'href="(/contacts/\d+)"', jobs := client.get("/add/jobs").text)):
            if "failed" in jobs or time.perf_counter() - wall > DEADLINE:
                raise SystemExit(f"{image.name}: not filed: {jobs}")
            time.sleep(POLL)
        page = client.get(found.group(1))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    name = _name(image)
    if page.status_code != 200 or (name is not None and name not in page.text):
        raise SystemExit(f"{image.name}: the contact page lacks the card's name {name!r}")
    return wall, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("images", nargs="*", type=Path, default=IMAGES)
    parser.add_argument("--engine", action="append", choices=["auto", "tesseract", "ppocr"],
                        help="repeat for several (default: auto, then tesseract); run one per process for a cold first")
    parser.add_argument("--runs", type=int, default=3, help="warm uploads per image and engine, after the first")
    args = parser.parse_args(argv)
    print(f"| engine | card | first upload: wall / CPU s | warm, median of {args.runs}: wall / CPU s |")
    print("|---|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engine or ["auto", "tesseract"]:
            first: tuple[float, float] | None = None
            for image in args.images:
                runs = [drop(image, engine, Path(tmp), run) for run in range(args.runs + (first is None))]
                if first is None:
                    first, runs = runs[0], runs[1:]
                    shown = f"{first[0]:.2f} / {first[1]:.2f}"
                else:
                    shown = "-"
                warm = f"{statistics.median(r[0] for r in runs):.2f} / {statistics.median(r[1] for r in runs):.2f}"
                print(f"| `{engine}` | {image.name} | {shown} | {warm} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
