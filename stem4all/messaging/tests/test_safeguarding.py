"""Tests for the contact-detail detector that holds minors' pair messages for moderation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stem4all.messaging.safeguarding import (
    ContactHit,
    contains_contact_details,
    find_contact_details,
)
from stem4all.messaging.tests.safeguarding_corpus import CONTACT_MESSAGES, ORDINARY_MESSAGES


def test_the_corpora_are_big_enough_to_measure_anything():
    assert len(CONTACT_MESSAGES) >= 220
    assert len(ORDINARY_MESSAGES) >= 220


def test_recall_on_the_contact_corpus_is_at_least_95_percent():
    """Measured: 230/230 = 100.0% (a hit of the expected kind in every message)."""
    missed = [
        text
        for text, kind in CONTACT_MESSAGES
        if not any(hit.kind == kind for hit in find_contact_details(text))
    ]
    recall = 1 - len(missed) / len(CONTACT_MESSAGES)
    assert recall >= 0.95, f"recall {recall:.1%}; missed: {missed}"


def test_false_positive_rate_on_ordinary_messages_is_at_most_5_percent():
    """Measured: 0/239 = 0.0% of ordinary mentoring messages flagged."""
    flagged = [text for text in ORDINARY_MESSAGES if contains_contact_details(text)]
    rate = len(flagged) / len(ORDINARY_MESSAGES)
    assert rate <= 0.05, f"false-positive rate {rate:.1%}; flagged: {flagged}"


@pytest.mark.parametrize(
    ("text", "kind", "match"),
    [
        ("call +996 555 123 456 tonight", "phone", "+996 555 123 456"),
        ("звони 0555-12-34-56", "phone", "0555-12-34-56"),
        ("0 5 5 5 1 2 3 4 5 6", "phone", "0 5 5 5 1 2 3 4 5 6"),
        ("+7 701 123 45 67", "phone", "+7 701 123 45 67"),
        ("O555 l23 456", "phone", "O555 l23 456"),
        ("０５５５ １２３ ４５６", "phone", "０５５５ １２３ ４５６"),
        ("zero five five five one two three four five six", "phone", None),
        ("мой номер ноль пять пять пять один два три четыре пять шесть", "phone", None),
        ("ноль пятьсот пятьдесят пять двенадцать тридцать четыре пятьдесят шесть", "phone", None),
        ("нөл беш беш беш бир эки үч төрт беш алты", "phone", None),
        ("нөл жети жети жети он эки отуз төрт элүү алты", "phone", None),
        ("write to aigul.example@gmail.com", "email", "aigul.example@gmail.com"),
        ("aigul at gmail dot com", "email", "aigul at gmail dot com"),
        ("nurzada [at] mail.ru", "email", "nurzada [at] mail.ru"),
        ("aida собака gmail точка com", "email", "aida собака gmail точка com"),
        ("join https://t.me/aigul_dev.", "url", "https://t.me/aigul_dev"),
        ("wa.me/996555123456", "url", "wa.me/996555123456"),
        ("see www.example.org/aigul", "url", "www.example.org/aigul"),
        ("bit.ly/3abcXYZ", "url", "bit.ly/3abcXYZ"),
        ("my tg @nurzada_k", "handle", "tg @nurzada_k"),
        ("my telegram is mira_codes", "handle", "telegram is mira_codes"),
        ("тг: zhyldyz_k", "handle", "тг: zhyldyz_k"),
        ("инста: aigul.codes", "handle", "инста: aigul.codes"),
        ("WhatsApp me", "handle", "WhatsApp"),
        ("напиши в ватсап", "handle", "ватсап"),
    ],
)
def test_each_kind_is_found_in_exact_cases(text, kind, match):
    hits = find_contact_details(text)
    assert [hit.kind for hit in hits] == [kind]
    if match is not None:
        assert hits[0].match == match


@pytest.mark.parametrize(
    "text",
    [
        "Our next session is on 12.05.2026 at 18:30.",
        "Can we move it to 2026-05-12?",
        "I finished 3 chapters, read page 120.",
        "I got 87% and my score was 4.5.",
        "Tuition is 5000 som, about 500 000 000 people use it.",
        "I'm in grade 10, room 214.",
        "Meet at 6, I'm good at math.",
        "In 2024, 2025 and 2026 we ran the camp.",
        "Tasks 5 6 7 8 9 10 11 are homework.",
        "Pi is 3.14159265.",
        "Один, два, три — бир, эки, үч.",
        "",
    ],
)
def test_ordinary_messages_are_not_flagged(text):
    assert find_contact_details(text) == []


def test_hits_report_spans_into_the_original_text():
    text = "Салам! ＋９９６ ５５５ １２３ ４５６ or AIGUL@EXAMPLE.ORG, тг: @nurzada_k"
    hits = find_contact_details(text)
    assert [hit.kind for hit in hits] == ["phone", "email", "handle"]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.match
    assert hits[0].match == "＋９９６ ５５５ １２３ ４５６"
    assert hits[1].match == "AIGUL@EXAMPLE.ORG"


def test_spans_survive_characters_that_normalise_to_several():
    text = "ﬁne ﬁle: aigul@example.org"  # the ligature "ﬁ" becomes two characters
    (hit,) = find_contact_details(text)
    assert (hit.kind, hit.match) == ("email", "aigul@example.org")
    assert text[hit.start : hit.end] == hit.match


def test_hits_do_not_overlap_and_come_in_order():
    hits = find_contact_details("wa.me/996555123456 and instagram.com/aida.codes")
    assert [(hit.kind, hit.match) for hit in hits] == [
        ("url", "wa.me/996555123456"),
        ("url", "instagram.com/aida.codes"),
    ]


def test_a_hit_is_a_frozen_value():
    hit = ContactHit("phone", "0555 123 456", 0, 12)
    with pytest.raises(AttributeError):
        hit.kind = "email"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises_and_spans_are_consistent(text):
    hits = find_contact_details(text)
    assert contains_contact_details(text) == bool(hits)
    previous_end = 0
    for hit in hits:
        assert hit.kind in {"phone", "email", "url", "handle"}
        assert previous_end <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.match
        previous_end = hit.end


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["5", "0", " ", "-", ".", "@", "a", "at ", "dot ", "пять ", "нөл ", "("]),
        max_size=300,
    )
)
def test_text_built_from_detector_fragments_never_raises(parts):
    find_contact_details("".join(parts))


@pytest.mark.parametrize(
    "adversarial",
    [
        "5 " * 10_000,
        "1" * 20_000,
        "a." * 10_000,
        "aigul at " * 2_300,
        "пять - " * 2_900,
        "@" + "a" * 20_000,
        "a" * 10_000 + "@" + "b." * 5_000,
        "http://" + "x" * 20_000,
        ("0 5 ( . - " * 2_000)[:20_000],
    ],
)
def test_20_kb_adversarial_input_completes(adversarial):
    """Bounded quantifiers only: catastrophic backtracking would hang here, not just slow down."""
    assert len(adversarial) >= 19_000
    assert isinstance(find_contact_details(adversarial), list)
