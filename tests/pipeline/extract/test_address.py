from pipeline.extract.address import find_address
from tests.conftest import lines_of


def test_address_lines_join_and_a_year_is_not_a_city() -> None:
    lines = lines_of("Работаем с 2019 г.", "1375 Walnut Street", "Philadelphia, PA 19145", "United States")
    assert find_address(lines, set()) == ([1, 2, 3], "1375 Walnut Street, Philadelphia, PA 19145, United States")


def test_address_cleanup() -> None:
    lines = lines_of("Ф 450023, г. Уфа", "Hauptstrafe 171, 20811 Hamburg")
    assert find_address(lines, set())[1] == "450023, г. Уфа, Hauptstraße 171, 20811 Hamburg"
