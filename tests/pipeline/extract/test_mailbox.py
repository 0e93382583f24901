"""Mailboxes put right against the name on the card."""

from pipeline.extract.mailbox import rejoin_with_name, repair_with_name, unglue_label


def test_a_mailbox_is_corrected_against_the_name_on_the_card() -> None:
    assert repair_with_name("vyacheslav.zhuraviev@gorizont.ru", ["Вячеслав Журавлёв"]) == (
        "vyacheslav.zhuravlev@gorizont.ru")
    assert repair_with_name("voronina.in@mail.ru", ["Воронина Любовь Николаевна"]) == "voronina.ln@mail.ru"
    assert repair_with_name("j.srnith@acme.com", ["John Smith"]) == "j.smith@acme.com"
    # nothing to go by, or nothing a single look-alike swap explains: left as read
    assert repair_with_name("voronina.in@mail.ru", ["Любовь Н"]) == "voronina.in@mail.ru"
    assert repair_with_name("info@acme.com", ["John Smith"]) == "info@acme.com"
    assert repair_with_name("jsmyth@acme.com", ["John Smith"]) == "jsmyth@acme.com"


def test_an_underscore_read_as_a_space_between_name_words_is_put_back() -> None:
    assert rejoin_with_name("delgado@meridianfreight.com", "elliot delgado@meridianfreight.com",
                            ["Elliot N. Delgado"]) == "elliot_delgado@meridianfreight.com"
    # a name printed before the address, or a word that is not the person's: left alone
    assert rejoin_with_name("jane@acme.com", "Jane Doe jane@acme.com", ["Jane Doe"]) == "jane@acme.com"
    assert rejoin_with_name("sales@acme.com", "write sales@acme.com", ["Jane Doe"]) == "sales@acme.com"


def test_a_name_and_an_initial_are_no_name_with_a_letter_too_many() -> None:
    assert repair_with_name("patrickc@cedarstone.co.uk", ["Patrick Carter"]) == "patrickc@cedarstone.co.uk"
    assert repair_with_name("valeriy.kovalev@kristall.ru", ["Валерий Ковалев"]) == "valeriy.kovalev@kristall.ru"


def test_a_misread_initial_or_letter_is_put_right_when_the_name_has_it() -> None:
    assert repair_with_name("0.zinovev@bereg.com", ["Олег Зиновьев"]) == "o.zinovev@bereg.com"
    assert repair_with_name("stefan.cllison@wexford.com", ["Stefan Ellison"]) == "stefan.ellison@wexford.com"
    assert repair_with_name("i.petrov@x.ru", ["Иван Петров"]) == "i.petrov@x.ru"
    assert repair_with_name("rostistav@uralmetall.ru", ["Ростислав Орлов"]) == "rostislav@uralmetall.ru"


def test_the_e_of_a_mail_label_glued_to_the_mailbox_goes() -> None:
    line = "Mobile 773-953-4040 Es.thornton@lumenhealth.com"
    assert unglue_label("es.thornton@lumenhealth.com", line, ["Samantha P. Thornton"]) == "s.thornton@lumenhealth.com"
    # a mailbox that starts with e of its own, or an E that is no label glued on: left alone
    assert unglue_label("ed.smith@x.com", "ed.smith@x.com", ["Ed Smith"]) == "ed.smith@x.com"
    assert unglue_label("es.thornton@x.com", "Es.thornton@x.com", ["Emma S. Thornton"]) == "es.thornton@x.com"

