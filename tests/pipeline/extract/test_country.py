import re

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.config import Settings
from pipeline.core.types import OcrResult
from pipeline.extract.country import area_code, card_region
from pipeline.extract.fields import extract
from pipeline.extract.gazetteer import places_in
from pipeline.extract.phones import find_phones
from tests.conftest import lines_of


@pytest.mark.parametrize(
    ("text", "default", "region", "source"),
    [
        # 1. a printed +CC beats everything after it, the default included
        ("Tanaka Hiroshi\n+81 3-1234-5678\n03-1234-5679", "BR", "JP", "printed code"),
        # 2. the address: a city the lexicon places, a country's postcode form
        ("Rua Cruzeiro, 406 - São Paulo\n(11) 3392-3817\ninfo@microvida.com", "US", "BR", "address"),
        ("Nguyen Van Hung\n12 Ly Thuong Kiet, Hanoi\n024 3826 1234", "RU", "VN", "address"),
        ("Bluepeak GmbH\nSchillerstraße 113\nT: 0511/82039967", "US", "DE", "address"),
        # 3. the e-mail or web domain
        ("Sato Kenji\nsato@fujikawa.co.jp\n03-1234-5678", "DE", "JP", "domain"),
        ("contato@padaria.com.br\n(11) 2294-9484", None, "BR", "domain"),
        # a generic or sold-to-anyone domain says nothing
        ("Jane Doe\njane@studio.io\n(212) 736-5000", "US", "US", "default"),
        # 4. the language: a letter only one language has, a legal form of one country's law
        ("Nguyễn Thị Thảo\nGiám đốc\n090 123 4567", "US", "VN", "language"),
        ("Eletrônica ADACHI Ltda.\n2294-9484", "US", "BR", "language"),
        ("Иван Петров\n8 (812) 465-31-17", None, "RU", "language"),
        # a language of several countries: the default breaks the tie
        ("Peter Huber\nGeschäftsführer\nAlpen Consulting GmbH\n01 234 5678", "AT", "AT", "language"),
        # 5. nothing: the default, as a guess
        ("Jane Doe\nAcme Widgets\n(212) 736-5000", "BR", "BR", "default"),
    ],
)
def test_the_phone_country_comes_from_the_first_evidence_in_order(
        text: str, default: str | None, region: str, source: str) -> None:
    found = card_region(text, default)
    assert (found.region, found.source) == (region, source)
    assert found.guessed == (source == "default")


def test_an_asian_card_never_gets_a_european_code() -> None:
    """The bug of issue 13: a Japanese number printed without +81 came out under a European code."""
    text = "Yamada Taro\nSales Manager\nTEL 03-3211-5678\nyamada@kaisha.co.jp"
    fields = extract(OcrResult(tuple(lines_of(*text.splitlines())), 1000, 600), Settings())
    assert [p.number for p in fields.phones] == ["+81332115678"]
    assert "phones" not in fields.guesses


def test_a_number_from_the_default_region_alone_is_a_guess() -> None:
    fields = extract(OcrResult(tuple(lines_of("Jane Doe", "Acme Widgets", "Tel (212) 736-5000")), 1000, 600),
                     Settings(region="US"))
    assert [p.number for p in fields.phones] == ["+12127365000"]
    assert "phones" in fields.guesses


def test_a_number_in_the_region_the_user_stated_is_shown_as_a_guess_but_not_held() -> None:
    """The user said --region BR: holding every such card for a person to confirm Brazil asked what they had
    already said. The script's usual country, which no one stated, is still held."""
    from pipeline.extract.doubt import held_fields

    card = ("Jane Doe", "Acme Widgets", "Tel (11) 2294-9484")
    stated = extract(OcrResult(tuple(lines_of(*card)), 1000, 600), Settings(region="BR"))
    assert [p.number for p in stated.phones] == ["+551122949484"]
    assert "phones" in stated.guesses and stated.assumed == ["phones"]
    assert "phones" not in held_fields(stated)
    unstated = extract(OcrResult(tuple(lines_of("Jane Doe", "Acme Widgets", "Tel (212) 736-5000")), 1000, 600),
                       Settings())
    assert [p.number for p in unstated.phones] == ["+12127365000"]
    assert unstated.assumed == [] and "phones" in held_fields(unstated)
    # An area code taken from the address is a guess of the card's, not the user's: held, --region or not.
    placed = extract(OcrResult(tuple(lines_of("2294-9484", "Av. Itaquera, 3006 - Jardim Fernades - SP")), 1000, 600),
                     Settings(region="BR"))
    assert placed.phones and "phones" in held_fields(placed)


def test_an_area_code_printed_once_serves_the_numbers_after_it() -> None:
    lines = lines_of("Tel: (11) 2684-7988 / 3854-7828", "Nextel 9.4000-4561 TIM 11 9.8697-6934")
    found = sorted(f.phone.number for f in find_phones(lines, "BR"))
    assert found == ["+551126847988", "+551138547828", "+5511940004561", "+5511986976934"]


def test_postcodes_house_numbers_and_radio_ids_borrow_no_area_code() -> None:
    lines = lines_of("11 2785-4545 - ID 45*8*12146", "CEP 03637-000", "Schillerstraße 113, 30350 Hannover",
                     "Rua 15 de Novembro, 193")
    assert [f.phone.number for f in find_phones(lines, "BR")] == ["+551127854545"]


def test_an_old_eight_digit_mobile_printed_with_its_area_code_is_kept_at_lower_confidence() -> None:
    found = find_phones(lines_of("Tel: (11) 9933-6564"), "BR")
    assert [f.phone.number for f in found] == ["+551199336564"]
    assert found[0].confidence < 0.7


REGIONS = ["BR", "JP", "VN", "DE", "FR", "KR", "IN"]
TLD = {"BR": "com.br", "JP": "co.jp", "VN": "vn", "DE": "de", "FR": "fr", "KR": "co.kr", "IN": "in"}


@given(st.sampled_from(REGIONS), st.sampled_from(["US", "RU", "GB"]))
def test_any_national_number_on_a_card_with_a_country_domain_dials_that_country(region: str, default: str) -> None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    text = f"Tel {national}\ninfo@firma.{TLD[region]}"
    fields = extract(OcrResult(tuple(lines_of(*text.splitlines())), 1000, 600), Settings(region=default))
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert [p.number for p in fields.phones] == [e164]


def test_a_number_cut_into_two_lines_on_one_row_is_read_whole_and_its_tail_not_again() -> None:
    from pipeline.core.types import OcrLine, OcrWord

    row = [OcrLine((OcrWord("Cel:", 90.0, 420, 1000, 40, 16), OcrWord("11", 90.0, 470, 1000, 20, 16),
                    OcrWord("9", 90.0, 495, 1000, 10, 16))),
           OcrLine((OcrWord("7412-1100", 95.0, 529, 998, 90, 17),))]
    found = find_phones([*lines_of("Tel: 11 3105-8655"), *row], "BR")
    assert sorted(f.phone.number for f in found) == ["+551131058655", "+5511974121100"]
    assert next(f for f in found if f.phone.number == "+5511974121100").phone.type == "mobile"


def test_a_company_named_after_a_city_does_not_place_the_card() -> None:
    text = "Guangzhou Meida Lighting S.A.\ntel. kom.: 505 980 418\ndorota@guangzhou-meida-lighting.pl"
    assert card_region(text, "US").region == "PL"
    assert card_region("Ul. Marszałkowska 10, Warszawa, Poland\n22 123 45 67", "US").region == "PL"


def test_a_number_without_area_code_takes_the_one_its_address_names_as_a_guess() -> None:
    text = ("2294-9484", "9.9679-9468", "Av. Itaquera, 3006 Antigo 2806, Sala 6 Jardim Fernades - SP")
    fields = extract(OcrResult(tuple(lines_of(*text)), 1000, 600), Settings(region="BR"))
    assert sorted(p.number for p in fields.phones) == ["+551122949484", "+5511996799468"]
    assert "phones" in fields.guesses
    placed = find_phones(lines_of(*text), "BR", place_area="11")
    assert all(f.placed and f.confidence <= 0.6 for f in placed) and len(placed) == 2
    # No place the lexicon knows: no area code, no number (an E.164 form would be invented).
    bare = extract(OcrResult(tuple(lines_of("2651-9589", "Av. Waldemar Carlos Pereira, 1325 - Vila Talarico")),
                             1000, 600), Settings(region="BR"))
    assert bare.phones == []


@pytest.mark.parametrize(
    ("address", "area"),
    [("Jd. Samara - SP - (Travessa da Gamelinha)", "11"), ("Av. Atlântica, 1702 - Copacabana, RJ", "21"),
     ("Rua da Bahia, 1148 - Belo Horizonte", "31"), ("Calle Mayor 5, es la tienda", None),
     ("SP Tower 12", None)],  # 'es' in lower case is a Spanish word; 'SP' without a separator is no state
)
def test_the_area_code_comes_from_a_city_or_a_state_ending_the_address(address: str, area: str | None) -> None:
    assert area_code(address, "BR") == area
    assert area_code(address, "PT") is None  # only numbers of the place's own country take it


PLAIN_NAME = re.compile(r"[a-z]+(?:[ -][a-z]+)*")  # ASCII words: the names a plain-text card prints


def _gazetteer_cities(regions: tuple[str, ...], people: int) -> list[tuple[str, str]]:
    """(city, region) from the gazetteer's data: places of one of `regions` over `people`, with no place of our
    own lexicon in their name ('Ankara Khot'), no shorter than gazetteer.MIN_LETTERS ('Van' is a word as often
    as a place), whose numbers no other country of the same name takes."""
    from pipeline.extract.country import region_words
    from pipeline.extract.gazetteer import MIN_LETTERS, _countries, _index
    from pipeline.extract.lexicon import fold

    ours = {fold(e.split("\t")[0]) for e in region_words()}
    found = ((name, _countries(entry)) for name, entry in _index().items())
    return sorted((name.title(), region) for name, countries in found for region, size in countries.items()
                  if region in regions and people < size < 10**10 and PLAIN_NAME.fullmatch(name)
                  and len(name) >= MIN_LETTERS and not any(f" {o} " in f" {name} " for o in ours)
                  and not any(_valid_in(_national(region), other) for other in countries if other != region))


def _national(region: str) -> str:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def _valid_in(national: str, region: str) -> bool:
    """A name several countries share ('Baris': Italy and France) only says which when the number fits one."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(national, region))
    except phonenumbers.NumberParseException:
        return False


WORLD = ("ES", "PL", "IT", "CZ", "TR", "NL", "PT")


@given(st.sampled_from(_gazetteer_cities(WORLD, 300_000)), st.sampled_from(["US", "RU", None]))
def test_a_number_in_local_form_on_a_card_from_a_city_our_lexicon_lacks_dials_that_city_country(
        city: tuple[str, str], default: str | None) -> None:
    """Issue 13: a Spanish city in no lexicon of ours, its numbers invalid in the default region, lost them."""
    name, region = city
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    national = _national(region)
    text = f"Acme\nTel {national}\n12, {name}"
    found = card_region(text, default)
    assert (found.region, found.source) == (region, "gazetteer")
    # a name that places of several countries share is a guess ('Valencia': Spain, Venezuela, ...)
    assert found.guessed == (len(places_in(name)) > 1)
    fields = extract(OcrResult(tuple(lines_of(*text.splitlines())), 1000, 600), Settings(region=default))
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert [p.number for p in fields.phones] == [e164]


def test_a_street_named_after_places_of_many_countries_moves_no_valid_number() -> None:
    """'Victoria' is a city in a dozen countries: a number valid in the default region stays there."""
    found = card_region("John Smith\n12 Victoria Street\nTel (212) 736-5000", "US")
    assert (found.region, found.source) == ("US", "default")


def test_a_language_of_several_countries_takes_the_one_where_the_numbers_are_valid_as_a_guess() -> None:
    """'Calle' names six countries; a number valid in Argentina alone of them is Argentine, and a guess."""
    text = "Calle Florida 100\nTel 011 4321-5678"
    found = card_region(text, None)
    assert (found.region, found.source, found.guessed) == ("AR", "language", True)
    fields = extract(OcrResult(tuple(lines_of("Acme", *text.splitlines())), 1000, 600))
    assert [p.number for p in fields.phones] == ["+541143215678"]
    assert "phones" in fields.guesses


def test_a_card_without_digits_never_reads_the_gazetteer() -> None:
    from pipeline.extract.gazetteer import _index

    _index.cache_clear()
    assert card_region("Jane Doe\n12, Zaragoza", None).source == "default"
    assert _index.cache_info().currsize == 0
    assert card_region("Jane Doe\n12, Zaragoza\nTel 976 12 34 56", None).region == "ES"
    assert _index.cache_info().currsize == 1
