"""Errors that reach the user. Each message is one line and says what to do."""


class CardscanError(Exception):
    """Base for every error cardscan reports to the user instead of a traceback."""


class InputError(CardscanError):
    """The file cannot be read as an image: empty, truncated, not an image, too large."""

    def __init__(self, message: str, sha256: str | None = None) -> None:
        super().__init__(message)
        self.sha256 = sha256  # of the bytes, when they could be read: results are keyed by it


class OcrEngineError(CardscanError):
    """Tesseract or its language data is missing or failed."""

