from pipeline.core.types import OcrLine, OcrWord
from pipeline.extract.layout import stacked


def _line(text: str, right: int, top: int, height: int = 40) -> OcrLine:
    """A line set flush right at `right` (its words 0.6 of the height per letter, a space between)."""
    widths = [int(0.6 * height * len(w)) for w in text.split()]
    x = right - sum(widths) - int(0.6 * height) * (len(widths) - 1)
    words = []
    for w, width in zip(text.split(), widths, strict=True):
        words.append(OcrWord(w, 95.0, x, top, width, height))
        x += width + int(0.6 * height)
    return OcrLine(tuple(words))


def test_lines_set_flush_right_are_one_column() -> None:
    # 'ЕВДОКИЯ ВАДИМОВНА' over 'ВОРОНЦОВА', set against the card's right edge: neither left edges nor centres agree.
    upper, lower = _line("ЕВДОКИЯ ВАДИМОВНА", 1500, 100), _line("ВОРОНЦОВА", 1500, 150)
    assert abs(upper.left - lower.left) > 2 * upper.height
    assert stacked(upper, lower)


def test_lines_of_other_columns_are_not_stacked() -> None:
    assert not stacked(_line("ЕВДОКИЯ ВАДИМОВНА", 1500, 100), _line("ВОРОНЦОВА", 900, 150))
