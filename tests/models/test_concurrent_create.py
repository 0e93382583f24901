"""Two processes opening a database that does not exist yet (a watcher and a scan started together) both
succeed: the schema is made once (issue 17, item 14: 'table contact already exists')."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OPEN = "import sys; from models.database import connect; connect(sys.argv[1]).dispose(); print('ok')"


@pytest.mark.slow  # 8 rounds of two fresh interpreters
def test_two_processes_creating_one_new_database(empty_db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_ in range(4):
        url = f"sqlite:///{tmp_path / f'new{round_}.db'}" if empty_db_url.startswith("sqlite") else empty_db_url
        if not empty_db_url.startswith("sqlite") and round_:
            break  # one fresh schema per test on the server
        procs = [subprocess.Popen([sys.executable, "-c", OPEN, url], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0 and out.strip() == "ok", err.strip().splitlines()[-1:]
