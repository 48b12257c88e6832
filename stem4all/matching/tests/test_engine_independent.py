"""Independent checks of ``engine.match``: the solver against another solver.

Eligibility and scores come from ``engine.explain_pair`` alone (the engine's definition
of a pair), never from its candidate builder or solver. On small random instances the
candidate graph is the full graph (fewer eligible pairs than ``full_graph_limit``, fewer
mentors than ``top_k``), so:

- optimal mode must reach exactly the lexicographic optimum (most mentees matched, then
  the highest total score) that scipy's ``linear_sum_assignment`` finds on the
  slot-expanded matrix (each mentor repeated ``capacity`` times);
- every hard rule is checked again here, from the documented rules, on every output;
- stable mode must have no blocking pair (recounted here from explain_pair scores and
  the ranked lists), respect capacities, and match no more mentees than optimal mode;
- optimal mode must be at least as good as a greedy-by-score baseline, compared
  lexicographically: more mentees matched, or as many and at least the same total score.
  (Its total score alone can be lower than greedy's: matching one more mentee may take a
  high-scoring pair apart.)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from stem4all.matching.engine import explain_pair, match
from stem4all.matching.engine.model import MatchConfig, Mentee, Mentor, level_rank

LANGUAGES = ("ky", "ru", "en")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native", None)
FIELDS = ("software", "data_science", "physics", "biology", "medicine", "energy")
REGIONS = {
    "bishkek": ("leninsky", "oktyabrsky"),
    "naryn": ("at_bashy", "kochkor"),
    "osh": ("alai", "uzgen"),
}
WINDOWS = ("weekday_morning", "weekday_evening", "weekend_morning", "weekend_evening")
GOALS = (
    "I want to become a data scientist working on climate data",
    "I dream of building mobile apps for farmers",
    "I want to study medicine and do research on rare diseases",
    "I would like to design solar power systems for mountain villages",
    "I want to become a physicist and teach",
)
EXPERTISE = (
    "Senior data scientist, machine learning for climate models",
    "Mobile app developer at a software company",
    "Medical researcher in genetics and rare diseases",
    "Solar energy engineer, renewable power systems",
    "Physics teacher and researcher in optics",
)
TOL = 1e-6


# --- instances ---------------------------------------------------------------------------


def _languages(rng, weights):
    langs = {}
    for code, p in zip(LANGUAGES, weights, strict=True):
        if rng.random() < p:
            langs[code] = LEVELS[int(rng.integers(len(LEVELS)))]
    if not langs:
        langs[LANGUAGES[int(rng.integers(3))]] = "B2"
    return langs


def _subset(rng, items, low, high):
    k = int(rng.integers(low, high + 1))
    return frozenset(items[int(x)] for x in rng.choice(len(items), size=k, replace=False))


def make_instance(seed: int, n: int, m: int, *, max_capacity: int = 3):
    """Small random programme exercising every hard rule and every soft factor."""
    rng = np.random.default_rng(seed)
    mentors = []
    for j in range(m):
        international = rng.random() < 0.35
        region = "" if international else str(rng.choice(list(REGIONS)))
        mentors.append(
            Mentor(
                id=f"m{j}",
                languages=_languages(rng, (0.1, 0.4, 0.9) if international else (0.7, 0.9, 0.5)),
                capacity=int(rng.integers(0, max_capacity + 1)),
                fields=_subset(rng, FIELDS, 1, 3),
                expertise=EXPERTISE[int(rng.integers(len(EXPERTISE)))],
                country=str(rng.choice(["US", "DE", "KZ"])) if international else "KG",
                region=region,
                district=str(rng.choice(REGIONS[region])) if region else "",
                is_cleared_for_minors=bool(rng.random() < 0.4),
                availability=_subset(rng, WINDOWS, 0, 3),
                hours_per_month=int(rng.integers(2, 9)),
            )
        )
    mentees = []
    for i in range(n):
        region = str(rng.choice(list(REGIONS)))
        ranked = tuple(f"m{int(x)}" for x in rng.choice(m, size=min(m, 2), replace=False))
        mentees.append(
            Mentee(
                id=f"e{i}",
                languages=_languages(rng, (0.8, 0.7, 0.5)),
                fields=_subset(rng, FIELDS, 1, 2),
                goal=GOALS[int(rng.integers(len(GOALS)))],
                region=region,
                district=str(rng.choice(REGIONS[region])),
                is_minor=bool(rng.random() < 0.25),
                preferred_mentor_type=str(rng.choice(["any", "regional", "international"])),
                availability=_subset(rng, WINDOWS, 0, 3),
                hours_per_month=int(rng.integers(2, 9)),
                ranked_mentors=ranked if rng.random() < 0.3 else (),
                excluded_mentors=frozenset({f"m{int(rng.integers(m))}"})
                if rng.random() < 0.2
                else frozenset(),
            )
        )
    # mentor preferences, so that stable mode has two-sided ranked lists
    mentors = [
        replace(mentor, ranked_mentees=(f"e{int(rng.integers(n))}",))
        if n and rng.random() < 0.3
        else mentor
        for mentor in mentors
    ]
    return mentees, mentors


# --- the independent reference -------------------------------------------------------------


def score_matrix(mentees, mentors, config) -> np.ndarray:
    """explain_pair's score for every pair; NaN where a hard rule fails."""
    out = np.full((len(mentees), len(mentors)), np.nan)
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            if (mentee.id, mentor.id) in config.forbidden:
                continue
            explained = explain_pair(mentee, mentor, config)
            if explained is not None:
                out[i, j] = explained[0]
    return out


def scipy_optimum(scores: np.ndarray, capacities: list[int]) -> tuple[int, float]:
    """(matched, total score) of the lexicographic optimum, by linear_sum_assignment on
    the slot-expanded matrix: a bonus per matched mentee larger than any score sum, and a
    big penalty on ineligible pairs (an assigned ineligible pair means unmatched)."""
    n = scores.shape[0]
    slots = [j for j, c in enumerate(capacities) for _ in range(max(c, 0))]
    if n == 0 or not slots:
        return 0, 0.0
    expanded = scores[:, slots]
    eligible = ~np.isnan(expanded)
    bonus = n + 1.0
    cost = np.where(eligible, -(bonus + np.nan_to_num(expanded)), bonus)
    rows, cols = linear_sum_assignment(cost)
    chosen = eligible[rows, cols]
    return int(chosen.sum()), float(expanded[rows, cols][chosen].sum())


def greedy(scores: np.ndarray, capacities: list[int]) -> tuple[int, float]:
    """Mentees in order, each takes her best-scoring eligible mentor with a free place."""
    left = [max(c, 0) for c in capacities]
    matched, total = 0, 0.0
    for row in scores:
        best = None
        for j, s in enumerate(row):
            if not np.isnan(s) and left[j] > 0 and (best is None or s > row[best]):
                best = j
        if best is not None:
            left[best] -= 1
            matched += 1
            total += float(row[best])
    return matched, total


def level_ok(level, minimum) -> bool:
    return level_rank(level) >= level_rank(minimum)


def assert_hard_rules(mentees, mentors, config, result):
    by_mentee = {m.id: m for m in mentees}
    by_mentor = {m.id: m for m in mentors}
    assigned = [a.mentee_id for a in result.assignments]
    assert len(assigned) == len(set(assigned)), "a mentee got two mentors"
    unmatched = [u.mentee_id for u in result.unmatched]
    assert sorted(assigned + unmatched) == sorted(by_mentee), "mentees lost or duplicated"
    load: dict[str, int] = {}
    for a in result.assignments:
        mentee, mentor = by_mentee[a.mentee_id], by_mentor[a.mentor_id]
        load[mentor.id] = load.get(mentor.id, 0) + 1
        if (a.mentee_id, a.mentor_id) in config.locked:
            continue
        assert (a.mentee_id, a.mentor_id) not in config.forbidden
        assert mentor.id not in mentee.excluded_mentors
        assert not mentee.is_minor or mentor.is_cleared_for_minors
        shared = [
            code
            for code, level in mentee.languages.items()
            if code in mentor.languages
            and level_ok(level, config.min_language_level)
            and level_ok(mentor.languages[code], config.min_language_level)
        ]
        assert shared, f"{a.mentee_id}-{a.mentor_id} share no working language"
        explained = explain_pair(mentee, mentor, config)
        assert explained is not None
        assert a.score == pytest.approx(explained[0], abs=1e-9)
        assert 0.0 <= a.score <= 1.0 + 1e-12
        assert sum(f.contribution for f in a.factors) == pytest.approx(a.score, abs=1e-9)
    locked_load: dict[str, int] = {}
    for mentee_id, mentor_id in config.locked:
        locked_load[mentor_id] = locked_load.get(mentor_id, 0) + 1
        assert any(
            a.mentee_id == mentee_id and a.mentor_id == mentor_id for a in result.assignments
        ), "a locked pair was dropped"
    for mentor_id, count in load.items():
        assert count <= max(by_mentor[mentor_id].capacity, locked_load.get(mentor_id, 0))


def totals(result) -> tuple[int, float]:
    return len(result.assignments), float(sum(a.score for a in result.assignments))


def candidate_matrix(mentees, mentors, result) -> np.ndarray:
    """The result's candidate pairs as a matrix of scores, NaN elsewhere."""
    e_pos = {m.id: i for i, m in enumerate(mentees)}
    m_pos = {m.id: j for j, m in enumerate(mentors)}
    out = np.full((len(mentees), len(mentors)), np.nan)
    for mentee_id, mentor_id, score in result.candidates:
        out[e_pos[mentee_id], m_pos[mentor_id]] = score
    return out


def blocking_pairs(mentees, mentors, scores, result) -> int:
    """Blocking pairs of a stable-mode result, counted from the definition over its
    candidate graph (``scores``: NaN where a pair is not a candidate)."""
    e_pos = {m.id: i for i, m in enumerate(mentees)}
    m_pos = {m.id: j for j, m in enumerate(mentors)}

    def ranks(ranked, pos):
        out: dict[int, int] = {}
        for k, x in enumerate(ranked):
            if x in pos and pos[x] not in out:
                out[pos[x]] = k
        return out

    def mentee_key(i, j):
        return (ranks(mentees[i].ranked_mentors, m_pos).get(j, 10**9), -scores[i, j], j)

    def mentor_key(i, j):
        return (ranks(mentors[j].ranked_mentees, e_pos).get(i, 10**9), -scores[i, j], i)

    partner = {e_pos[a.mentee_id]: m_pos[a.mentor_id] for a in result.assignments}
    held: dict[int, list[int]] = {}
    for i, j in partner.items():
        held.setdefault(j, []).append(i)
    count = 0
    for i, j in zip(*np.nonzero(~np.isnan(scores)), strict=True):
        i, j = int(i), int(j)
        mine = partner.get(i)
        if mine is not None and mentee_key(i, mine) <= mentee_key(i, j):
            continue
        here = held.get(j, [])
        if len(here) < mentors[j].capacity or any(
            mentor_key(i, j) < mentor_key(x, j) for x in here
        ):
            count += 1
    return count


def check_instance(mentees, mentors, config=None):
    config = config or MatchConfig()
    scores = score_matrix(mentees, mentors, config)
    capacities = [m.capacity for m in mentors]

    optimal = match(mentees, mentors, config)
    assert_hard_rules(mentees, mentors, config, optimal)
    matched, total = totals(optimal)
    best_matched, best_total = scipy_optimum(scores, capacities)
    assert matched == best_matched
    assert total == pytest.approx(best_total, abs=TOL)

    greedy_matched, greedy_total = greedy(scores, capacities)
    assert matched >= greedy_matched
    if matched == greedy_matched:
        assert total >= greedy_total - TOL

    stable_config = replace(config, mode="stable")
    stable = match(mentees, mentors, stable_config)
    assert_hard_rules(mentees, mentors, stable_config, stable)
    assert stable.blocking_pairs == 0
    # Small instances: the candidate graph is every eligible pair, with explain_pair's
    # scores (to rounding: vectorised and per-pair arithmetic differ in the last bits).
    # Stability is judged on the candidate scores themselves, where exact ties are ties.
    graph = candidate_matrix(mentees, mentors, stable)
    assert np.array_equal(np.isnan(graph), np.isnan(scores))
    assert np.allclose(graph, scores, atol=1e-9, equal_nan=True)
    assert blocking_pairs(mentees, mentors, graph, stable) == 0
    assert len(stable.assignments) <= matched
    return optimal, stable


# --- the tests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "n", "m"),
    [(1, 6, 3), (2, 12, 5), (3, 20, 8), (4, 25, 6), (5, 30, 12), (6, 8, 8), (7, 40, 10)],
)
def test_optimal_equals_scipy_on_random_instances(seed, n, m):
    check_instance(*make_instance(seed, n, m))


def test_scarce_seats_and_plenty_of_seats():
    check_instance(*make_instance(11, 40, 5, max_capacity=2))  # seats run out
    check_instance(*make_instance(12, 10, 12, max_capacity=4))  # seats to spare


def test_stricter_language_level():
    mentees, mentors = make_instance(13, 25, 8)
    check_instance(mentees, mentors, MatchConfig(min_language_level="C1"))


def test_locked_and_forbidden_pairs():
    mentees, mentors = make_instance(21, 20, 6)
    config = MatchConfig()
    scores = score_matrix(mentees, mentors, config)
    eligible = list(zip(*np.nonzero(~np.isnan(scores)), strict=True))
    rng = np.random.default_rng(21)
    picks = [eligible[int(k)] for k in rng.choice(len(eligible), size=6, replace=False)]
    locked, forbidden, seen = [], [], set()
    for i, j in picks:
        if i in seen:
            continue
        seen.add(i)
        target = locked if len(locked) < 2 and mentors[j].capacity > 0 else forbidden
        target.append((mentees[i].id, mentors[j].id))
    config = MatchConfig(locked=frozenset(locked), forbidden=frozenset(forbidden))
    result = match(mentees, mentors, config)
    assert_hard_rules(mentees, mentors, config, result)

    # the rest must be optimal given the locks: solve without the locked mentees and
    # with the locked places taken
    locked_idx = {int(i): int(j) for i, j in picks if (mentees[i].id, mentors[j].id) in locked}
    rest = [i for i in range(len(mentees)) if i not in locked_idx]
    capacities = [m.capacity for m in mentors]
    for j in locked_idx.values():
        capacities[j] -= 1
    fscores = score_matrix(mentees, mentors, config)
    best_matched, best_total = scipy_optimum(fscores[rest], capacities)
    locked_total = sum(float(scores[i, j]) for i, j in locked_idx.items())
    matched, total = totals(result)
    assert matched == best_matched + len(locked_idx)
    assert total == pytest.approx(best_total + locked_total, abs=TOL)


def test_reference_catches_a_worse_assignment():
    # the checks above are not vacuous: a greedy matching is worse than the optimum here
    mentees, mentors = make_instance(31, 40, 5, max_capacity=2)
    scores = score_matrix(mentees, mentors, MatchConfig())
    capacities = [m.capacity for m in mentors]
    assert greedy(scores, capacities) != scipy_optimum(scores, capacities)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 18),
    m=st.integers(1, 7),
    max_capacity=st.integers(0, 3),
)
def test_hypothesis_optimal_stable_and_rules(seed, n, m, max_capacity):
    check_instance(*make_instance(seed, n, m, max_capacity=max_capacity))
