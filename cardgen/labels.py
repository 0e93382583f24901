"""Label JSON: what is printed on each card, and where the card is in the image."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from cardgen.model import CardContent, Item

REQUIRED_CARD_KEYS = ("bbox", "rotation", "language", "name", "name_parts", "aliases", "title", "department",
                      "company", "phones", "emails", "websites", "address", "social")  # fmt: skip


def _text(item: Item | None) -> str | None:
    return item.text if item is not None else None


def card_label(content: CardContent, corners: np.ndarray, rotation: int) -> dict[str, Any]:
    label = {
        "bbox": [round(float(v), 1) for v in corners.reshape(-1)],
        "rotation": rotation,
        "language": content.language,
        "name": content.name.text,
        "name_parts": dict(content.name_parts),
        "aliases": [a.text for a in content.aliases],
        "title": _text(content.title),
        "department": _text(content.department),
        "company": _text(content.company),
        "phones": [
            {"number": p.number, "type": p.type, "extension": p.extension, "raw": p.raw}
            for _, p in content.phones
        ],
        "emails": [e for _, e in content.emails],
        "websites": [w for _, w in content.websites],
        "address": _text(content.address),
        "social": [s for _, s in content.socials],
    }
    if content.culture:
        label["culture"] = content.culture
    return label


def dumps(label: dict[str, Any]) -> str:
    return json.dumps(label, ensure_ascii=False, indent=2) + "\n"


def empty_strings(value: Any) -> list[str]:
    """Paths of empty or whitespace-padded strings (the label format forbids both)."""
    found: list[str] = []

    def walk(v: Any, path: str) -> None:
        if isinstance(v, str):
            if not v or v != v.strip():
                found.append(path)
        elif isinstance(v, dict):
            for k, sub in v.items():
                walk(sub, f"{path}.{k}")
        elif isinstance(v, list):
            for i, sub in enumerate(v):
                walk(sub, f"{path}[{i}]")

    walk(value, "$")
    return found
