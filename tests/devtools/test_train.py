"""Training the line classifier: how lines are labelled from a card's label."""

from pathlib import Path

from devtools.train import line_labels
from pipeline.core.types import OcrLine, OcrResult, OcrWord, Reading


def _reading(*texts: str) -> Reading:
    lines = tuple(OcrLine(tuple(OcrWord(w, 95.0, 10 + 60 * i, 10 + 40 * r, 50, 20) for i, w in enumerate(t.split())))
                  for r, t in enumerate(texts))
    return Reading(OcrResult(lines, 1000, 600), (), None, 0, 0)


def test_lines_are_labelled_with_the_field_they_hold_even_when_misread_or_split() -> None:
    label = {"name": "АРТЕМЬЕВ ЕВГЕНИЙ ЕВГЕНЬЕВИЧ", "aliases": ["Evgeny Artemev"], "title": "Главный агроном",
             "company": "ООО «Цифровые Решения»", "department": None, "address": "Самара, ул. Карла Маркса, д. 95"}
    reading = _reading("АРТЕМЬЕВ", "ЕВГЕНИЙ ЕВГЕНЬЕВИЧ", "Evgeny Artemev", "Главный агрoном",
                       "ООО «Цифровые Решения»", "Самара, ул. Карла Маркса, д. 95", "Ваш надёжный партнёр", "ll")
    assert line_labels(reading, label) == {0: "name", 1: "name", 2: "name", 3: "title", 4: "company",
                                           5: "address", 6: "other", 7: "other"}


def test_a_line_much_longer_than_a_field_is_not_that_field() -> None:
    # The company's name inside a slogan does not make the slogan the company.
    label = {"name": None, "title": None, "company": "Вектор", "department": None, "address": None}
    assert line_labels(_reading("Вектор — ваш надёжный партнёр в строительстве"), label) == {0: "other"}


def test_make_train_writes_the_model_the_pipeline_reads() -> None:
    from devtools.train import MODEL_PATH
    from pipeline.extract import lines

    assert MODEL_PATH.is_file()
    assert MODEL_PATH.parent == Path(lines.__file__).parent  # not beside the tool, where nothing reads it
