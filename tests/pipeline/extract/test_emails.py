import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.emails import find_emails, normalise
from pipeline.extract.repairs import repair
from tests.conftest import lines_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("E-mail: i.ivanov@romashka.ru", "i.ivanov@romashka.ru"),
        ("ivan©romashka.ru", "ivan@romashka.ru"),
        ("ivan (at) romashka.ru", "ivan@romashka.ru"),
        ("ivan @ romashka . ru", "ivan@romashka.ru"),
        ("J.Doe@Example.COM.", "j.doe@example.com"),
        ("mail@orion.com", "mail@orion.com"),
        ("E: mail@orion.com", "mail@orion.com"),
        ("info@rоmashka.ru", "info@romashka.ru"),  # Cyrillic о inside a Latin domain
    ],
)
def test_ocr_damaged_addresses_are_repaired(text: str, expected: str) -> None:
    assert [e.address for e in find_emails(lines_of(text))] == [expected]


@pytest.mark.parametrize("text", ["@ivanov", "romashka.ru", "ivan@", "a@b", "Москва, ул. Ленина"])
def test_non_addresses_give_nothing(text: str) -> None:
    assert find_emails(lines_of(text)) == []


local = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,8})?", fullmatch=True)
domain = st.from_regex(r"[a-z][a-z0-9]{1,10}\.(ru|com|org|de)", fullmatch=True)


@given(local, domain)
def test_valid_addresses_survive_repair_and_normalisation(user: str, host: str) -> None:
    address = f"{user}@{host}"
    assert normalise(repair(f"E-mail: {address}")) == address


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("psedykh98 @maiLru", set(), "psedykh98@mail.ru"),
        ("pavel_ostrovskiy@vektorru", set(), "pavel_ostrovskiy@vektor.ru"),
        ("E: zoya@uralskiymetallru", {"uralskiymetall.ru"}, "zoya@uralskiymetall.ru"),
        ("douglas.ya mamoto@granite-peak.com", set(), "douglas.yamamoto@granite-peak.com"),
        ("Тел. +7 343 425-83-75 доб. 472 kirill@feniks.ru", set(), "kirill@feniks.ru"),
        ("kalinina@regionservis.ru_https://regionservis.ru", set(), "kalinina@regionservis.ru"),
        ("|.goldberg@redfernconsulting.com", set(), "l.goldberg@redfernconsulting.com"),
        ("sales@severstaikomplekt.ru", {"severstalkomplekt.ru"}, "sales@severstalkomplekt.ru"),
        ("бeгeдoyaya@paгиз.cot", set(), None),
        ("Email: kirillov.n\\@bk.ru", set(), "kirillov.nl@bk.ru"),
        ("Email: kirillov.nl\\@bk.ru", set(), "kirillov.nl@bk.ru"),
    ],
)
def test_damage_that_has_one_repair(text: str, known: set[str], expected: str | None) -> None:
    assert [e.address for e in find_emails(lines_of(text), known)] == ([expected] if expected else [])


def test_addresses_run_together_are_split_and_others_left_alone() -> None:
    glued = find_emails(lines_of("matvey_dementev@profil.ru-sales@profil.ru"))
    assert [e.address for e in glued] == ["matvey_dementev@profil.ru", "sales@profil.ru"]
    apart = find_emails(lines_of("ivan.petrov@x.ru, info@x.ru"))
    assert [e.address for e in apart] == ["ivan.petrov@x.ru", "info@x.ru"]


@pytest.mark.parametrize(
    ("line", "address"),
    [
        ("mail @alfastroy.ru", "mail@alfastroy.ru"),  # the mailbox 'mail' is no 'Mail:' label
        ("Email: megan _kendrick@outlook.com", "megan_kendrick@outlook.com"),
        ("Е beatricej]@wexfordanalytics.com", "beatricej@wexfordanalytics.com"),
        ("Tel. 215.416.1368 -edward72@outlook.com", "edward72@outlook.com"),
    ],
)
def test_ocr_damage_seen_on_scans_is_undone(line: str, address: str) -> None:
    assert [e.address for e in find_emails(lines_of(line))] == [address]


def test_a_mail_service_one_slip_off_is_that_service_but_an_unlike_domain_stays() -> None:
    from pipeline.extract.emails import fix_domain

    assert fix_domain("olga@yandx.ru", set()) == "olga@yandex.ru"
    assert fix_domain("tom@grnail.com", set()) == "tom@gmail.com"
    assert fix_domain("tom@acme.com", set()) == "tom@acme.com"
    assert fix_domain("tom@mail.com", set()) == "tom@mail.com"  # a mail service of its own, not gmail.com


def test_the_dot_of_a_two_part_country_domain_read_as_a_hyphen_is_put_back() -> None:
    from pipeline.extract.emails import find_emails
    from tests.conftest import lines_of

    assert [e.address for e in find_emails(lines_of("E-mail: sonaocasa@bol.com-br"), set())] == ["sonaocasa@bol.com.br"]
    assert [e.address for e in find_emails(lines_of("a-b@mail-box.com"), set())] == ["a-b@mail-box.com"]
