"""Which field each OCR line became, as the review page labels the boxes."""

from __future__ import annotations

from pipeline.core.types import CardFields, Phone
from pipeline.extract.provenance import line_fields

FIELDS = CardFields(name="Иван Петров", title="Директор по развитию", company="ООО «Ромашка»",
                    address="г. Москва, ул. Ленина, д. 1", phones=[Phone("+74951234567", "work")],
                    emails=["ivan@romashka.ru"], websites=["https://www.romashka.ru"])


def test_each_line_is_named_by_the_field_it_became() -> None:
    lines = ["ООО «Ромашка»", "ИВАН ПЕТРОВ", "Директор по", "развитию", "Тел.: 8 (495) 123-45-67",
             "E-mail: ivan@romashka.ru", "www.romashka.ru", "г. Москва, ул. Ленина, д. 1", "С 1998 года"]
    assert line_fields(lines, FIELDS) == [["company"], ["name"], ["title"], ["title"], ["phones"], ["emails"],
                                          ["websites"], ["address"], []]


def test_a_contact_line_holds_a_phone_and_an_e_mail_and_no_company() -> None:
    # The domain is the company's name, and the e-mail holds the website's domain: neither counts here.
    assert line_fields(["+7 495 123 45 67 ivan@romashka.ru"], FIELDS) == [["phones", "emails"]]
    assert line_fields(["Romashka LLC"], CardFields(company="Romashka LLC", websites=["romashka.ru"])) == [
        ["company"]]


def test_a_line_that_only_shares_a_word_with_a_field_is_no_field() -> None:
    assert line_fields(["Петров и партнёры, юридическая фирма", "Ромашка Холдинг Интернешнл"], FIELDS) == [[], []]
