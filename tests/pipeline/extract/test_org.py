import pytest

from pipeline.extract.org import clean_company, is_title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [('ООО "Сапфир', 'ООО "Сапфир"'), ("ООО «Орион", "ООО «Орион»"), ('ООО "ТрансЛогистик"\'', 'ООО "ТрансЛогистик"'),
     ("000 «Ромашка»", "ООО «Ромашка»"), ("G Vantage Point Software Ltd", "Vantage Point Software Ltd")],
)
def test_company_repairs(raw: str, clean: str) -> None:
    assert clean_company(raw) == clean


@pytest.mark.parametrize(("line", "title"), [("Ваш надёжный партнёр", False), ("Технологии, которые работают", False),
                                             ("Управляющий партнёр", True), ("Врач-стоматолог", True)])
def test_slogans_are_not_titles(line: str, title: bool) -> None:
    assert is_title(line) is title
