"""Scan results as the JSON documents of ../shared/spec/scan-result.schema.json, and as text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .types import CardResult, ScanResult


def card_to_dict(card: CardResult) -> dict[str, Any]:
    f = card.fields
    return {
        "bbox": list(card.bbox) if card.bbox else None,
        "page": card.page,
        "rotation": card.rotation,
        "name": f.name,
        "name_parts": asdict(f.name_parts) if f.name_parts else None,
        "aliases": f.aliases,
        "title": f.title,
        "department": f.department,
        "company": f.company,
        "phones": [asdict(p) for p in f.phones],
        "emails": f.emails,
        "websites": f.websites,
        "address": f.address,
        "social": f.social,
        "confidence": f.confidence,
        "language": f.language,
        "text": f.text,
        "contact_id": card.contact_id,
        "outcome": card.outcome,
    }


def result_to_dict(result: ScanResult) -> dict[str, Any]:
    return {
        "source": result.source,
        "sha256": result.sha256,
        "status": result.status,
        "error": result.error,
        "cards": [card_to_dict(c) for c in result.cards],
        "seconds": round(result.seconds, 3),
    }


def phone_text(phone: dict[str, Any]) -> str:
    """'+74951234567 (work, ext. 123)': one way of writing a phone everywhere."""
    ext = f", ext. {phone['extension']}" if phone.get("extension") else ""
    return f"{phone['number']} ({phone['type']}{ext})"


def summary_lines(result: ScanResult) -> list[str]:
    """A readable summary of one file for the terminal."""
    if result.status == "error":
        return [f"{result.source}: error: {result.error}"]
    if not result.cards:
        return [f"{result.source}: no card found"]
    out = [f"{result.source}: {len(result.cards)} card(s), {result.seconds:.1f} s"]
    for n, card in enumerate(result.cards, 1):
        f = card.fields
        stored = f"  -> contact {card.contact_id} ({card.outcome})" if card.outcome else ""
        out.append(f"  card {n}{stored}")
        for label, value in (("name", f.name), ("title", f.title), ("department", f.department),
                             ("company", f.company), ("address", f.address)):
            if value:
                out.append(f"    {label:<10} {value}")
        out += [f"    {'phone':<10} {phone_text(asdict(p))}" for p in f.phones]
        out += [f"    {'email':<10} {e}" for e in f.emails]
        out += [f"    {'website':<10} {w}" for w in f.websites]
        out += [f"    {'social':<10} {s}" for s in f.social]
    return out
