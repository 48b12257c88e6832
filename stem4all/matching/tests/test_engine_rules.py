"""The engine's hard rules: never broken, by hand-made cases and random instances, and
the reason each unmatched mentee is given."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stem4all.matching.engine import describe_unmatched, explain_pair, match
from stem4all.matching.engine.model import (
    MatchConfig,
    Mentee,
    Mentor,
    Unmatched,
    UnmatchedReason,
    level_rank,
)


def mentee(id_, **kw) -> Mentee:
    kw.setdefault("languages", {"ru": None})
    return Mentee(id=id_, **kw)


def mentor(id_, **kw) -> Mentor:
    kw.setdefault("languages", {"ru": None})
    kw.setdefault("capacity", 1)
    return Mentor(id=id_, **kw)


def pairs(result) -> set[tuple[str, str]]:
    return {(a.mentee_id, a.mentor_id) for a in result.assignments}


def reasons(result) -> dict[str, str]:
    return {u.mentee_id: u.reason for u in result.unmatched}


def assert_rules_hold(mentees, mentors, config, result):
    """Every documented hard rule, checked from the definitions."""
    by_mentee = {m.id: m for m in mentees}
    by_mentor = {m.id: m for m in mentors}
    minimum = level_rank(config.min_language_level)
    assigned = [a.mentee_id for a in result.assignments]
    assert len(assigned) == len(set(assigned)), "a mentee got two mentors"
    assert sorted(assigned + [u.mentee_id for u in result.unmatched]) == sorted(by_mentee)
    load: dict[str, int] = {}
    locked_load: dict[str, int] = {}
    for mentee_id, mentor_id in config.locked:
        if mentee_id in by_mentee and mentor_id in by_mentor:
            locked_load[mentor_id] = locked_load.get(mentor_id, 0) + 1
            assert (mentee_id, mentor_id) in pairs(result), "a locked pair was dropped"
    for a in result.assignments:
        e, m = by_mentee[a.mentee_id], by_mentor[a.mentor_id]
        load[m.id] = load.get(m.id, 0) + 1
        assert a.is_locked == ((e.id, m.id) in config.locked)
        shared = [
            code
            for code, level in e.languages.items()
            if code in m.languages
            and level_rank(level) >= minimum
            and level_rank(m.languages[code]) >= minimum
        ]
        assert shared, "no shared working language"
        assert not e.is_minor or m.is_cleared_for_minors, "a minor with an uncleared mentor"
        assert m.id not in e.excluded_mentors, "an excluded mentor"
        if not a.is_locked:
            assert (e.id, m.id) not in config.forbidden, "a forbidden pair"
    for mentor_id, count in load.items():
        assert count <= max(by_mentor[mentor_id].capacity, locked_load.get(mentor_id, 0))
        assert count - locked_load.get(mentor_id, 0) <= max(
            0, by_mentor[mentor_id].capacity - locked_load.get(mentor_id, 0)
        )


# --- hand-made cases --------------------------------------------------------------------------


def test_pair_without_a_shared_working_language_is_never_proposed():
    mentees = [mentee("e", languages={"ky": "native", "en": "A2"})]
    mentors = [mentor("m", languages={"en": "C2", "ru": None})]
    result = match(mentees, mentors)
    assert result.assignments == []
    assert reasons(result) == {"e": UnmatchedReason.NO_SHARED_LANGUAGE}


def test_language_without_a_level_counts_as_fluent():
    result = match([mentee("e", languages={"ky": None})], [mentor("m", languages={"ky": "B1"})])
    assert pairs(result) == {("e", "m")}


def test_minimum_language_level_is_configurable():
    mentees = [mentee("e", languages={"en": "B2"})]
    mentors = [mentor("m", languages={"en": "native"})]
    assert pairs(match(mentees, mentors, MatchConfig(min_language_level="B2"))) == {("e", "m")}
    strict = match(mentees, mentors, MatchConfig(min_language_level="C1"))
    assert reasons(strict) == {"e": UnmatchedReason.NO_SHARED_LANGUAGE}


def test_minor_is_only_matched_with_a_mentor_cleared_for_minors():
    mentees = [mentee("girl", is_minor=True)]
    mentors = [mentor("open", capacity=3), mentor("cleared", is_cleared_for_minors=True)]
    assert pairs(match(mentees, mentors)) == {("girl", "cleared")}
    alone = match(mentees, mentors[:1])
    assert reasons(alone) == {"girl": UnmatchedReason.NEEDS_MINOR_CLEARED_MENTOR}


def test_excluded_and_forbidden_mentors_are_never_proposed():
    mentees = [mentee("e", excluded_mentors=frozenset({"a"})), mentee("f")]
    mentors = [mentor("a", capacity=2), mentor("b", capacity=2)]
    config = MatchConfig(forbidden=frozenset({("f", "b")}))
    result = match(mentees, mentors, config)
    assert pairs(result) == {("e", "b"), ("f", "a")}
    none_left = match(mentees[:1], mentors[:1])
    assert reasons(none_left) == {"e": UnmatchedReason.ALL_EXCLUDED}
    forbidden = match(mentees[1:], mentors[1:], config)
    assert reasons(forbidden) == {"f": UnmatchedReason.ALL_EXCLUDED}


def test_mentor_cannot_exceed_capacity():
    mentees = [mentee(f"e{k}") for k in range(5)]
    result = match(mentees, [mentor("m", capacity=2), mentor("full", capacity=0)])
    assert len(result.assignments) == 2
    assert all(a.mentor_id == "m" for a in result.assignments)
    assert set(reasons(result).values()) == {UnmatchedReason.CAPACITY_TAKEN}
    assert all(u.eligible_mentors == 1 for u in result.unmatched)


def test_mentor_without_a_free_place_gives_no_mentor_with_capacity():
    result = match([mentee("e")], [mentor("m", capacity=0)])
    assert reasons(result) == {"e": UnmatchedReason.NO_MENTOR_WITH_CAPACITY}
    assert result.unmatched[0].eligible_mentors == 0


def test_international_limit_is_given_when_only_international_places_are_left():
    mentees = [mentee("home"), mentee("abroad", languages={"en": "C1"})]
    mentors = [mentor("kg"), mentor("us", languages={"en": None}, country="US", capacity=3)]
    result = match(mentees, mentors, MatchConfig(max_international_share=0.0))
    assert pairs(result) == {("home", "kg")}
    assert reasons(result) == {"abroad": UnmatchedReason.INTERNATIONAL_LIMIT}
    assert result.summary["international_cap"] == 0
    assert result.summary["international_cap_reached"] is True


def test_reasons_follow_the_documented_order():
    # excluded AND without places: exclusion comes first
    e = mentee("e", excluded_mentors=frozenset({"m"}))
    result = match([e], [mentor("m", capacity=0)])
    assert reasons(result) == {"e": UnmatchedReason.ALL_EXCLUDED}
    # a minor with no shared language: language comes first
    girl = mentee("girl", is_minor=True, languages={"de": None})
    assert reasons(match([girl], [mentor("m")])) == {"girl": UnmatchedReason.NO_SHARED_LANGUAGE}


def test_every_reason_has_a_sentence():
    for reason in (
        UnmatchedReason.NO_SHARED_LANGUAGE,
        UnmatchedReason.NEEDS_MINOR_CLEARED_MENTOR,
        UnmatchedReason.ALL_EXCLUDED,
        UnmatchedReason.NO_MENTOR_WITH_CAPACITY,
        UnmatchedReason.CAPACITY_TAKEN,
        UnmatchedReason.INTERNATIONAL_LIMIT,
    ):
        sentence = describe_unmatched(Unmatched("e", reason, 2))
        assert sentence.endswith(".") and reason not in sentence
    assert "2 mentors fit her" in describe_unmatched(
        Unmatched("e", UnmatchedReason.CAPACITY_TAKEN, 2)
    )


def test_locked_pairs_are_kept_and_take_places():
    mentees = [mentee("a"), mentee("b"), mentee("c")]
    mentors = [mentor("x", capacity=1), mentor("y", capacity=2)]
    config = MatchConfig(locked=frozenset({("c", "x")}))
    result = match(mentees, mentors, config)
    assert ("c", "x") in pairs(result)
    assert [a.is_locked for a in result.assignments if a.mentee_id == "c"] == [True]
    assert {a.mentor_id for a in result.assignments if a.mentee_id != "c"} == {"y"}
    assert result.summary["locked"] == 1
    assert_rules_hold(mentees, mentors, config, result)


def test_locks_beyond_a_mentors_places_are_kept_and_leave_her_full():
    mentees = [mentee("a"), mentee("b"), mentee("c")]
    mentors = [mentor("x", capacity=1), mentor("y")]
    config = MatchConfig(locked=frozenset({("a", "x"), ("b", "x")}))
    result = match(mentees, mentors, config)
    assert pairs(result) == {("a", "x"), ("b", "x"), ("c", "y")}
    assert result.summary["locked_over_capacity"] == 1


def test_locked_pair_breaking_a_hard_rule_raises_a_clear_error():
    girl = mentee("girl", is_minor=True)
    with pytest.raises(ValueError, match="under 18"):
        match([girl], [mentor("m")], MatchConfig(locked=frozenset({("girl", "m")})))
    speaker = mentee("e", languages={"de": None})
    with pytest.raises(ValueError, match="no working language"):
        match([speaker], [mentor("m")], MatchConfig(locked=frozenset({("e", "m")})))
    both = MatchConfig(locked=frozenset({("e", "m")}), forbidden=frozenset({("e", "m")}))
    with pytest.raises(ValueError, match="forbidden"):
        match([mentee("e")], [mentor("m")], both)
    twice = MatchConfig(locked=frozenset({("e", "m"), ("e", "n")}))
    with pytest.raises(ValueError, match="more than one mentor"):
        match([mentee("e")], [mentor("m"), mentor("n")], twice)


def test_locked_pair_with_an_unknown_id_is_ignored():
    config = MatchConfig(locked=frozenset({("gone", "m")}))
    result = match([mentee("e")], [mentor("m")], config)
    assert pairs(result) == {("e", "m")}
    assert result.summary["locked_ignored"] == 1


@pytest.mark.parametrize(
    ("mentees", "mentors", "config", "message"),
    [
        ([mentee("e"), mentee("e")], [mentor("m")], MatchConfig(), "appears twice"),
        ([mentee("e")], [mentor("m"), mentor("m")], MatchConfig(), "appears twice"),
        ([mentee("e", languages={"en": "B3"})], [mentor("m")], MatchConfig(), "unknown level"),
        ([mentee("e")], [mentor("m", capacity=-1)], MatchConfig(), "capacity"),
        ([mentee("e")], [mentor("m", capacity=1.5)], MatchConfig(), "capacity"),
        ([mentee("e", preferred_mentor_type="x")], [mentor("m")], MatchConfig(), "preferred"),
        ([mentee("e")], [mentor("m")], MatchConfig(mode="greedy"), "mode"),
        ([mentee("e")], [mentor("m")], MatchConfig(top_k=0), "top_k"),
        ([mentee("e")], [mentor("m")], MatchConfig(regional_floor=1.5), "regional_floor"),
        ([mentee("e")], [mentor("m")], MatchConfig(min_language_level="B3"), "min_language"),
    ],
)
def test_malformed_input_raises_value_error(mentees, mentors, config, message):
    with pytest.raises(ValueError, match=message):
        match(mentees, mentors, config)


def test_explain_pair_refuses_a_pair_that_breaks_a_rule():
    config = MatchConfig(forbidden=frozenset({("e", "m")}))
    assert explain_pair(mentee("e"), mentor("m"), config) is None
    assert explain_pair(mentee("e", is_minor=True), mentor("m")) is None
    assert explain_pair(mentee("e"), mentor("m", capacity=0)) is None
    assert explain_pair(mentee("e"), mentor("m")) is not None


def test_empty_inputs_give_an_empty_result():
    assert match([], []).assignments == []
    result = match([mentee("e")], [])
    assert reasons(result) == {"e": UnmatchedReason.NO_SHARED_LANGUAGE}
    assert match([], [mentor("m")]).summary["matched"] == 0


# --- random instances ---------------------------------------------------------------------------

LANGS = ("ky", "ru", "en")
LEVEL = st.sampled_from(("A2", "B1", "B2", "C1", "native", None))


@st.composite
def instances(draw):
    n = draw(st.integers(0, 12))
    m = draw(st.integers(0, 6))
    mentor_ids = [f"m{j}" for j in range(m)]
    mentors = []
    for j in range(m):
        langs = draw(st.dictionaries(st.sampled_from(LANGS), LEVEL, min_size=1, max_size=3))
        mentors.append(
            mentor(
                mentor_ids[j],
                languages=langs,
                capacity=draw(st.integers(0, 3)),
                country=draw(st.sampled_from(("KG", "KG", "US"))),
                is_cleared_for_minors=draw(st.booleans()),
                fields=frozenset(draw(st.sets(st.sampled_from(("a", "b", "c")), max_size=2))),
            )
        )
    mentees = []
    for i in range(n):
        langs = draw(st.dictionaries(st.sampled_from(LANGS), LEVEL, min_size=1, max_size=3))
        excluded = draw(st.sets(st.sampled_from(mentor_ids), max_size=2)) if m else set()
        mentees.append(
            mentee(
                f"e{i}",
                languages=langs,
                is_minor=draw(st.booleans()),
                excluded_mentors=frozenset(excluded),
                region=draw(st.sampled_from(("bishkek", "naryn", "osh"))),
                preferred_mentor_type=draw(st.sampled_from(("any", "regional", "international"))),
                fields=frozenset(draw(st.sets(st.sampled_from(("a", "b", "c")), max_size=2))),
            )
        )
    forbidden = set()
    if n and m:
        forbidden = draw(
            st.sets(
                st.tuples(st.sampled_from([e.id for e in mentees]), st.sampled_from(mentor_ids))
            )
        )
    config = MatchConfig(
        forbidden=frozenset(forbidden),
        min_language_level=draw(st.sampled_from(("B1", "B2"))),
        regional_floor=draw(st.sampled_from((None, 0.5, 1.0))),
        max_international_share=draw(st.sampled_from((None, 0.0, 0.3))),
        spread_load=draw(st.booleans()),
        top_k=draw(st.sampled_from((1, 2, 50))),
        full_graph_limit=draw(st.sampled_from((0, 2_000_000))),
    )
    # lock a few pairs that pass the language, minors, exclusion and forbidden rules
    locked = set()
    for e in mentees[:3]:
        for m_ in mentors:
            if explain_pair(e, replace(m_, capacity=1), config) is not None and draw(st.booleans()):
                locked.add((e.id, m_.id))
                break
    return mentees, mentors, replace(config, locked=frozenset(locked))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_hard_rules_hold_on_random_instances(instance):
    mentees, mentors, config = instance
    result = match(mentees, mentors, config)
    assert_rules_hold(mentees, mentors, config, result)
    for u in result.unmatched:
        assert u.reason in vars(UnmatchedReason).values()
    stable = match(mentees, mentors, replace(config, mode="stable"))
    assert_rules_hold(mentees, mentors, config, stable)
    assert stable.blocking_pairs == 0
