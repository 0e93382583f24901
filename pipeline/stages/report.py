"""Scan results as the JSON documents of ../shared/spec/scan-result.schema.json, and as text."""

from __future__ import annotations

from dataclasses import Field, asdict, fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from pipeline.core.types import CardFields, CardResult, Phone, ScanResult


def card_to_dict(card: CardResult) -> dict[str, Any]:
    doc: dict[str, Any] = {"bbox": list(card.bbox) if card.bbox else None, "page": card.page,
                           "rotation": card.rotation}
    for spec in fields(CardFields):
        doc[_json_key(spec)] = _plain(getattr(card.fields, spec.name))
    return doc | {
        "contact_id": card.contact_id,
        # The shared contract knows created/merged/unchanged; a card waiting for review says so in keys of its own.
        "outcome": None if card.outcome == "needs_review" else card.outcome,
        "needs_review": card.outcome == "needs_review",
        "candidates": card.candidates,
    }


def fields_from_dict(doc: dict[str, Any]) -> CardFields:
    """The CardFields a stored card's JSON (card_to_dict) was made from."""
    hints = get_type_hints(CardFields)
    values = {spec.name: _typed(hints[spec.name], doc.get(_json_key(spec))) for spec in fields(CardFields)}
    return CardFields(**{k: v for k, v in values.items() if v is not None})


def _json_key(spec: Field[Any]) -> str:
    return str(spec.metadata.get("json", spec.name))


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return dict(value) if isinstance(value, dict) else value


def _typed(hint: Any, value: Any) -> Any:
    """A JSON value back into the declared type (a dataclass, a list of them, a list, a dict)."""
    if value is None:
        return None
    if get_origin(hint) is list:
        (item,) = get_args(hint)
        return [item(**v) if isinstance(item, type) and is_dataclass(item) else v for v in value]
    if get_origin(hint) is dict:
        return dict(value)
    kind = next((a for a in get_args(hint) if isinstance(a, type) and is_dataclass(a)), None)  # `NameParts | None`
    return kind(**value) if kind is not None and isinstance(value, dict) else value


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
        for spec in fields(CardFields):
            label, value = spec.metadata.get("show"), getattr(f, spec.name)
            if label and value:
                for item in value if isinstance(value, list) else [value]:
                    text = phone_text(asdict(item)) if isinstance(item, Phone) else item
                    out.append(f"    {label:<10} {text}")
    return out
