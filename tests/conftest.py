"""Shared fixtures: paths to the bundled samples and the team's shared folder, and a tiny card renderer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.types import OcrLine, OcrWord

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cards"
SHARED = ROOT.parent / "shared"
SCHEMA = SHARED / "spec" / "scan-result.schema.json"


def sample_images() -> list[Path]:
    images = (p for p in SAMPLES.iterdir() if p.suffix in {".png", ".jpg"})
    return sorted(p for p in images if p.with_name(p.name + ".json").exists())


def label_of(image: Path) -> dict[str, Any]:
    return json.loads(image.with_name(image.name + ".json").read_text(encoding="utf-8"))


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
