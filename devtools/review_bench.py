"""The web app's page cost at N filed cards: what the review count in the navigation adds to every page.

    python -m devtools.review_bench fill sqlite:///var/review-bench.db --cards 10000
    python -m devtools.review_bench time sqlite:///var/review-bench.db

`fill` files N cards, one contact each, with the stored JSON of a real card's reading (a third with a doubtful
field, as on real photos); it writes through the models' tables only, so a database filled by an older checkout
can be timed by a newer one (which migrates it first: `time` reports the migration's seconds too). `time` serves
the app in-process (FastAPI's test client) and reports CPU seconds (this process, every thread) per request of
/add, a page that shows nothing but the navigation, and of /review.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert

from models import Card, Contact
from models.database import connect

FIELDS = {"bbox": None, "page": 0, "rotation": 0, "name": "Иван Петров", "title": "Директор по развитию",
          "company": "ООО «Ромашка»", "address": "г. Москва, ул. Ленина, д. 1",
          "phones": [{"number": "+74951234567", "type": "work", "extension": None, "raw": "+7 495 123-45-67"}],
          "emails": ["ivan.petrov@romashka.ru"], "websites": ["https://romashka.ru"], "social": [], "aliases": [],
          "qr_codes": [], "language": "ru", "text": "Иван Петров\nДиректор по развитию\nООО «Ромашка»\n" * 3}


def fill(url: str, cards: int) -> None:
    engine = connect(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for start in range(0, cards, 1000):
            ids = range(start, min(cards, start + 1000))
            conn.execute(insert(Contact), [
                {"id": i + 1, "display_name": f"Иван Петров {i}", "search_text": f"иван петров {i}",
                 "interests": [], "edited_fields": [], "created_at": now, "updated_at": now} for i in ids])
            conn.execute(insert(Card), [
                {"contact_id": i + 1, "source_path": f"/photos/{i}.jpg", "sha256": f"{i:064x}", "card_index": 0,
                 "page": 0, "ocr_text": FIELDS["text"], "scanned_at": now,
                 "fields": FIELDS | {"confidence": {"name": 0.4 if i % 3 == 0 else 0.9, "company": 0.8},
                                     "guesses": []}} for i in ids])
    print(f"filed {cards} cards into {engine.url.render_as_string(hide_password=True)}")


def timed(url: str, rounds: int) -> None:
    from fastapi.testclient import TestClient

    from pipeline.web.app import create_app
    from pipeline.web.security import Guard

    start = time.process_time()
    app = create_app(url, Guard(None))  # migrates the database to head first
    print(f"opening (and migrating): {time.process_time() - start:.2f} CPU s")
    with TestClient(app) as client:
        for path in ("/add", "/review"):
            client.get(path)  # templates compiled, caches warm
            seconds = []
            for _ in range(rounds):
                before = time.process_time()
                response = client.get(path)
                seconds.append(time.process_time() - before)
                assert response.status_code == 200
            print(f"GET {path}: median {statistics.median(seconds) * 1000:.1f} ms CPU, "
                  f"min {min(seconds) * 1000:.1f} ms ({rounds} requests)")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m devtools.review_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", choices=("fill", "time"))
    p.add_argument("db")
    p.add_argument("--cards", type=int, default=10_000)
    p.add_argument("--rounds", type=int, default=20)
    args = p.parse_args(argv)
    if args.what == "fill":
        fill(args.db, args.cards)
    else:
        timed(args.db, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
