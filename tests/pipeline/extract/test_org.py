import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.lexicon import words
from pipeline.extract.org import (
    clean_company,
    has_legal_form,
    has_trade_word,
    is_department,
    is_enumeration,
    is_title,
    is_trade_word,
    title_continues,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [('ООО "Сапфир', 'ООО "Сапфир"'), ("ООО «Орион", "ООО «Орион»"), ('ООО "ТрансЛогистик"\'', 'ООО "ТрансЛогистик"'),
     ("000 «Ромашка»", "ООО «Ромашка»"), ("G Vantage Point Software Ltd", "Vantage Point Software Ltd"),
     # A two-letter word written as a word is part of the name; a monogram in capitals or Cyrillic debris is not.
     ("Al Noor Trading LLC", "Al Noor Trading LLC"), ("KE Kuzey Enerji Co., Ltd.", "Kuzey Enerji Co., Ltd."),
     ("Че tinta", "tinta")],
)
def test_company_repairs(raw: str, clean: str) -> None:
    assert clean_company(raw) == clean


@pytest.mark.parametrize(("line", "title"), [("Ваш надёжный партнёр", False), ("Технологии, которые работают", False),
                                             ("Управляющий партнёр", True), ("Врач-стоматолог", True)])
def test_slogans_are_not_titles(line: str, title: bool) -> None:
    assert is_title(line) is title


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("Коммерческий отдел", True),
        ("Финансовая служба", True),
        ("Бухгалтерия", True),
        ("Начальник отдела продаж", False),  # the genitive: a title
        ("Главный бухгалтер", False),
        ("Unit 28, 184 Bishopsgate, Birmingham B1 7PE", False),  # an address, not the 'Unit' of a firm
        # issue 13: the department noun first, the field after it, a field that is also a title word
        ("Département Marketing", True),
        ("Departamento de Ventas", True),
        ("Direction Financière", True),
        ("Dział Sprzedaży", True),
        ("Service Commercial", True),
        ("Área Comercial", True),
        ("Service Manager", False),  # a noun that also begins titles: a title word after it makes a title
        ("Area Sales Manager", False),
        ("Directeur Marketing", False),
        ("Services Informatiques SARL", False),  # a company
    ],
)
def test_department_lines(text: str, department: bool) -> None:
    assert is_department(text) is department


@pytest.mark.parametrize(
    ("read", "company"),
    [
        ("Summit Ridge Advisors Corp", "Summit Ridge Advisors Corp."),
        ("ATLAS ROBOTICS, INC", "ATLAS ROBOTICS, INC."),
        ("Wexford Analytics Ltd", "Wexford Analytics Ltd"),
        ("[кв Квант", "Квант"),
        ("ИП Макаров В.А.", "ИП Макаров В. А."),
        ("Acme S.A.", "Acme S.A."),
    ],
)
def test_company_forms_lose_no_dot_and_logo_debris_goes(read: str, company: str) -> None:
    assert clean_company(read) == company


def test_a_lone_head_noun_completes_the_title_line_above() -> None:
    assert title_continues("Chief Technology", "Officer")
    assert not title_continues("Sales Manager", "Director")


@pytest.mark.parametrize(
    ("line", "form"),
    [("próximo ao Extra", False), ("Trabalhamos com todas as marcas", False), ("АО «Вектор»", True),
     ("AO Vektor", True), ("Kovo Servis a.s.", True), ("CEASTEC S/C LTDA.", True)],
)
def test_a_short_lower_case_word_is_no_legal_form(line: str, form: bool) -> None:
    # Portuguese 'ao' and 'as' fold to the Russian АО and the Czech a.s.; a form is printed in capitals or dots
    assert has_legal_form(line) is form


def test_lists_of_goods_and_trade_words_are_told_apart() -> None:
    assert is_enumeration("Escrituras, Inventários, Divorcio, União Estável")
    assert not is_enumeration("Smith, Jones & Partners, LLP") and not is_enumeration("Rua Pinhal, 283, Centro")
    assert has_trade_word("DOMINIO AUTO PECAS") and has_trade_word("Mecânica, Funilaria e Pintura")
    assert not has_trade_word("Guilherme e Esteves")


@given(st.sampled_from(sorted(words("trade_words"))), st.sampled_from(sorted(words("trade_words"))))
def test_two_trade_words_written_as_one_name_a_trade(first: str, second: str) -> None:
    assert is_trade_word(first + second)
    assert has_trade_word(f"{first.upper()}{second.upper()} R. OLIVEIRA")


def test_no_given_or_family_name_the_lexicons_know_is_taken_for_a_compound_trade() -> None:
    names = words("given_names_en") | words("given_names_ru") | words("given_names_world") | words("family_names_world")
    assert not [n for n in names if is_trade_word(n)]
    assert not is_trade_word("autos") and not is_trade_word("barbara")
