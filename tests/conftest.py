"""Shared fixtures: paths to the bundled samples and the team's shared folder, and a tiny card renderer."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from pipeline.core.types import OcrLine, OcrWord

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cards"
SHARED = ROOT.parent / "shared"
SCHEMA = SHARED / "spec" / "scan-result.schema.json"


def sample_images() -> list[Path]:
    images = (p for p in SAMPLES.iterdir() if p.suffix in {".png", ".jpg"})
    return sorted(p for p in images if p.with_name(p.name + ".json").exists())


def label_of(image: Path) -> dict[str, Any]:
    return json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))


def modules_loaded(code: str, watched: tuple[str, ...], *args: str) -> set[str]:
    """Which of the `watched` modules are in sys.modules after running `code` (argv: `args`) in a fresh
    interpreter. Whether a path stays light is a question of what it imports, not of timing, which a shared
    machine makes flaky."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {watched!r} if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    return set(ast.literal_eval(run.stdout.strip().splitlines()[-1]))


def lines_of(*texts: str, height: int = 20, conf: float = 95.0) -> list[OcrLine]:
    """OCR lines as Tesseract would give them for the given texts, one line each."""
    out = []
    for row, text in enumerate(texts):
        words = tuple(OcrWord(w, conf, 10 + 60 * i, 10 + 40 * row, 50, height) for i, w in enumerate(text.split()))
        out.append(OcrLine(words))
    return out


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    if not SCHEMA.exists():
        pytest.skip(f"the scan-result schema is not at {SCHEMA}")
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


PG_URL = os.environ.get("CARDSCAN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        with create_engine(PG_URL, connect_args={"connect_timeout": 3}).connect():
            return True
    except Exception:
        return False


@contextmanager
def pg_schema(prefix: str = "t") -> Iterator[str]:
    """A URL into a schema of its own on the PostgreSQL server (.ci/run starts it), dropped afterwards, so runs
    never see each other's rows; the test is skipped when no server answers, except in CI."""
    if os.environ.get("CI") != "true" and not _pg_available():
        pytest.skip(f"no PostgreSQL server at {PG_URL}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sql(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sql(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a schema of its own on the PostgreSQL server. For the tests
    of migrating and of creating a database; the others take `db_url`, which is already at the head."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contacts.db'}"
        return
    with pg_schema() as url:
        yield url


@pytest.fixture(scope="session")
def _sqlite_at_head(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a SQLite file migrated to the head, once per test process (running the migrations took
    ~0.1 CPU s per test, a third of the fast lane's time in database fixtures)."""
    from models.database import connect

    path = tmp_path_factory.mktemp("template") / "contacts.db"
    engine = connect(f"sqlite:///{path}")
    with engine.connect() as conn:  # everything into the main file, so that it alone is the database
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path.read_bytes()


@pytest.fixture(scope="session")
def _pg_at_head() -> Iterator[tuple[str, list[str]]]:
    """A schema on the PostgreSQL server migrated to the head once per test process, and its tables in an
    order that deletes rows before the rows they refer to. A new schema per test (migrations and the final
    DROP SCHEMA) took ~0.9 s of wall time, most of it the server's writes and fsyncs; emptying it takes ~30 ms."""
    from sqlalchemy import MetaData

    from models.database import connect

    with pg_schema("head") as url:
        engine = connect(url)
        meta = MetaData()
        meta.reflect(engine)
        engine.dispose()
        yield url, [t.name for t in reversed(meta.sorted_tables) if t.name != "alembic_version"]


def _empty_pg_schema(url: str, tables: list[str]) -> None:
    """Every row deleted and every id sequence back at 1: the schema as the migrations left it. DELETE, not
    TRUNCATE, which makes new files for every table and index (~0.4 s per test on this server)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # A connection a test left open inside a transaction would hold its rows' locks: fail, not hang.
            conn.execute(sql("SET LOCAL lock_timeout = '20s'"))
            for table in tables:
                conn.execute(sql(f'DELETE FROM "{table}"'))
            conn.execute(sql(
                "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"))
            version = conn.execute(sql("SELECT version_num FROM alembic_version")).scalars().all()
        from models.database import SCHEMA_HEAD

        assert version == [SCHEMA_HEAD], f"a test moved the shared schema's revision: {version}"
    finally:
        engine.dispose()


def _sqlite_copy(template: bytes, path: Path) -> str:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(template)
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_at_head: bytes) -> str:
    """`db_url` on SQLite alone, at tmp_path/contacts.db: for tests whose database is incidental to them (a
    command's --db) and that need not run on both backends."""
    return _sqlite_copy(_sqlite_at_head, tmp_path / "contacts.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the schema head with no rows in it, as a first `connect` leaves a new one: a copy of a
    SQLite file migrated once (private, 0600, as `connect` makes it), or the PostgreSQL schema of this test
    process emptied."""
    if request.param == "sqlite":
        return _sqlite_copy(request.getfixturevalue("_sqlite_at_head"), tmp_path / "contacts.db")
    url, tables = request.getfixturevalue("_pg_at_head")
    _empty_pg_schema(url, tables)
    return str(url)


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """One transaction on a new, empty database at the schema head (SQLite and PostgreSQL, as `db_url`)."""
    from models.database import connect, sessions

    engine = connect(db_url)
    with sessions(engine).begin() as s:
        yield s
    engine.dispose()


# A child process's own peak memory in KiB, for probes run with `python -c`: its VmHWM starts afresh at exec,
# whereas ru_maxrss also carries the peak of the pytest process that started it (Linux keeps it across exec).
PEAK_KIB = "int(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))"


FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
RED = (200, 0, 0)


def draw_card(path: Path, lines: list[tuple[str, int]], red: int | None = None, turn: float = 0.0,
              background: tuple[int, int, int] = (60, 70, 80)) -> Path:
    """A card photographed on a dark desk: `lines` of (text, font px) in black on white, line `red` printed red
    (so a test can find its pixels in any picture the pipeline makes of the card), turned `turn` degrees
    counter-clockwise. Written as PNG to `path`."""
    from PIL import Image, ImageDraw, ImageFont

    card = Image.new("RGB", (1050, 600), "white")
    pen = ImageDraw.Draw(card)
    y = 60
    for n, (text, size) in enumerate(lines):
        pen.text((70, y), text, font=ImageFont.truetype(str(FONT), size), fill=RED if n == red else (20, 20, 20))
        y += int(size * 1.7)
    desk = Image.new("RGB", (1400, 1000), background)
    desk.paste(card, (175, 200))
    desk = desk.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor=background)
    desk.save(path)
    return path


def red_box(picture: bytes) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the red print in an encoded picture (a stored card crop)."""
    from io import BytesIO

    import numpy as np
    from PIL import Image

    rgb = np.asarray(Image.open(BytesIO(picture)).convert("RGB")).astype(int)
    red = (rgb[..., 0] > 140) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    ys, xs = np.nonzero(red)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())
