"""The seen/unseen vocabulary split: fixed, disjoint, and no unseen word in the extraction lexicons."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cardgen import generate_set, vocab
from cardgen.people import ContentOptions, make_content
from cardgen.wordlists import DATA_DIR, rows
from tests.cardgen.helpers import load_label


def _parts(name: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    return set(vocab._split(name, "seen")), set(vocab._split(name, "unseen"))


def test_every_split_list_has_both_parts_and_they_are_disjoint() -> None:
    for name in vocab.SPLIT:
        seen, unseen = _parts(name)
        assert seen and unseen, name
        assert not seen & unseen, name
        more = rows(f"{name}_more") if (DATA_DIR / f"{name}_more.txt").exists() else ()
        assert seen | unseen == set(rows(name)) | set(more), name


def test_no_unseen_word_is_in_the_extraction_lexicons() -> None:
    phrases, tokens = vocab.lexicon()
    assert len(tokens) > 500  # the lexicons were found and read
    for name, is_name in vocab.SPLIT.items():
        for row in vocab._split(name, "unseen"):
            for form in vocab.printed_forms(name, row):
                assert vocab.fold(form) not in phrases, (name, form)
                words = vocab.words_of(form)
                if is_name or len(words) == 1:
                    assert not set(words) & tokens, (name, form)


def test_the_split_is_a_fixed_hash_of_the_folded_word() -> None:
    # Independent of the machine and of PYTHONHASHSEED: sha256 of the NFKC case-folded word (ё as е).
    for word in ("Ростислав", "Alistair", "Nguyễn", "Ёлкин"):
        digest = hashlib.sha256(vocab.fold(word).encode()).hexdigest()
        assert vocab.hashed_unseen(word) == (int(digest[:8], 16) % 100 < vocab.UNSEEN_PERCENT)
    assert vocab.hashed_unseen("ЁЛКИН") == vocab.hashed_unseen("елкин")


@given(st.text(min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_the_part_depends_only_on_the_folded_form(word: str) -> None:
    assert vocab.hashed_unseen(word) == vocab.hashed_unseen(vocab.fold(word).upper()) or (
        vocab.fold(word) != vocab.fold(vocab.fold(word).upper())
    )


def _drawn_words(part: str, language: str, n: int) -> set[str]:
    out: set[str] = set()
    rng = random.Random(f"vocab-test:{part}:{language}")
    with vocab.using(part):
        for _ in range(n):
            c = make_content(rng, ContentOptions(language=language))
            out.update(v for v in c.name_parts.values() if v)
    return out


def test_cards_draw_names_only_from_their_part() -> None:
    for language, lists in (("ru", ("ru_given_male", "ru_given_female", "ru_family")),
                            ("en", ("en_given_male", "en_given_female", "en_family"))):  # fmt: skip
        unseen_words = {vocab.fold(r[0]) for n in lists for r in vocab._split(n, "unseen")}
        seen_words = {vocab.fold(r[0]) for n in lists for r in vocab._split(n, "seen")}
        drawn_unseen = {vocab.fold(w) for w in _drawn_words("unseen", language, 60)}
        drawn_seen = {vocab.fold(w) for w in _drawn_words("seen", language, 60)}
        # Feminine Russian family names are derived from the listed masculine ones.
        assert not drawn_unseen & seen_words
        assert not drawn_seen & unseen_words
        assert drawn_unseen & unseen_words


@pytest.mark.slow
def test_labels_record_the_vocabulary(tmp_path: Path) -> None:
    [unseen] = generate_set(tmp_path / "u", 1, seed=3, conditions=("lowres",), vocab="unseen")
    [plain] = generate_set(tmp_path / "a", 1, seed=3, conditions=("lowres",))
    assert load_label(unseen)["generator"]["vocab"] == "unseen"
    assert load_label(unseen)["conditions"] == ["lowres", "unseen"]
    assert "vocab" not in load_label(plain)["generator"]
    assert load_label(plain)["conditions"] == ["lowres"]
