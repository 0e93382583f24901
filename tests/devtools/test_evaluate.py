"""The accuracy harness: matching and scoring on hand-made predictions (no OCR)."""

from pathlib import Path
from typing import Any

from devtools.evaluate import (
    LabelledImage,
    Tally,
    columns_of,
    figures,
    match_cards,
    norm_text,
    phones_match,
    score_image,
)


def _card(name: str, phone: str, bbox: list[float] | None = None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "title": "CEO", "company": "Acme Inc.", "address": None, "bbox": bbox,
            "phones": [{"number": phone, "type": "work"}], "emails": [], "websites": [], **extra}


def test_normalisation_ignores_case_yo_quotes_and_spacing() -> None:
    assert norm_text("ООО «Ёлка»  ") == norm_text('ооо "елка"')
    assert norm_text("Jane  Doe") == norm_text("jane doe")


def test_phone_printed_without_area_code_matches_by_national_digits() -> None:
    assert phones_match("?22949484", "+551122949484")
    assert not phones_match("+551122949484", "+551122949485")


def test_cards_of_a_page_are_matched_by_position_one_to_one() -> None:
    left = _card("Jane Doe", "+14158675309", [0, 0, 100, 0, 100, 60, 0, 60])
    right = _card("John Roe", "+12127365000", [200, 0, 300, 0, 300, 60, 200, 60])
    assert sorted(match_cards([right, left], [left, right])) == [(0, 1), (1, 0)]


def test_scores_count_every_miss_and_invention() -> None:
    label = LabelledImage(Path("x.png"), "scan", [_card("Jane Doe", "+14158675309")], real=False)
    wrong = {"status": "ok", "seconds": 1.0,
             "cards": [_card("Jane Doe", "+14158675300"), _card("Ghost", "+12127365000")]}
    tally = Tally()
    score_image(tally, label, wrong, [])
    out = figures(tally)
    assert out["name_exact"] == 0.5  # an invented card counts against every field it fills
    assert out["phones_p"] == 0.0 and out["phones_r"] == 0.0
    assert out["perfect_card_rate"] == 0.0
    assert out["detection_recall"] == 1.0 and out["detection_precision"] == 0.5

    right = {"status": "ok", "seconds": 1.0, "cards": [_card("Jane Doe", "+14158675309")]}
    tally = Tally()
    score_image(tally, label, right, [])
    assert figures(tally)["perfect_card_rate"] == 1.0


def test_cards_with_a_code_are_scored_apart_with_their_decoding() -> None:
    coded = _card("Jane Doe", "+14158675309", [0, 0, 100, 0, 100, 60, 0, 60], qr="vcard")
    plain = _card("John Roe", "+12127365000", [200, 0, 300, 0, 300, 60, 200, 60])
    page = LabelledImage(Path("x.png"), "multi", [coded, plain], real=False)
    read = {"status": "ok", "seconds": 1.0, "cards": [
        {**coded, "qr_codes": ["BEGIN:VCARD..."]}, {**plain, "name": "John Doe"}, _card("Ghost", "+12127365001")]}
    tally = Tally()
    score_image(tally, page, read, [], coded_only=True)
    out = figures(tally)
    assert (out["cards"], out["name_exact"], out["qr_decoded"], out["detection_precision"]) == (1, 1.0, 1.0, 1.0)
    tally = Tally()
    score_image(tally, page, {**read, "cards": []}, [], coded_only=True)  # the card was not found at all
    assert figures(tally)["qr_decoded"] == 0.0 and figures(tally)["detection_recall"] == 0.0


def test_vocabulary_twins_and_hard_scenes_have_columns_of_their_own() -> None:
    def item(tags: tuple[str, ...], real: bool = False) -> LabelledImage:
        return LabelledImage(Path("x.jpg"), "real" if real else tags[0], [], real, tags)

    assert columns_of(item(("photo",))) == ["photo", "synthetic"]
    assert columns_of(item(("photo", "qr"))) == ["photo", "synthetic"]
    assert columns_of(item(("photo", "unseen"))) == ["unseen", "unseen-photo"]
    assert columns_of(item(("scan", "seen"))) == ["seen", "seen-scan"]
    for scene in ("shaded", "upside", "exif", "panel", "tiny"):
        assert columns_of(item((scene,))) == [scene]
    assert columns_of(item(("real",), real=True)) == ["real", "real-all"]
    correction = LabelledImage(Path("x.jpg"), "correction", [], True, ("photo", "correction"))
    assert columns_of(correction) == ["correction", "real-all"]


def test_real_photos_forgive_diacritics_and_nothing_else() -> None:
    label = _card("José Carlos", "+5511999336564", company="Eletrônica ADACHI Ltda.")
    read = {"status": "ok", "seconds": 1.0,
            "cards": [_card("Jose Carlos", "+5511999336564", company="Eletronica ADACHI Ltda.")]}
    real = LabelledImage(Path("x.jpg"), "real", [label], real=True, tags=("photo",))
    tally = Tally()
    score_image(tally, real, read, [])
    out = figures(tally)
    assert (out["perfect_card_rate"], out["perfect_exact"]) == (1.0, 0.0)
    assert (out["name_match"], out["name_exact"], out["company_match"]) == (1.0, 0.0, 1.0)
    assert out["conf 0.0-0.5 fields"] == 0  # no confidences on these hand-made cards

    generated = LabelledImage(Path("x.png"), "photo", [label], real=False, tags=("photo",))
    tally = Tally()
    score_image(tally, generated, read, [])
    assert figures(tally)["perfect_card_rate"] == 0.0  # generated labels are exact: no slack there

    glued = {**read, "cards": [_card("Jose Carlos", "+5511999336564", company="EletronicaADACHI Ltda.")]}
    tally = Tally()
    score_image(tally, real, glued, [])
    assert figures(tally)["perfect_card_rate"] == 0.0  # a lost space is a miss, accents or not
