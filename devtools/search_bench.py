"""`make bench-search`: how long `contacts search` takes over 1k, 10k and 100k stored contacts.

Contacts are generated as for the dedupe bench (Russian names from cardgen's lists, many alike), each with a
company, a mobile, an e-mail, notes and interests, and their search text built as cardscan builds it. Each
probe is one `search_contacts` call: a stored surname in capitals, a company word in lower case, a transliterated
name, a mobile in the Russian 8-form, a word in the notes, and a word no one has.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy import Engine, insert

from cardgen.translit import transliterate
from devtools.dedupe_bench import person
from models import Contact, NameKey, Phone
from models.database import connect, sessions
from pipeline.book.contacts import search_contacts
from pipeline.extract.namekeys import name_keys
from pipeline.extract.searchtext import search_text

PROBES = 120
NOTES = ("обещал прайс", "ждёт звонка", "встреча на выставке", "хочет демо")
BATCH = 10_000


def fill(engine: Engine, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people = [person(rng, n) | {"note": f"{rng.choice(NOTES)} {n}"} for n in range(count)]
    for start in range(0, count, BATCH):
        chunk = list(enumerate(people[start:start + BATCH], start + 1))
        with engine.begin() as conn:
            conn.execute(insert(Contact), [
                {"id": i, "display_name": p["name"], "notes": p["note"], "interests": ["яхты"],
                 "search_text": search_text([p["name"], f"ООО «Компания {p['org']}»", p["email"], p["note"], "яхты"],
                                            [p["phone"]])} for i, p in chunk])
            conn.execute(insert(Phone), [{"contact_id": i, "e164": p["phone"], "type": "mobile"} for i, p in chunk])
            conn.execute(insert(NameKey), [{"contact_id": i, "key": k} for i, p in chunk
                                           for k in sorted(name_keys(p["name"]))])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return people


def queries(people: list[dict[str, Any]], seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    out = []
    for i in range(PROBES):
        p = rng.choice(people)
        out.append((p["name"].split()[0].upper(), f"компания {p['org']}", transliterate(p["name"]),
                    "8" + p["phone"][2:], p["note"].split()[-1] if i % 2 else "прайс", "несуществующий")[i % 6])
    return out


def measure(engine: Engine, texts: list[str]) -> dict[str, float]:
    times, hits = [], 0
    with sessions(engine)() as session:
        for text in texts:
            start = perf_counter()
            hits += bool(search_contacts(session, text))
            times.append((perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95)], "found": hits}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--db", help="an empty database URL (a fresh PostgreSQL schema) instead of a SQLite file; "
                        "contacts are added to it size after size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"{'contacts':>9} {'median ms':>10} {'p95 ms':>8} {'found':>6}/{PROBES}")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            engine = connect(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
            if args.db:
                with engine.begin() as conn:
                    conn.exec_driver_sql("TRUNCATE contact CASCADE")
            people = fill(engine, size, args.seed)
            r = measure(engine, queries(people, args.seed))
            engine.dispose()
        print(f"{size:>9} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} {r['found']:>6}")


if __name__ == "__main__":
    main()
