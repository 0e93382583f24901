"""Scan results as the JSON documents of ../shared/spec/scan-result.schema.json, and as text."""

from __future__ import annotations

from dataclasses import Field, asdict, fields, is_dataclass
from typing import Any, get_args, get_origin, get_type_hints

from pipeline.core.types import CardFields, CardResult, Phone, ScanResult
from pipeline.extract.doubt import HOLDABLE, doubtful, held_fields


def card_to_dict(card: CardResult) -> dict[str, Any]:
    doc: dict[str, Any] = {"bbox": list(card.bbox) if card.bbox else None, "page": card.page,
                           "rotation": card.rotation}
    for spec in fields(CardFields):
        doc[_json_key(spec)] = _plain(getattr(card.fields, spec.name))
    return doc | {
        "contact_id": card.contact_id,
        # needs_review: stored, but waiting for a person (a same-person question, or held fields); `filed` then
        # says whether it made a contact or went into one. Without a database the outcome is null, and
        # needs_review still says the reading has fields to check.
        "outcome": card.outcome,
        "filed": card.filed,
        "needs_review": waits(card),
        "held": held_of(card),
        "candidates": card.candidates,
    }


def waits(card: CardResult) -> bool:
    """The JSON's needs_review: as stored (what `cardscan review` lists), else whether the reading holds fields."""
    if card.in_review is not None:
        return card.in_review
    return card.outcome == "needs_review" or bool(held_of(card))


def waits_for_review(card: CardResult) -> bool:
    """What the closing lines count: `waits`, and for a card not stored, a doubtful name too (it would be filed,
    never held, but checked in the queue all the same)."""
    if card.in_review is not None:
        return card.in_review
    f = card.fields
    return waits(card) or any(k not in HOLDABLE and getattr(f, k, None) for k in doubtful(f.guesses, f.confidence))


# What the closing lines of scan and batch count per stored card, in this order.
FILINGS = ("created", "merged", "same-person question", "unchanged")


def filing(card: CardResult) -> str | None:
    """What storing did to the contacts: a card filed with held fields is `needs_review` in the JSON (the
    contract's value) but it did create or merge a contact, and the totals said "3 created, 9 needs review"
    of a batch that had made 11 contacts. Only a same-person question files nothing; the cards to check are
    counted apart (`waits_for_review`)."""
    if card.outcome == "needs_review":
        return card.filed or "same-person question"
    return card.outcome


def held_of(card: CardResult) -> list[str]:
    """The fields held for review: the stored card's (a rescan of a reviewed card holds none), else the reading's."""
    return list(card.held) if card.held is not None else held_fields(card.fields)


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


# A file read whole that holds no card (a blank page): `scan`, `batch` and `watch` say it in these words alike.
NO_CARD = "no card found"


def summary_lines(result: ScanResult) -> list[str]:
    """A readable summary of one file for the terminal."""
    if result.status == "error":
        return [f"{result.source}: error: {result.error}"]
    if not result.cards:
        return [f"{result.source}: {NO_CARD}"]
    out = [f"{result.source}: {len(result.cards)} card(s), {result.seconds:.1f} s"]
    for n, card in enumerate(result.cards, 1):
        f = card.fields
        held = held_of(card)
        stored = f"  -> contact {card.contact_id} ({card.outcome})" if card.outcome else ""
        if card.outcome == "unchanged" and card.in_review:
            stored += " (still in cardscan review)"
        if card.outcome == "needs_review" and card.filed:
            stored = f"  -> contact {card.contact_id} ({card.filed}; {len(held)} field(s) held for review)"
        elif card.outcome == "needs_review":
            stored = f"  -> needs review: may be contact {', '.join(map(str, card.candidates))} (cardscan review)"
        out.append(f"  card {n}{stored}")
        check = set(doubtful(f.guesses, f.confidence))
        for spec in fields(CardFields):
            label, value = spec.metadata.get("show"), getattr(f, spec.name)
            if label and value:
                # `?` marks a reading to check: held ones are not in the contact until accepted (`cardscan review`).
                mark = "? " if _json_key(spec) in check else "  "
                note = "  (check: held for review)" if _json_key(spec) in held else (
                    "  (check)" if _json_key(spec) in check else "")
                for item in value if isinstance(value, list) else [value]:
                    text = phone_text(asdict(item)) if isinstance(item, Phone) else item
                    out.append(f"  {mark}{label:<10} {text}{note}")
    return out
