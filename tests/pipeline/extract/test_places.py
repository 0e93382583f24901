"""Repairs inside an address line."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.places import repair_address


@pytest.mark.parametrize(
    ("read", "address"),
    [
        ("394073, г. BopoHex, ул. Советская, д. 86", "394073, г. Воронеж, ул. Советская, д. 86"),
        ("644023, OMCK, ул. Вокзальная, д. 98", "644023, Омск, ул. Вокзальная, д. 98"),
        ("300024, Тупа, ш. Энтузиастов, 30", "300024, Тула, ш. Энтузиастов, 30"),
        ("625044, Тюмень, уп. Радищева, 34", "625044, Тюмень, ул. Радищева, 34"),
        ("Пресненская На6., д. 69, кори. 4", "Пресненская наб., д. 69, корп. 4"),
        ("Варшавское w., д.9", "Варшавское ш., д. 9"),
        ("г.Саратов, ул.Большая Садовая", "г. Саратов, ул. Большая Садовая"),
        ("Friedrichstraße 90, 80661 Miinchen", "Friedrichstraße 90, 80661 München"),
        ("625023, г. юмень, Варшавское ш., 14", "625023, г. Тюмень, Варшавское ш., 14"),
    ],
)
def test_misreadings_are_put_right(read: str, address: str) -> None:
    assert repair_address(read) == address


@pytest.mark.parametrize(
    "address",
    [
        "ул. Кирова, д. 110",  # a street named after a man, not the city Киров
        "Unter den Linden 125, 60403 Frankfurt am Main",  # not Mainz
        "12 Essex Road, London",  # a street, not a misread Essen
        "Am Sandtorkai 120, 20836 Hamburg",
    ],
)
def test_what_is_right_stays(address: str) -> None:
    assert repair_address(address) == address


@given(st.text(alphabet="абвгдежзиклмнопрстуфхцчшщыэюяАБВГДЕЖКЛМНОПРСТУФabcdeklmnoprstuxyBHKMOPTX0123456789 .,-",
               max_size=60))
def test_repairing_twice_changes_nothing_more(text: str) -> None:
    once = repair_address(text)
    assert repair_address(once) == once
