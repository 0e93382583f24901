import pytest

from pipeline.extract.web import find_links, normalise_url
from tests.conftest import lines_of


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.romashka.ru", "https://romashka.ru"),
        ("https://www.Example.com/", "https://example.com"),
        ("acme.io", "https://acme.io"),
        ("http://site.рф", "https://site.рф"),
        ("www.agroliderru", "https://agrolider.ru"),
        ("https://evergreen-medicaLcom", "https://evergreen-medical.com"),
        ("wwwsilverlinesystems.com", "https://silverlinesystems.com"),
        ("www.redfern-consulting-.de", "https://redfern-consulting.de"),
    ],
)
def test_urls_are_normalised(raw: str, url: str) -> None:
    assert normalise_url(raw) == url


@pytest.mark.parametrize("raw", ["г.Москва", "ул.Ленина", "3.5", "Inc.", "т.е."])
def test_abbreviations_are_not_sites(raw: str) -> None:
    assert normalise_url(raw) is None


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://westbroo k-legal.com", "https://westbrook-legal.com"),
        ("W: www-.silverline-systems.com", "https://silverline-systems.com"),
        ("www.summit-ridge- advisors.com", "https://summit-ridge-advisors.com"),
    ],
)
def test_broken_addresses_are_joined(text: str, url: str) -> None:
    assert [f.url for f in find_links(lines_of(text))] == [url]


def test_email_domain_is_not_a_website_and_social_links_are_apart() -> None:
    found = find_links(lines_of("i.ivanov@romashka.ru", "t.me/ivanov", "www.romashka.ru"))
    assert [(f.url, f.social) for f in found] == [("https://t.me/ivanov", True), ("https://romashka.ru", False)]


def test_fragment_of_a_broken_line_is_dropped_beside_the_whole_address() -> None:
    found = find_links(lines_of("www.kestrel-dynamics.com", "dynamics.com"))
    assert [f.url for f in found] == ["https://kestrel-dynamics.com"]


def test_handles_printed_after_a_network_name_become_profile_urls() -> None:
    from pipeline.extract.web import find_handles

    lines = lines_of("Telegram: @ivan_petrov", "tg @romashka_news", "Inst: romashka.msk", "ВК: @romashka",
                     "Inst for Advanced Study", "Box 5 x 7", "ivan@romashka.ru")
    assert [link.url for link in find_handles(lines, set())] == [
        "https://t.me/ivan_petrov", "https://t.me/romashka_news", "https://instagram.com/romashka.msk",
        "https://vk.com/romashka"]


@pytest.mark.parametrize("raw", ["inkedin.com/in/anna-ivanova", "minkedin.com/in/anna-ivanova"])
def test_a_social_host_one_slip_off_is_that_network(raw: str) -> None:
    assert normalise_url(raw) == "https://linkedin.com/in/anna-ivanova"


def test_a_two_letter_site_right_after_a_word_is_a_split_tail_read_with_doubt() -> None:
    # 'cargocollective.com/nogdesign' as OCR read it on a real photo (806118785): the site kept is 've.com'.
    (tail,) = find_links(lines_of("collect ve.com/nagdesign"))
    (whole,) = find_links(lines_of("cargocollective.com/nogdesign"))
    assert tail.url == "https://ve.com/nagdesign" and tail.confidence < 0.5 * whole.confidence
    (short,) = find_links(lines_of("www vk.com/nog"))  # a profile, or after www: a site of its own
    assert short.confidence == whole.confidence
