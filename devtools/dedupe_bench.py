"""`make bench` part 2: how long dedupe takes to match one card against 1k, 10k and 100k stored contacts.

Contacts are generated from cardgen's name lists (so many share a name, as in a big team database)
and inserted in bulk; each probe is one `match_card` call: a third share a phone, a third are a
stored person's name transliterated with the same company, a third are new people.
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
from cardgen.wordlists import rows, words
from models import Contact, Email, NameKey, Organization, Phone, Position
from models.database import connect, sessions
from pipeline.book.dedupe import match_card
from pipeline.core.types import CardFields
from pipeline.core.types import Phone as FoundPhone
from pipeline.extract.namekeys import name_keys, organization_identity

PROBES = 300


def person(rng: random.Random, n: int) -> dict[str, Any]:
    female = rng.random() < 0.5
    given = rng.choice(words("ru_given_female" if female else "ru_given_male"))
    patronymic = rng.choice(rows("ru_patronymics"))[1 if female else 0]
    family = rng.choice(words("ru_family")) + ("а" if female else "")
    return {"name": f"{family} {given} {patronymic}", "phone": f"+7916{n:07d}",
            "email": f"p{n}@example.ru", "org": rng.randrange(2000)}


def fill(engine: Engine, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    people = [person(rng, n) for n in range(count)]
    orgs = [f"ООО «{rng.choice(words('ru_company_stems'))} {i}»" for i in range(2000)]
    with engine.begin() as conn:
        conn.execute(insert(Organization), [{"id": i + 1, "name": o, "match_key": organization_identity(o)}
                                            for i, o in enumerate(orgs)])
        conn.execute(insert(Contact), [{"id": i + 1, "display_name": p["name"]} for i, p in enumerate(people)])
        conn.execute(insert(Phone), [{"contact_id": i + 1, "e164": p["phone"], "type": "mobile"}
                                     for i, p in enumerate(people)])
        conn.execute(insert(Email), [{"contact_id": i + 1, "address": p["email"]} for i, p in enumerate(people)])
        conn.execute(insert(Position), [{"contact_id": i + 1, "organization_id": p["org"] + 1, "by_hand": False}
                                        for i, p in enumerate(people)])
        conn.execute(insert(NameKey), [{"contact_id": i + 1, "key": k} for i, p in enumerate(people)
                                       for k in sorted(name_keys(p["name"]))])
    if engine.dialect.name == "postgresql":  # what autovacuum would do after a bulk load: planner statistics
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    for p in people:
        p["company"] = orgs[p["org"]]
    return people


def probes(people: list[dict[str, Any]], seed: int) -> list[CardFields]:
    rng = random.Random(seed + 1)
    out = []
    for i in range(PROBES):
        p = rng.choice(people)
        if i % 3 == 0:
            out.append(CardFields(name=transliterate(p["name"]), phones=[FoundPhone(p["phone"], "mobile")]))
        elif i % 3 == 1:
            out.append(CardFields(name=transliterate(p["name"]), company=p["company"],
                                  phones=[FoundPhone(f"+7495{i:07d}", "work")]))
        else:
            new = person(rng, 9_000_000 + i)
            out.append(CardFields(name=new["name"], company="ООО «Новая»", phones=[FoundPhone(new["phone"], "mobile")]))
    return out


def measure(engine: Engine, cards: list[CardFields]) -> dict[str, float]:
    times, outcomes = [], []
    with sessions(engine)() as session:
        for fields in cards:
            start = perf_counter()
            outcomes.append(match_card(session, fields).outcome)
            times.append((perf_counter() - start) * 1000)
    times.sort()
    return {"median_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95)],
            "merged": outcomes.count("merged"), "needs_review": outcomes.count("needs_review"),
            "created": outcomes.count("created")}


def run(sizes: list[int], db_url: str | None, seed: int) -> list[dict[str, Any]]:
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
            engine = connect(url)
            start = perf_counter()
            people = fill(engine, size, seed)
            filled = perf_counter() - start
            results.append({"contacts": size, "fill_s": filled, **measure(engine, probes(people, seed))})
            engine.dispose()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--db", help="an empty database URL to use instead of a temporary SQLite file")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"{'contacts':>9} {'median ms':>10} {'p95 ms':>8} {'merged':>7} {'review':>7} {'created':>8} {'fill s':>7}")
    for r in run([int(s) for s in args.sizes.split(",")], args.db, args.seed):
        print(f"{r['contacts']:>9} {r['median_ms']:>10.2f} {r['p95_ms']:>8.2f} {r['merged']:>7} "
              f"{r['needs_review']:>7} {r['created']:>8} {r['fill_s']:>7.1f}")


if __name__ == "__main__":
    main()
