from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_label(image: Path) -> dict[str, Any]:
    return json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))
