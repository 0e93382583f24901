"""cardscan: business-card images in, contact fields out.

    from pipeline import scan_image
    result = scan_image("card.jpg")
    print(result.cards[0].fields.phones)

The stages are importable on their own: load, preprocess, ocr, extract; storing results
is in pipeline.book.store, which uses the models package.
"""

from pipeline.core.config import Settings
from pipeline.core.errors import CardscanError, InputError, OcrEngineError
from pipeline.core.types import CardFields, CardResult, NameParts, Phone, ScanResult
from pipeline.stages.run import scan_image

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
