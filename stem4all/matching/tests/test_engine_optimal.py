"""Optimal mode: the lexicographic optimum and its options, against brute force and
scipy, plus determinism, the summary and the repair of a pruned graph."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from stem4all.matching.engine import explain_pair, match, optimal
from stem4all.matching.engine.model import MatchConfig, Mentee, Mentor


def mentee(id_, **kw) -> Mentee:
    kw.setdefault("languages", {"ru": None})
    return Mentee(id=id_, **kw)


def mentor(id_, **kw) -> Mentor:
    kw.setdefault("languages", {"ru": None})
    kw.setdefault("capacity", 1)
    return Mentor(id=id_, **kw)


def random_instance(seed: int, n: int, m: int, max_capacity: int = 2):
    rng = np.random.default_rng(seed)
    fields = ("software", "physics", "biology", "energy")
    words = ["data", "climate", "robots", "solar", "genetics", "teaching", "research"]

    def langs():
        out = {c: str(rng.choice(["B1", "B2", "C1", "native"])) for c in ("ky", "ru", "en")}
        return {c: v for c, v in out.items() if rng.random() < 0.6} or {"ru": "B2"}

    def pick(k):
        return frozenset(fields[int(x)] for x in rng.choice(len(fields), size=k, replace=False))

    mentors = [
        mentor(
            f"m{j}",
            languages=langs(),
            capacity=int(rng.integers(0, max_capacity + 1)),
            fields=pick(int(rng.integers(1, 3))),
            expertise=" ".join(rng.choice(words, size=3)),
            country="US" if rng.random() < 0.35 else "KG",
            region=str(rng.choice(["bishkek", "naryn"])),
            is_cleared_for_minors=bool(rng.random() < 0.6),
        )
        for j in range(m)
    ]
    mentees = [
        mentee(
            f"e{i}",
            languages=langs(),
            fields=pick(int(rng.integers(1, 3))),
            goal=" ".join(rng.choice(words, size=4)),
            region=str(rng.choice(["bishkek", "naryn", "osh"])),
            is_minor=bool(rng.random() < 0.2),
            preferred_mentor_type=str(rng.choice(["any", "regional", "international"])),
        )
        for i in range(n)
    ]
    return mentees, mentors


def score_matrix(mentees, mentors, config) -> np.ndarray:
    out = np.full((len(mentees), len(mentors)), np.nan)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            explained = explain_pair(e, m, config)
            if explained is not None:
                out[i, j] = explained[0]
    return out


def assignments(mentees, mentors, scores):
    """Every feasible assignment: (mentor index or None per mentee, matched, total)."""
    options = [[None, *np.flatnonzero(~np.isnan(row)).tolist()] for row in scores]
    capacity = [m.capacity for m in mentors]
    for choice in itertools.product(*options):
        load = np.bincount([j for j in choice if j is not None], minlength=len(mentors))
        if (load <= capacity).all():
            total = sum(scores[i, j] for i, j in enumerate(choice) if j is not None)
            yield choice, sum(j is not None for j in choice), total


def totals(result) -> tuple[int, float]:
    return len(result.assignments), sum(a.score for a in result.assignments)


def regional_matched(result, mentees) -> int:
    regional = {e.id for e in mentees if e.is_from_regions}
    return sum(a.mentee_id in regional for a in result.assignments)


# --- the lexicographic objective ------------------------------------------------------------------


def test_optimal_matches_more_mentees_than_greedy_by_score():
    # ada fits both mentors and scores best with xenia; bea can only have xenia.
    ada = mentee("ada", fields=frozenset({"physics"}), languages={"ru": None, "ky": None})
    bea = mentee("bea", languages={"ky": None})
    xenia = mentor("xenia", fields=frozenset({"physics"}), languages={"ru": None, "ky": None})
    yana = mentor("yana")
    scores = score_matrix([ada, bea], [xenia, yana], MatchConfig())
    assert scores[0, 0] > scores[1, 0] and scores[0, 0] > scores[0, 1]
    # greedy by score takes the best pair first and strands bea
    assert np.isnan(scores[1, 1])
    result = match([ada, bea], [xenia, yana])
    assert {(a.mentee_id, a.mentor_id) for a in result.assignments} == {
        ("ada", "yana"),
        ("bea", "xenia"),
    }
    assert result.summary["matched"] == 2


@pytest.mark.parametrize("seed", range(24))
def test_optimum_equals_brute_force_on_small_random_instances(seed):
    mentees, mentors = random_instance(seed, 6, 3)
    config = MatchConfig(spread_load=seed % 3 == 0)
    scores = score_matrix(mentees, mentors, config)

    def objective(choice, matched, total):
        if not config.spread_load:
            return matched, total
        load = np.bincount([j for j in choice if j is not None], minlength=len(mentors))
        return matched, total - config.spread_penalty * float((load * (load - 1) / 2).sum())

    best = max(objective(*a) for a in assignments(mentees, mentors, scores))
    result = match(mentees, mentors, config)
    matched, total = totals(result)
    chosen = {a.mentee_id: a.mentor_id for a in result.assignments}
    choice = tuple(
        None if e.id not in chosen else [m.id for m in mentors].index(chosen[e.id]) for e in mentees
    )
    got = objective(choice, matched, total)
    assert got[0] == best[0]
    assert got[1] == pytest.approx(best[1], abs=1e-6)


@pytest.mark.parametrize(("seed", "n", "m"), [(1, 30, 8), (2, 40, 12), (3, 25, 25)])
def test_optimum_equals_linear_sum_assignment_on_the_slot_expanded_matrix(seed, n, m):
    mentees, mentors = random_instance(seed, n, m, max_capacity=3)
    scores = score_matrix(mentees, mentors, MatchConfig())
    slots = [j for j, x in enumerate(mentors) for _ in range(x.capacity)]
    expanded = scores[:, slots]
    eligible = ~np.isnan(expanded)
    bonus = n + 1.0
    rows, cols = linear_sum_assignment(
        np.where(eligible, -(bonus + np.nan_to_num(expanded)), bonus)
    )
    ok = eligible[rows, cols]
    matched, total = totals(match(mentees, mentors))
    assert matched == int(ok.sum())
    assert total == pytest.approx(float(expanded[rows, cols][ok].sum()), abs=1e-6)


# --- options --------------------------------------------------------------------------------------


def test_regional_floor_is_met_when_feasible():
    city = mentee("city", region="bishkek", fields=frozenset({"physics"}))
    village = mentee("village", region="naryn")
    only = mentor("only", region="bishkek", fields=frozenset({"physics"}))
    plain = match([city, village], [only])
    assert [a.mentee_id for a in plain.assignments] == ["city"]
    assert plain.summary["regional_matched_share"] == 0.0
    fair = match([city, village], [only], MatchConfig(regional_floor=1.0))
    assert [a.mentee_id for a in fair.assignments] == ["village"]
    assert fair.summary["regional_floor_target"] == 1
    assert fair.summary["regional_floor_met"] is True
    assert fair.summary["regional_matched_share"] == 1.0
    assert fair.summary["matched"] == plain.summary["matched"]


def test_regional_floor_beyond_reach_matches_as_many_regional_mentees_as_possible():
    mentees = [mentee("a", region="naryn"), mentee("b", region="osh"), mentee("c")]
    result = match(mentees, [mentor("x")], MatchConfig(regional_floor=1.0))
    assert result.summary["matched"] == 1
    assert regional_matched(result, mentees) == 1
    assert result.summary["regional_floor_target"] == 3  # mentee "c" has region "" (regions)
    assert result.summary["regional_floor_met"] is False


@pytest.mark.parametrize("seed", range(12))
def test_regional_floor_keeps_the_matched_count_and_is_exact(seed):
    mentees, mentors = random_instance(100 + seed, 6, 3)
    floor = (0.5, 0.8, 1.0)[seed % 3]
    config = MatchConfig(regional_floor=floor)
    scores = score_matrix(mentees, mentors, config)
    regional = [e.is_from_regions for e in mentees]
    counted = sum(r and not np.isnan(row).all() for r, row in zip(regional, scores, strict=True))
    target = math.ceil(floor * counted - 1e-9)
    every = list(assignments(mentees, mentors, scores))
    most = max(a[1] for a in every)

    def regional_of(choice):
        return sum(j is not None and regional[i] for i, j in enumerate(choice))

    reachable = min(target, max(regional_of(c) for c, k, _t in every if k == most))
    best = max(t for c, k, t in every if k == most and regional_of(c) >= reachable)
    result = match(mentees, mentors, config)
    matched, total = totals(result)
    assert matched == most == totals(match(mentees, mentors))[0]
    assert regional_matched(result, mentees) >= reachable
    assert total == pytest.approx(best, abs=1e-6)


@pytest.mark.parametrize("seed", range(12))
def test_international_cap_is_respected_and_exact(seed):
    mentees, mentors = random_instance(200 + seed, 6, 3)
    share = (0.0, 0.25, 0.5)[seed % 3]
    config = MatchConfig(max_international_share=share)
    scores = score_matrix(mentees, mentors, config)
    international = [m.is_international for m in mentors]

    def allowed(choice, matched):
        used = sum(j is not None and international[j] for j in choice)
        return used <= math.floor(share * matched + 1e-9)

    best = max((k, t) for c, k, t in assignments(mentees, mentors, scores) if allowed(c, k))
    result = match(mentees, mentors, config)
    matched, total = totals(result)
    used = sum(
        international[[m.id for m in mentors].index(a.mentor_id)] for a in result.assignments
    )
    assert used <= math.floor(share * matched + 1e-9)
    assert used == result.summary["international_matches"]
    assert result.summary["international_cap"] == math.floor(share * matched + 1e-9)
    assert matched == best[0]
    assert total == pytest.approx(best[1], abs=1e-6)


def test_spread_load_gives_more_mentors_a_first_mentee_without_losing_matches():
    mentees = [mentee(f"e{k}", fields=frozenset({"physics"})) for k in range(3)]
    star = mentor("star", capacity=3, fields=frozenset({"physics"}))
    others = [mentor("a"), mentor("b")]
    packed = match(mentees, [star, *others])
    assert packed.summary["mentor_load"] == {"mentors_used": 1, "max": 3, "histogram": {0: 2, 3: 1}}
    # the star's shared field is worth 3/12 = 0.25 of score: more than the 0.2 her 2nd
    # place costs, less than the 0.4 of her 3rd
    spread = match(mentees, [star, *others], MatchConfig(spread_load=True))
    assert spread.summary["mentor_load"] == {
        "mentors_used": 2,
        "max": 2,
        "histogram": {0: 1, 1: 1, 2: 1},
    }
    strong = match(mentees, [star, *others], MatchConfig(spread_load=True, spread_penalty=0.3))
    assert strong.summary["mentor_load"]["mentors_used"] == 3
    assert spread.summary["matched"] == strong.summary["matched"] == packed.summary["matched"] == 3


@pytest.mark.parametrize("seed", range(6))
def test_spread_load_never_lowers_the_matched_count(seed):
    mentees, mentors = random_instance(300 + seed, 40, 12, max_capacity=4)
    packed = match(mentees, mentors)
    spread = match(mentees, mentors, MatchConfig(spread_load=True, spread_penalty=1.0))
    assert spread.summary["matched"] == packed.summary["matched"]
    assert (
        spread.summary["mentor_load"]["mentors_used"]
        >= packed.summary["mentor_load"]["mentors_used"]
    )
    assert spread.summary["mentor_load"]["max"] <= packed.summary["mentor_load"]["max"]


def test_options_together_keep_every_promise():
    mentees, mentors = random_instance(7, 60, 15, max_capacity=3)
    config = MatchConfig(regional_floor=0.9, max_international_share=0.2, spread_load=True)
    result = match(mentees, mentors, config)
    s = result.summary
    assert s["international_matches"] <= math.floor(0.2 * s["matched"] + 1e-9)
    assert s["matched"] == totals(match(mentees, mentors, replace(config, regional_floor=None)))[0]


# --- repair of a pruned graph ---------------------------------------------------------------------


def test_unmatched_mentee_gets_a_free_mentor_outside_the_pruned_graph():
    # With top_k=1 every mentee's best is x and every mentor's best is a, so the graph
    # is a-x, b-x, c-x, a-y, a-z: a takes y or z, x takes b or c, and the other one
    # would stay unmatched beside a free mentor she may have. The repair adds that pair.
    mentees = [
        mentee("a", ranked_mentors=("x", "y", "z")),
        mentee("b", ranked_mentors=("x",)),
        mentee("c", ranked_mentors=("x",)),
    ]
    mentors = [mentor(j, ranked_mentees=("a",)) for j in ("x", "y", "z")]
    config = MatchConfig(top_k=1, full_graph_limit=0)
    result = match(mentees, mentors, config)
    assert result.summary["full_graph"] is False
    assert result.summary["repaired_pairs"] >= 1
    assert result.summary["matched"] == 3


# --- determinism, summary, statuses --------------------------------------------------------------


def comparable(result):
    summary = {k: v for k, v in result.summary.items() if k != "seconds"}
    return result.assignments, result.unmatched, list(result.candidates), summary


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_same_input_gives_the_same_output(mode):
    mentees, mentors = random_instance(8, 50, 20)
    config = MatchConfig(mode=mode, top_k=3, full_graph_limit=0)
    assert comparable(match(mentees, mentors, config)) == comparable(
        match(list(mentees), list(mentors), config)
    )


def test_ties_go_to_the_earlier_mentee_when_scores_are_equal():
    result = match([mentee("first"), mentee("second")], [mentor("m")])
    assert [a.mentee_id for a in result.assignments] == ["first"]


def test_summary_has_the_documented_keys_and_is_plain_json():
    mentees, mentors = random_instance(9, 20, 6)
    result = match(mentees, mentors, MatchConfig(regional_floor=0.5, max_international_share=0.3))
    summary = result.summary
    for key in (
        "mentees",
        "mentors",
        "matched",
        "unmatched",
        "matched_share",
        "total_score",
        "mean_score",
        "regional_mentees",
        "regional_matched",
        "regional_matched_share",
        "international_matches",
        "international_share",
        "mentor_load",
        "candidate_pairs",
        "eligible_pairs",
        "seconds",
        "mode",
    ):
        assert key in summary
    assert set(summary["seconds"]) >= {"candidates", "solve", "explain"}
    assert set(summary["mentor_load"]) == {"mentors_used", "max", "histogram"}
    assert sum(summary["mentor_load"]["histogram"].values()) == len(mentors)
    assert summary["matched"] + summary["unmatched"] == len(mentees)
    assert summary["total_score"] == pytest.approx(sum(a.score for a in result.assignments))
    json.dumps(summary)


def test_stable_mode_keeps_locks_and_reports_no_blocking_pairs():
    mentees, mentors = random_instance(10, 20, 8)
    scores = score_matrix(mentees, mentors, MatchConfig())
    i, j = map(int, np.argwhere(~np.isnan(scores))[0])
    config = MatchConfig(mode="stable", locked=frozenset({(mentees[i].id, mentors[j].id)}))
    result = match(mentees, mentors, config)
    assert result.blocking_pairs == 0 and result.summary["blocking_pairs"] == 0
    assert (mentees[i].id, mentors[j].id, True) in {
        (a.mentee_id, a.mentor_id, a.is_locked) for a in result.assignments
    }
    assert totals(result)[0] <= totals(match(mentees, mentors, replace(config, mode="optimal")))[0]


def test_a_solver_status_other_than_optimal_raises():
    with pytest.raises(RuntimeError, match="INFEASIBLE"):
        optimal._check(optimal.min_cost_flow.SimpleMinCostFlow.INFEASIBLE, "test")
