from __future__ import annotations

from pathlib import Path

import pytest

from cardgen import CONDITIONS, generate_set


@pytest.fixture(scope="session")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One image per condition, generated once for the whole test session."""
    return generate_set(tmp_path_factory.mktemp("cardgen"), len(CONDITIONS), seed=11)
