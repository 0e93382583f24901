"""Layout evidence from the OCR boxes: which lines belong together."""

from __future__ import annotations

from pipeline.core.types import OcrLine

MAX_SIZE_RATIO = 1.35


def continues(upper: OcrLine, lower: OcrLine, max_words: int = 8, max_ratio: float = MAX_SIZE_RATIO) -> bool:
    """The lower line reads on from the upper: similar type size, right below it, both short."""
    if len(upper.words) > max_words or len(lower.words) > max_words:
        return False
    ratio = max(upper.height, lower.height) / max(1.0, min(upper.height, lower.height))
    gap = lower.top - upper.bottom
    return ratio <= max_ratio and -0.2 * upper.height <= gap <= 1.2 * max(upper.height, lower.height)


def stacked(upper: OcrLine, lower: OcrLine, max_words: int = 8, max_ratio: float = MAX_SIZE_RATIO) -> bool:
    """Two lines set one under the other in the same column (left-aligned, centred or set flush right)."""
    aligned = (abs(upper.left - lower.left) < 2 * upper.height or abs(upper.centre - lower.centre) < upper.height
               or abs(right(upper) - right(lower)) < upper.height)
    return aligned and continues(upper, lower, max_words, max_ratio)


def right(line: OcrLine) -> int:
    return max(w.left + w.width for w in line.words)
