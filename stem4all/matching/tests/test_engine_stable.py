"""Stable mode (engine.stable): deferred acceptance with capacities on the candidate graph.

Every check here recomputes preferences and blocking pairs in plain Python straight from
the definitions, independently of the numpy code under test; small instances are also
solved by brute force over all matchings to check mentee-optimality."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stem4all.matching.engine.model import Candidates, MatchConfig, Mentee, Mentor
from stem4all.matching.engine.stable import count_blocking_pairs, solve_stable

# --- building instances -------------------------------------------------------------


def people(n_mentees, capacities, mentee_ranks=None, mentor_ranks=None):
    mentee_ranks = mentee_ranks or {}
    mentor_ranks = mentor_ranks or {}
    mentees = [
        Mentee(
            id=f"e{i}",
            languages={"en": None},
            ranked_mentors=tuple(f"m{j}" for j in mentee_ranks.get(i, ())),
        )
        for i in range(n_mentees)
    ]
    mentors = [
        Mentor(
            id=f"m{j}",
            languages={"en": None},
            capacity=c,
            ranked_mentees=tuple(f"e{i}" for i in mentor_ranks.get(j, ())),
        )
        for j, c in enumerate(capacities)
    ]
    return mentees, mentors


def candidates(pairs: dict[tuple[int, int], float], n_mentees: int) -> Candidates:
    items = sorted(pairs.items())
    return Candidates(
        mentee_index=np.asarray([i for (i, _j), _s in items], dtype=np.int32),
        mentor_index=np.asarray([j for (_i, j), _s in items], dtype=np.int32),
        score=np.asarray([s for _p, s in items], dtype=np.float64),
        eligible=np.zeros(n_mentees, dtype=np.int32),
    )


# --- the reference, straight from the definitions ------------------------------------


class Reference:
    """Preferences and blocking pairs computed naively from the documented rules."""

    def __init__(self, mentees, mentors, pairs: dict[tuple[int, int], float], config):
        self.mentees, self.mentors, self.config = mentees, mentors, config
        e_pos = {e.id: i for i, e in enumerate(mentees)}
        m_pos = {m.id: j for j, m in enumerate(mentors)}
        forbidden = {(e_pos[a], m_pos[b]) for a, b in config.forbidden if a in e_pos and b in m_pos}
        locks = sorted((e_pos[a], m_pos[b]) for a, b in config.locked)
        self.locked: dict[int, int] = {}
        for i, j in locks:
            self.locked.setdefault(i, j)
        self.score = {
            p: s for p, s in pairs.items() if p not in forbidden and p[0] not in self.locked
        }

        def explicit(ranked, pos):
            out: dict[int, int] = {}
            for k, x in enumerate(ranked):
                if x in pos and pos[x] not in out:
                    out[pos[x]] = k
            return out

        self.mentee_prefs: dict[int, list[int]] = {}
        for i, e in enumerate(mentees):
            ranks = explicit(e.ranked_mentors, m_pos)
            acceptable = [j for (a, j) in self.score if a == i]
            acceptable.sort(key=lambda j, i=i, r=ranks: (r.get(j, 10**9), -self.score[i, j], j))
            self.mentee_prefs[i] = acceptable
        self.mentor_prefs: dict[int, list[int]] = {}
        for j, m in enumerate(mentors):
            ranks = explicit(m.ranked_mentees, e_pos)
            acceptable = [i for (i, b) in self.score if b == j]
            acceptable.sort(key=lambda i, j=j, r=ranks: (r.get(i, 10**9), -self.score[i, j], i))
            self.mentor_prefs[j] = acceptable

    def blocking(self, matching: list[tuple[int, int]]) -> list[tuple[int, int]]:
        partner = dict(matching)
        held: dict[int, list[int]] = {j: [] for j in range(len(self.mentors))}
        for i, j in matching:
            held[j].append(i)
        out = []
        for i, j in self.score:
            prefs = self.mentee_prefs[i]
            mine = partner.get(i)
            if mine is not None and mine in prefs and prefs.index(mine) <= prefs.index(j):
                continue
            m_prefs = self.mentor_prefs[j]
            if len(held[j]) < self.mentors[j].capacity:
                out.append((i, j))
                continue
            movable = [x for x in held[j] if x not in self.locked]
            worst = max(
                (m_prefs.index(x) if x in m_prefs else len(m_prefs) for x in movable),
                default=-1,
            )
            if m_prefs.index(i) < worst:
                out.append((i, j))
        return out

    def all_stable(self) -> list[dict[int, int]]:
        """Every stable matching of the market left after locks (brute force)."""
        free = [i for i in range(len(self.mentees)) if i not in self.locked]
        seats = [self.mentors[j].capacity for j in range(len(self.mentors))]
        for j in self.locked.values():
            seats[j] -= 1
        options = [[None, *self.mentee_prefs[i]] for i in free]
        found = []
        for choice in itertools.product(*options):
            load: dict[int, int] = {}
            for j in choice:
                if j is not None:
                    load[j] = load.get(j, 0) + 1
            if any(c > max(seats[j], 0) for j, c in load.items()):
                continue
            matching = [(i, j) for i, j in zip(free, choice, strict=True) if j is not None]
            matching += list(self.locked.items())
            if not self.blocking(matching):
                found.append(dict(matching))
        return found


def check(mentees, mentors, pairs, config, *, brute_force=False):
    cands = candidates(pairs, len(mentees))
    result, blocking = solve_stable(mentees, mentors, cands, config)
    ref = Reference(mentees, mentors, pairs, config)

    assert blocking == 0
    assert ref.blocking(result) == []
    assert count_blocking_pairs(mentees, mentors, cands, config, result) == 0
    assert result == sorted(result)
    # one mentor per mentee; every pair acceptable or locked; capacities (locks aside)
    mentee_side = [i for i, _j in result]
    assert len(mentee_side) == len(set(mentee_side))
    for i, j in result:
        assert ref.locked.get(i) == j or (i, j) in ref.score
    for i, j in ref.locked.items():
        assert (i, j) in result
    for j, mentor in enumerate(mentors):
        load = sum(1 for _i, b in result if b == j)
        locked_here = sum(1 for b in ref.locked.values() if b == j)
        assert load <= max(mentor.capacity, locked_here)
    if brute_force:
        stable = ref.all_stable()
        ours = dict(result)
        assert ours in stable
        for other in stable:  # mentee-optimal: every mentee weakly prefers ours
            for i in range(len(mentees)):
                if i in ref.locked:
                    continue
                prefs = ref.mentee_prefs[i]
                mine = prefs.index(ours[i]) if i in ours else len(prefs)
                theirs = prefs.index(other[i]) if i in other else len(prefs)
                assert mine <= theirs
    return result


# --- hand-made instances --------------------------------------------------------------


def full_pairs(n, m, score=0.5):
    return {(i, j): score for i in range(n) for j in range(m)}


def test_textbook_example_gives_the_mentee_optimal_matching():
    # Two stable matchings exist: mentee-optimal {A-X, B-Y, C-Z} and mentor-optimal
    # {A-Y, B-X, C-Z}. Mentee-proposing deferred acceptance must find the first.
    # A: X > Y > Z   B: Y > X > Z   C: X > Y > Z
    # X: B > A > C   Y: A > B > C   Z: A > B > C
    mentees, mentors = people(
        3,
        [1, 1, 1],
        mentee_ranks={0: (0, 1, 2), 1: (1, 0, 2), 2: (0, 1, 2)},
        mentor_ranks={0: (1, 0, 2), 1: (0, 1, 2), 2: (0, 1, 2)},
    )
    pairs = full_pairs(3, 3)
    result = check(mentees, mentors, pairs, MatchConfig(mode="stable"), brute_force=True)
    assert result == [(0, 0), (1, 1), (2, 2)]
    ref = Reference(mentees, mentors, pairs, MatchConfig())
    assert {tuple(sorted(s.items())) for s in ref.all_stable()} == {
        ((0, 0), (1, 1), (2, 2)),
        ((0, 1), (1, 0), (2, 2)),
    }


def test_scores_order_preferences_when_nobody_ranked():
    # Scores alone: e0 and e1 both like m0 best; m0 (capacity 1) prefers e1 (higher score).
    mentees, mentors = people(2, [1, 1])
    pairs = {(0, 0): 0.9, (0, 1): 0.2, (1, 0): 0.95, (1, 1): 0.1}
    assert check(mentees, mentors, pairs, MatchConfig(), brute_force=True) == [(0, 1), (1, 0)]


def test_explicit_ranks_come_before_scores():
    # e0 ranks m1 first although m0 scores higher for her; m1 ranks e0 first.
    mentees, mentors = people(2, [1, 1], mentee_ranks={0: (1,)}, mentor_ranks={1: (0,)})
    pairs = {(0, 0): 0.9, (0, 1): 0.1, (1, 0): 0.5, (1, 1): 0.8}
    assert check(mentees, mentors, pairs, MatchConfig(), brute_force=True) == [(0, 1), (1, 0)]


def test_ties_are_broken_by_index():
    mentees, mentors = people(2, [1, 1])
    pairs = full_pairs(2, 2, score=0.5)
    # Everyone is indifferent by score: e0 takes m0 (lower index), m0 prefers e0.
    assert check(mentees, mentors, pairs, MatchConfig(), brute_force=True) == [(0, 0), (1, 1)]


def test_hospital_residents_with_capacities():
    # Five mentees, two mentors with two places each: the worst-ranked mentee is left out.
    mentees, mentors = people(5, [2, 2])
    pairs = {
        (0, 0): 0.9, (0, 1): 0.8,
        (1, 0): 0.85, (1, 1): 0.3,
        (2, 0): 0.7, (2, 1): 0.6,
        (3, 0): 0.2, (3, 1): 0.65,
        (4, 0): 0.1, (4, 1): 0.05,
    }  # fmt: skip
    result = check(mentees, mentors, pairs, MatchConfig(), brute_force=True)
    assert result == [(0, 0), (1, 0), (2, 1), (3, 1)]
    assert all(i != 4 for i, _ in result)


def test_pairs_outside_the_candidates_are_unacceptable():
    mentees, mentors = people(3, [3])
    pairs = {(0, 0): 0.4, (2, 0): 0.6}  # e1 has no candidate at all
    assert check(mentees, mentors, pairs, MatchConfig()) == [(0, 0), (2, 0)]


def test_zero_capacity_mentor_takes_nobody():
    mentees, mentors = people(2, [0, 1])
    pairs = {(0, 0): 0.9, (1, 0): 0.9, (0, 1): 0.2, (1, 1): 0.3}
    assert check(mentees, mentors, pairs, MatchConfig(), brute_force=True) == [(1, 1)]


def test_locked_pairs_are_kept_and_use_capacity():
    mentees, mentors = people(3, [1, 1])
    pairs = {(0, 0): 0.9, (1, 0): 0.8, (1, 1): 0.7, (2, 1): 0.6}
    config = MatchConfig(mode="stable", locked=frozenset({("e2", "m0")}))
    # e2 is fixed to m0 although that pair is not even a candidate; m0 is then full.
    result = check(mentees, mentors, pairs, config, brute_force=True)
    assert result == [(1, 1), (2, 0)]
    # a lock beyond capacity is still kept
    config = MatchConfig(locked=frozenset({("e0", "m1"), ("e2", "m1")}))
    result = check(mentees, mentors, pairs, config, brute_force=True)
    assert (0, 1) in result and (2, 1) in result


def test_forbidden_and_duplicate_pairs():
    mentees, mentors = people(2, [1, 1])
    cands = Candidates(
        mentee_index=np.asarray([0, 0, 1, 0], dtype=np.int32),
        mentor_index=np.asarray([0, 1, 1, 1], dtype=np.int32),
        score=np.asarray([0.9, 0.1, 0.5, 0.95], dtype=np.float64),
        eligible=np.zeros(2, dtype=np.int32),
    )
    # duplicate (0, 1) keeps its higher score 0.95, so e0 prefers m1 and gets it
    assert solve_stable(mentees, mentors, cands, MatchConfig()) == ([(0, 1)], 0)
    config = MatchConfig(forbidden=frozenset({("e0", "m1")}))
    assert solve_stable(mentees, mentors, cands, config) == ([(0, 0), (1, 1)], 0)


def test_count_blocking_pairs_detects_a_planted_blocking_pair():
    mentees, mentors = people(2, [1, 1])
    pairs = {(0, 0): 0.9, (0, 1): 0.2, (1, 0): 0.3, (1, 1): 0.8}
    cands = candidates(pairs, 2)
    config = MatchConfig()
    assert count_blocking_pairs(mentees, mentors, cands, config, [(0, 0), (1, 1)]) == 0
    # swapping the partners plants two blocking pairs: (e0, m0) and (e1, m1)
    assert count_blocking_pairs(mentees, mentors, cands, config, [(0, 1), (1, 0)]) == 2
    # an unmatched mentee next to a mentor with a free place blocks too
    assert count_blocking_pairs(mentees, mentors, cands, config, [(0, 0)]) == 1
    # a locked mentee never blocks, and her mentor cannot give her up
    locked = MatchConfig(locked=frozenset({("e1", "m0")}))
    assert count_blocking_pairs(mentees, mentors, cands, locked, [(0, 1), (1, 0)]) == 0


def test_count_blocking_pairs_on_a_larger_planted_instance():
    rng = np.random.default_rng(7)
    n, m = 60, 15
    mentees, mentors = people(n, [int(c) for c in rng.integers(1, 4, m)])
    pairs = {(i, j): float(rng.random()) for i in range(n) for j in range(m) if rng.random() < 0.4}
    config = MatchConfig()
    result = check(mentees, mentors, pairs, config)
    ref = Reference(mentees, mentors, pairs, config)
    cands = candidates(pairs, n)
    # unmatch one mentee: she and her former mentor (now with a free place) block
    victim = result[0][0]
    broken = [p for p in result if p[0] != victim]
    expected = len(ref.blocking(broken))
    assert expected >= 1
    assert count_blocking_pairs(mentees, mentors, cands, config, broken) == expected


def test_invalid_candidates_are_refused():
    mentees, mentors = people(1, [1])
    bad = Candidates(
        mentee_index=np.asarray([0], dtype=np.int32),
        mentor_index=np.asarray([3], dtype=np.int32),
        score=np.asarray([0.5]),
        eligible=np.zeros(1, dtype=np.int32),
    )
    with pytest.raises(ValueError, match="outside"):
        solve_stable(mentees, mentors, bad, MatchConfig())
    nan = Candidates(
        mentee_index=np.asarray([0], dtype=np.int32),
        mentor_index=np.asarray([0], dtype=np.int32),
        score=np.asarray([np.nan]),
        eligible=np.zeros(1, dtype=np.int32),
    )
    with pytest.raises(ValueError, match="finite"):
        solve_stable(mentees, mentors, nan, MatchConfig())


def test_empty_inputs():
    mentees, mentors = people(0, [])
    assert solve_stable(mentees, mentors, candidates({}, 0), MatchConfig()) == ([], 0)
    mentees, mentors = people(3, [2])
    assert solve_stable(mentees, mentors, candidates({}, 3), MatchConfig()) == ([], 0)


def test_medium_random_instance_with_ranks_and_locks():
    rng = np.random.default_rng(2024)
    n, m = 1500, 400
    mentee_ranks = {
        i: tuple(int(x) for x in rng.choice(m, 3, replace=False)) for i in range(0, n, 7)
    }
    mentor_ranks = {
        j: tuple(int(x) for x in rng.choice(n, 5, replace=False)) for j in range(0, m, 5)
    }
    mentees, mentors = people(
        n, [int(c) for c in rng.integers(0, 5, m)], mentee_ranks, mentor_ranks
    )
    keys = np.unique(rng.integers(0, n * m, 30_000))
    scores = np.round(rng.random(keys.size), 2)  # many ties
    pairs = {(int(k // m), int(k % m)): float(s) for k, s in zip(keys, scores, strict=True)}
    locked = frozenset((f"e{i}", f"m{int(rng.integers(m))}") for i in range(0, n, 97))
    config = MatchConfig(mode="stable", locked=locked)
    result = check(mentees, mentors, pairs, config)
    assert len(result) > n // 2


# --- hypothesis -------------------------------------------------------------------------


@st.composite
def markets(draw):
    n = draw(st.integers(0, 5))
    m = draw(st.integers(0, 3))
    capacities = draw(st.lists(st.integers(0, 2), min_size=m, max_size=m))
    all_pairs = [(i, j) for i in range(n) for j in range(m)]
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True) if all_pairs else st.just([]))
    scores = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1)
    pairs = {p: draw(scores) for p in chosen}
    mentee_ranks = {
        i: tuple(draw(st.lists(st.integers(0, max(m - 1, 0)), max_size=3))) if m else ()
        for i in range(n)
    }
    mentor_ranks = {
        j: tuple(draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=3))) if n else ()
        for j in range(m)
    }
    mentees, mentors = people(n, capacities, mentee_ranks, mentor_ranks)
    locked = forbidden = frozenset()
    if all_pairs:
        locked = frozenset(
            (f"e{i}", f"m{j}") for i, j in draw(st.lists(st.sampled_from(all_pairs), max_size=2))
        )
        forbidden = frozenset(
            (f"e{i}", f"m{j}") for i, j in draw(st.lists(st.sampled_from(all_pairs), max_size=2))
        )
    return mentees, mentors, pairs, MatchConfig(locked=locked, forbidden=forbidden)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markets())
def test_hypothesis_stable_and_mentee_optimal(market):
    mentees, mentors, pairs, config = market
    check(mentees, mentors, pairs, config, brute_force=True)


@st.composite
def bigger_markets(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, 80))
    m = draw(st.integers(1, 30))
    density = draw(st.floats(0.02, 0.8))
    capacities = [int(c) for c in rng.integers(0, 5, m)]
    pairs = {
        (i, j): float(np.round(rng.random(), 1))
        for i in range(n)
        for j in range(m)
        if rng.random() < density
    }
    mentee_ranks = {i: tuple(int(x) for x in rng.integers(0, m, 2)) for i in range(0, n, 3)}
    mentor_ranks = {j: tuple(int(x) for x in rng.integers(0, n, 4)) for j in range(0, m, 2)}
    mentees, mentors = people(n, capacities, mentee_ranks, mentor_ranks)
    locked = frozenset((f"e{int(rng.integers(n))}", f"m{int(rng.integers(m))}") for _ in range(2))
    return mentees, mentors, pairs, MatchConfig(locked=locked)


@settings(max_examples=60, deadline=None)
@given(bigger_markets())
def test_hypothesis_no_blocking_pairs_on_bigger_markets(market):
    mentees, mentors, pairs, config = market
    check(mentees, mentors, pairs, config)
