import pytest

from pipeline.extract.org import clean_company


@pytest.mark.parametrize(
    ("raw", "clean"),
    [('ООО "Сапфир', 'ООО "Сапфир"'), ("ООО «Орион", "ООО «Орион»"), ('ООО "ТрансЛогистик"\'', 'ООО "ТрансЛогистик"'),
     ("000 «Ромашка»", "ООО «Ромашка»"), ("G Vantage Point Software Ltd", "Vantage Point Software Ltd")],
)
def test_company_repairs(raw: str, clean: str) -> None:
    assert clean_company(raw) == clean
