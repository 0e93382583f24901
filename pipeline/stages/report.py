"""Scan results as the JSON documents of ../shared/spec/scan-result.schema.json, and as text."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult


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
        "guesses": f.guesses,
        "qr_codes": f.codes,
        "language": f.language,
        "text": f.text,
        "contact_id": card.contact_id,
        # The shared contract knows created/merged/unchanged; a card waiting for review says so in keys of its own.
        "outcome": None if card.outcome == "needs_review" else card.outcome,
        "needs_review": card.outcome == "needs_review",
        "candidates": card.candidates,
    }


def fields_from_dict(doc: dict[str, Any]) -> CardFields:
    """The CardFields a stored card's JSON (card_to_dict) was made from."""
    parts = doc.get("name_parts")
    return CardFields(
        name=doc.get("name"), name_parts=NameParts(**parts) if parts else None, aliases=list(doc.get("aliases") or []),
        title=doc.get("title"), department=doc.get("department"), company=doc.get("company"),
        phones=[Phone(**p) for p in doc.get("phones") or []], emails=list(doc.get("emails") or []),
        websites=list(doc.get("websites") or []), address=doc.get("address"), social=list(doc.get("social") or []),
        confidence=dict(doc.get("confidence") or {}), guesses=list(doc.get("guesses") or []),
        codes=list(doc.get("qr_codes") or []), language=doc.get("language"), text=doc.get("text") or "",
    )


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
        if card.outcome == "needs_review":
            stored = f"  -> needs review: may be contact {', '.join(map(str, card.candidates))} (cardscan review)"
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
