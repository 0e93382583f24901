"""cardscan: business-card images in, contact fields out.

    from pipeline import scan_image
    result = scan_image("card.jpg")
    print(result.cards[0].fields.phones)

The stages are importable on their own: load, preprocess, ocr, extract; storing results
is in pipeline.store, which uses the models package.
"""

from .config import Settings
from .errors import CardscanError, InputError, OcrEngineError
from .scan import scan_image
from .types import CardFields, CardResult, NameParts, Phone, ScanResult

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
    "scan_image",
]
