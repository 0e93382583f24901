"""The learned line classifier: its shipped model, its features, and what it says about card lines."""

import math

from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.types import OcrLine, OcrWord
from pipeline.extract.lines import CLASSES, classify, features, model


def _line(text: str, top: int, height: int, left: int = 80) -> OcrLine:
    words, x = [], left
    for w in text.split():
        width = int(len(w) * height * 0.55)
        words.append(OcrWord(w, 93.0, x, top, width, height))
        x += width + height // 3
    return OcrLine(tuple(words))


def _card() -> list[OcrLine]:
    # A typical layout: company on top, the name set large, the title small under it.
    return [_line("ООО «Северный Ветер»", 60, 40), _line("Громова Алина Викторовна", 200, 70),
            _line("Руководитель направления", 300, 34), _line("г. Омск, ул. Ленина, д. 12", 600, 30)]


def test_the_shipped_model_covers_every_feature_the_code_computes() -> None:
    m = model()
    assert m is not None, "pipeline/extract/line_model.json is missing: run `make train`"
    assert set(m.names) == set(features(_card(), 0, [], (1600, 1000)))
    assert m.weights.shape == (len(CLASSES), len(m.names))


def test_it_tells_the_lines_of_a_card_apart() -> None:
    probs = classify(_card(), {0, 1, 2, 3}, [], (1600, 1000))
    best = {i: max(p, key=p.__getitem__) for i, p in probs.items()}
    assert best == {0: "company", 1: "name", 2: "title", 3: "address"}


def test_a_title_the_lexicon_does_not_know_is_still_told_by_its_place() -> None:
    # 'Хранитель смыслов' has no title word; it sits small right under a large name.
    lines = [_line("Громова Алина Викторовна", 200, 70), _line("Хранитель смыслов", 300, 34)]
    probs = classify(lines, {0, 1}, [], (1600, 1000))
    assert probs[1]["title"] > probs[1]["name"]
    assert probs[0]["name"] > 0.5


@given(st.lists(st.text(min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=8),
       st.integers(10, 120))
def test_probabilities_are_a_distribution_for_any_lines(texts: list[str], height: int) -> None:
    lines = [_line(t, 50 + i * (height + 10), height) for i, t in enumerate(texts)]
    for p in classify(lines, set(range(len(lines))), [], (1600, 1000)).values():
        assert set(p) == set(CLASSES)
        assert math.isclose(sum(p.values()), 1.0, rel_tol=1e-9)
        assert all(0.0 <= v <= 1.0 for v in p.values())
