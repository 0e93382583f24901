from pipeline.extract.address import SEED, address_score, find_address
from tests.conftest import lines_of


def test_address_lines_join_and_a_year_is_not_a_city() -> None:
    lines = lines_of("Работаем с 2019 г.", "1375 Walnut Street", "Philadelphia, PA 19145", "United States")
    assert find_address(lines, set()) == ([1, 2, 3], "1375 Walnut Street, Philadelphia, PA 19145, United States")


def test_address_cleanup() -> None:
    lines = lines_of("Ф 450023, г. Уфа", "Hauptstrafe 171, 20811 Hamburg")
    assert find_address(lines, set())[1] == "450023, г. Уфа, Hauptstraße 171, 20811 Hamburg"


def test_an_address_line_ending_in_a_city_no_lexicon_of_ours_knows_is_found() -> None:
    """Issue 13: a street we have no word for and a city our lexicons lack left the whole address unread."""
    lines = lines_of("Anna Nowak", "Kierownik", "ul. Długa 5, 00-950 Warszawa", "anna@firma.pl")
    assert find_address(lines, set()) == ([2], "ul. Długa 5, 00-950 Warszawa")
    lines = lines_of("Jan Novák", "Na Příkopě 54, 110 00 Praha", "novak@firma.cz")
    assert find_address(lines, set()) == ([1], "Na Příkopě 54, 110 00 Praha")


def test_a_city_inside_a_name_with_digits_is_no_address() -> None:
    """A company named after its city ('8º Tabelião de Notas da Capital de São Paulo') is no address line."""
    assert address_score("8º Tabelião de Notas de Bilbao") < SEED
    assert address_score("Avenida 5, 48097 Bilbao") >= SEED
