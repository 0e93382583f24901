"""`cardscan serve` on a port another program holds: one line and exit 1, not "serving ..." then uvicorn's log."""

from __future__ import annotations

import socket
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main


def test_a_port_in_use_is_one_line_before_anything_is_served(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'c.db'}"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; another program (another "
        "`cardscan serve`?) has it: give another --port"]
