"""cardscan: business-card images in, contact fields out.

    import pipeline
    result = pipeline.scan("card.jpg")            # a path, the file's bytes, or a BGR numpy array
    print(result.cards[0].fields.phones)

Layers, each importing only those below it (`make lint` checks): `cli` (commands) > `jobs` (batch,
inbox) > `formats` (vCard, CSV, iCalendar, CardDAV) > `book` (the contact book over `models`) >
`stages` (load, find cards, OCR, read) > `extract` (fields from OCR lines) > `core` (types, errors,
settings). Names below are loaded on first use, so `import pipeline.extract.phones` loads no OCR,
OpenCV or database code.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.core.config import Settings
    from pipeline.core.errors import CardscanError, InputError, OcrEngineError
    from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
    from pipeline.stages.run import scan, scan_image

_EXPORTS = {
    "Settings": "pipeline.core.config",
    "CardscanError": "pipeline.core.errors",
    "InputError": "pipeline.core.errors",
    "OcrEngineError": "pipeline.core.errors",
    "CardFields": "pipeline.core.types",
    "CardResult": "pipeline.core.types",
    "NameParts": "pipeline.core.types",
    "Phone": "pipeline.core.types",
    "ScanResult": "pipeline.core.types",
    "scan": "pipeline.stages.run",
    "scan_image": "pipeline.stages.run",
}
__all__ = [
    "CardFields",
    "CardResult",
    "CardscanError",
    "InputError",
    "NameParts",
    "OcrEngineError",
    "Phone",
    "ScanResult",
    "Settings",
    "scan",
    "scan_image",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
