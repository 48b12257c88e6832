"""The matching engine: mentees to mentors, exactly optimal, explained, at national scale.

Pure Python with numpy, scipy and OR-Tools; nothing here imports Django. The platform
(``stem4all.matching.services``) and the spreadsheet command translate their data into
the dataclasses of ``engine.model`` and call ``match``.

``match(mentees, mentors, config) -> MatchResult`` runs four steps.

1. Hard rules (``rules``)
-------------------------
A pair is eligible when they share a working language at ``min_language_level`` or
above (a language without a level counts as fluent), a minor mentee's mentor is cleared
for minors, the mentee did not exclude the mentor, staff did not forbid the pair, and the
mentor has a free place. Nothing trades these against score: no proposed pair ever
breaks one and no mentor ever gets more mentees than her places. Locked pairs are kept
as they are and take their mentor's places; one that breaks a rule other than capacity
raises ``ValueError``, as do malformed input (duplicate ids, unknown levels, negative or
fractional capacities, options out of range) and a mentee locked twice.

2. Soft score (``scoring``)
---------------------------
Each eligible pair gets a score in [0, 1], the weighted mean of eight named factors
(``Weights`` holds the weights, their attribute names are the factor codes):

- ``fields`` (3.0): share of the mentee's STEM fields the mentor covers;
- ``text`` (2.0): TF-IDF cosine of her goal and the mentor's expertise plus field words
  (Unicode tokens, stopwords, sublinear tf, l2; IDF from ``MatchConfig.text_idf``, by
  default every word weighs 1 so that a score never depends on the rest of the cohort);
- ``mentor_type`` (1.5): regional/international as she asked 1, "any" 0.5, unmet 0;
- ``region`` (1.0): regional pairs only, same district 1, same region 0.7;
- ``availability`` (1.0): share of her free windows the mentor shares (0.5 if either
  gave none);
- ``mentee_choice`` (2.0) / ``mentor_choice`` (1.0): rank r in the ranked list,
  (n + 1 - r) / n with n = max(3, len(list));
- ``language`` (0.5): a shared language both speak at C1+ 1, best shared at B2 0.5.

``score = sum(w * value) / sum(w)``; each factor's contribution ``w * value / sum(w)``
is its exact share, so the explanation adds up to the score.

3. Candidate graph (``candidates``)
-----------------------------------
People are grouped into language-profile blocks, within which the language and minors
rules and the language factor are constants, so eligibility costs nothing per pair;
blocks sharing their mentors are scored together in chunks of rows, mostly by one matrix
product, so memory stays bounded (the whole of ``match`` peaked at 1.8 GB at
100,000 x 40,000; never a dense mentees x mentors matrix). Up to ``EXACT_PAIRS`` pairs
the vectorised scores are bitwise those of ``explain_pair``, beyond within 1e-6. Up to
``full_graph_limit`` eligible pairs all are kept; beyond, the union of each mentee's
``top_k`` mentors and each mentor's ``top_k`` mentees (both sides: DESIGN.md measured
91.5% of the optimum from the mentee side alone, 99.6% from the union), found exactly
with sampled lower bounds instead of full sorts. Locked pairs are always kept.

4. Solve
--------
Optimal mode (default, ``optimal``): min-cost flow on source -> mentee -> mentor ->
sink with OR-Tools. ``solve_max_flow_with_min_cost`` computes the maximum number of
mentees that can be matched and then, among matchings of exactly that size, the one with
the highest total score (integer costs -round(score * 1e9), with a tie-break below that
resolution favouring earlier people in input order): a lexicographic optimum,
exact on the candidate graph. Options, each exact too (proofs in ``optimal``):
``max_international_share`` caps international matches at floor(share x matched) via a
shared hub arc, found by max-flow iterations; ``regional_floor`` guarantees at least
ceil(floor x R) matched from-the-regions mentees (R: those with an eligible mentor)
whenever any maximum matching can (a matroid argument shows the floor never costs a
matched mentee), imposed as a lower bound on a hub arc; ``spread_load`` makes a mentor's
(t+1)-th place cost t x ``spread_penalty`` of score, which fills first places first and
never lowers the matched count. When the graph was pruned, a mentee can be left out
while a mentor she may have keeps a place (her top-k mentors are all taken, and she is
not in that mentor's top-k): a few rounds of plain max flow (fast) find such pairs and
add them before the one min-cost solve, and the optimum is checked once more the same way
(re-solved if it still finds one).

Stable mode (``stable``): mentee-proposing deferred acceptance (``stable.solve_stable``)
on the same candidate graph; the result reports its blocking pairs (0). The regional
floor, international cap and spread options apply to optimal mode only.

The result
----------
``assignments`` (in mentee input order; score, explanation, ``is_locked``),
``unmatched`` (input order; the first reason that applies, in ``UnmatchedReason``'s
order, and how many mentors passed the hard rules for her), ``candidates`` (every pair
the solver considered: (mentee id, mentor id, score) tuples, sorted by mentee then
mentor, as a ``CandidateList`` sequence made on access), ``blocking_pairs`` (stable
mode) and ``summary``:

=======================  ==============================================================
``mentees``, ``mentors``  input sizes
``matched``               assignments, locked ones included; ``unmatched`` the rest
``matched_share``         matched / mentees
``total_score``           sum of assigned pairs' scores; ``mean_score`` per assignment
``regional_mentees``      mentees from the regions (Kyrgyzstan outside Bishkek city)
``regional_eligible``     ... with at least one eligible mentor (or locked)
``regional_matched``      ... matched; ``regional_matched_share`` = matched / eligible
``international_matches`` assignments to international mentors;
                          ``international_share`` = that / matched
``mentor_load``           ``{"mentors_used", "max", "histogram": {load: mentors}}`` over
                          every mentor (load 0 included)
``candidate_pairs``       pairs in the candidate graph (locked included)
``eligible_pairs``        pairs passing every hard rule (locked mentees aside)
``eligible_mentees``      mentees with at least one eligible mentor, or locked
``seconds``               ``{"candidates", "solve", "explain", "total"}``
``mode``                  ``optimal`` or ``stable``
``full_graph``            whether every eligible pair was a candidate; ``top_k``
``locked``                locked pairs kept; ``locked_ignored`` (unknown ids);
                          ``locked_over_capacity`` (locks beyond a mentor's places)
``regional_floor``        the option; ``regional_floor_target`` (mentees it asks for),
                          ``regional_floor_met``
``international_cap``     most international matches allowed (None without the option);
                          ``international_cap_reached``
``spread_load``           the option
``repaired_pairs``        pairs added after pruning (see 4); ``repair_rounds``
``blocking_pairs``        stable mode only
=======================  ==============================================================

Same input, same output: every step is deterministic and ties go by input order where a
choice is made (top-k selection; arcs are added in input order).

``explain_pair(mentee, mentor, config)`` gives one pair's score and explanation (None
when a hard rule fails), the same numbers as in a run. ``describe_factor`` and
``describe_unmatched`` put factors and reasons into short English sentences.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import candidates as cand
from . import optimal, rules, scoring
from .explain import (
    describe_factor,
    describe_factors,
    describe_unmatched,
    explain_pair,
    select_factors,
)
from .model import (
    Assignment,
    Candidates,
    Factor,
    MatchConfig,
    MatchResult,
    Mentee,
    Mentor,
    Unmatched,
    UnmatchedReason,
    Weights,
)
from .scoring import FACTORS, fit_idf

__all__ = [
    "FACTORS",
    "Assignment",
    "CandidateList",
    "Candidates",
    "Factor",
    "MatchConfig",
    "MatchResult",
    "Mentee",
    "Mentor",
    "Unmatched",
    "UnmatchedReason",
    "Weights",
    "describe_factor",
    "describe_factors",
    "describe_unmatched",
    "explain_pair",
    "fit_idf",
    "match",
]

REPAIR_ROUNDS = 4  # max-flow rounds looking for pairs the pruning lost


@dataclass
class _Solved:
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray]  # the final candidate graph (unlocked)
    mentee: np.ndarray  # chosen pairs, locked ones aside
    mentor: np.ndarray
    info: dict


def _explain(problem: cand.Problem, i: int, j: int) -> tuple[float, tuple[Factor, ...]]:
    cache = problem.cache
    if "weight" not in cache:
        minimum = rules.min_rank(problem.config)
        cache["weight"] = scoring.normalised_weights(problem.config.weights)
        cache["work_e"] = [rules.working_languages(x.languages, minimum) for x in problem.mentees]
        cache["work_m"] = [rules.working_languages(x.languages, minimum) for x in problem.mentors]
    theirs = cache["work_m"][j]
    score, factors = scoring.pair_factors(
        problem.mentees[i],
        problem.mentors[j],
        problem.config,
        shared_languages=[code for code in cache["work_e"][i] if code in theirs],
        mentee_text=problem.mentee_text[i],
        mentor_text=problem.mentor_text[j],
        weight=cache["weight"],
    )
    return score, select_factors(factors)


def _floor_needed(problem: cand.Problem) -> tuple[int | None, int | None]:
    """(target over all regional mentees, how many more the solver must match)."""
    floor = problem.config.regional_floor
    if floor is None:
        return None, None
    counted = problem.from_regions & ((problem.eligible > 0) | problem.locked_mentee)
    target = math.ceil(floor * int(counted.sum()) - 1e-9)
    locked_regional = sum(1 for i, _j in problem.locked if problem.from_regions[i])
    return target, max(0, target - locked_regional)


def _missing_pairs(problem: cand.Problem, pairs, chosen: np.ndarray, skip_international: bool):
    """Eligible pairs outside the graph between the mentees a matching leaves out and
    the mentors it leaves with a place: each is a direct way to match one more."""
    n, m = problem.n_mentees, problem.n_mentors
    mi, mj, _s = pairs
    free = problem.remaining - np.bincount(mj[chosen], minlength=m)
    matched = np.zeros(n, dtype=bool)
    matched[mi[chosen]] = True
    mentee_mask = ~problem.locked_mentee & ~matched & (problem.eligible > 0)
    mentor_mask = free > 0
    if skip_international:
        mentor_mask &= ~problem.international
    if not mentee_mask.any() or not mentor_mask.any():
        return None
    extra = cand.build(problem, mentee_mask=mentee_mask, mentor_mask=mentor_mask, keep_all=False)
    keys = mi * m + mj  # sorted
    extra_keys = extra[0] * m + extra[1]
    where = np.minimum(np.searchsorted(keys, extra_keys), max(keys.size - 1, 0))
    new = keys[where] != extra_keys if keys.size else np.ones(extra_keys.size, dtype=bool)
    if not new.any():
        return None
    return extra_keys[new], extra[2][new]


def _merge(problem: cand.Problem, pairs, missing):
    m = problem.n_mentors
    keys = np.concatenate([pairs[0] * m + pairs[1], missing[0]])
    scores = np.concatenate([pairs[2], missing[1]])
    order = np.argsort(keys, kind="stable")
    return keys[order] // m, keys[order] % m, scores[order]


def _solve_optimal(problem: cand.Problem, pairs, full_graph: bool) -> _Solved:
    _target, needed = _floor_needed(problem)
    locked_intl = sum(1 for _i, j in problem.locked if problem.international[j])

    def run(pairs):
        mi, mj, s = pairs
        return optimal.solve(
            mi,
            mj,
            s,
            capacity=problem.remaining,
            regional=problem.from_regions,
            international=problem.international,
            config=problem.config,
            floor_needed=needed,
            locked_total=len(problem.locked),
            locked_international=locked_intl,
        )

    repaired = rounds = 0
    if not full_graph:
        # A pruned graph can leave a mentee out while a mentor she may have keeps a
        # place. Find such pairs with cheap max-flow rounds, then solve once.
        for _round in range(REPAIR_ROUNDS):
            chosen = optimal.max_matching(pairs[0], pairs[1], problem.remaining, problem.n_mentees)
            missing = _missing_pairs(problem, pairs, chosen, skip_international=False)
            if missing is None:
                break
            repaired += missing[0].size
            rounds += 1
            pairs = _merge(problem, pairs, missing)
    solution = run(pairs)
    if not full_graph:
        cap_reached = bool(solution.info.get("international_cap_reached"))
        missing = _missing_pairs(problem, pairs, solution.chosen, skip_international=cap_reached)
        if missing is not None:
            repaired += missing[0].size
            rounds += 1
            pairs = _merge(problem, pairs, missing)
            solution = run(pairs)
    mi, mj, _s = pairs
    info = dict(solution.info, repaired_pairs=repaired, repair_rounds=rounds)
    return _Solved(pairs, mi[solution.chosen], mj[solution.chosen], info)


def _solve_stable(problem: cand.Problem, pairs, candidates: Candidates) -> _Solved:
    from .stable import solve_stable

    n, m = problem.n_mentees, problem.n_mentors
    result, blocking = solve_stable(problem.mentees, problem.mentors, candidates, problem.config)
    locked = set(problem.locked)
    keys = np.sort(pairs[0] * m + pairs[1])
    load = np.zeros(m, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    chosen = []
    for i, j in result:
        i, j = int(i), int(j)
        if (i, j) in locked:
            continue
        if problem.locked_mentee[i] or seen[i]:
            raise RuntimeError(f"stable mode gave mentee {problem.mentees[i].id} two mentors")
        k = i * m + j
        where = np.searchsorted(keys, k)
        if where >= keys.size or keys[where] != k:
            raise RuntimeError("stable mode proposed a pair outside the candidate graph")
        load[j] += 1
        if load[j] > problem.remaining[j]:
            raise RuntimeError(f"stable mode exceeded mentor {problem.mentors[j].id}'s places")
        seen[i] = True
        chosen.append((i, j))
    chosen.sort()
    mentee = np.array([p[0] for p in chosen], dtype=np.int64)
    mentor = np.array([p[1] for p in chosen], dtype=np.int64)
    return _Solved(pairs, mentee, mentor, {"blocking_pairs": int(blocking), "repaired_pairs": 0})


def _unmatched(problem: cand.Problem, solved: _Solved) -> list[Unmatched]:
    m = problem.n_mentors
    matched = problem.locked_mentee.copy()
    matched[solved.mentee] = True
    left = np.flatnonzero(~matched)
    free = problem.remaining - np.bincount(solved.mentor, minlength=m)
    regional, international = cand.free_eligible_counts(problem, left, free)
    cap_reached = bool(solved.info.get("international_cap_reached"))
    out = []
    for k, i in enumerate(left.tolist()):
        reason = rules.unmatched_reason(
            n_language=int(problem.n_language[i]),
            is_minor=bool(problem.is_minor[i]),
            n_minor_ok=int(problem.n_minor_ok[i]),
            n_not_excluded=int(problem.n_not_excluded[i]),
            n_with_place=int(problem.eligible[i]),
            n_free_regional=int(regional[k]),
            n_free_international=int(international[k]),
            international_cap_reached=cap_reached,
        )
        out.append(Unmatched(problem.mentees[i].id, reason, int(problem.eligible[i])))
    return out


class CandidateList(Sequence):
    """``MatchResult.candidates``: every pair the solver considered, as
    (mentee_id, mentor_id, score) tuples made on access from the candidate arrays (a
    list of millions of tuples would cost gigabytes). Iterate it, index it, ``len`` it,
    or ``list()`` it."""

    _BATCH = 65_536

    def __init__(self, mentee_ids: np.ndarray, mentor_ids: np.ndarray, candidates: Candidates):
        self._mentee_ids = mentee_ids
        self._mentor_ids = mentor_ids
        self._candidates = candidates

    def __len__(self) -> int:
        return int(self._candidates.score.size)

    def _rows(self, start: int, stop: int) -> list[tuple[str, str, float]]:
        c = self._candidates
        return list(
            zip(
                self._mentee_ids[c.mentee_index[start:stop]].tolist(),
                self._mentor_ids[c.mentor_index[start:stop]].tolist(),
                c.score[start:stop].tolist(),
                strict=True,
            )
        )

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self._rows(start, stop)
            return [self[k] for k in range(start, stop, step)]
        k = index + len(self) if index < 0 else index
        if not 0 <= k < len(self):
            raise IndexError("candidate index out of range")
        return self._rows(k, k + 1)[0]

    def __iter__(self):
        for start in range(0, len(self), self._BATCH):
            yield from self._rows(start, start + self._BATCH)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or len(other) != len(self):
            return False
        return all(a == tuple(b) for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<CandidateList of {len(self)} pairs>"


def _candidate_list(problem: cand.Problem, candidates: Candidates) -> CandidateList:
    mentee_ids = np.array([x.id for x in problem.mentees], dtype=object)
    mentor_ids = np.array([x.id for x in problem.mentors], dtype=object)
    return CandidateList(mentee_ids, mentor_ids, candidates)


def _summary(
    problem: cand.Problem,
    assignments: list[Assignment],
    unmatched: list[Unmatched],
    solved: _Solved,
    candidates: Candidates,
    build_stats: dict,
) -> dict:
    config = problem.config
    n, m = problem.n_mentees, problem.n_mentors
    mentor_pos = {x.id: j for j, x in enumerate(problem.mentors)}
    mentee_pos = {x.id: i for i, x in enumerate(problem.mentees)}
    matched = len(assignments)
    total = float(sum(a.score for a in assignments))
    load = np.zeros(m, dtype=np.int64)
    regional_matched = international = 0
    for a in assignments:
        j = mentor_pos[a.mentor_id]
        load[j] += 1
        international += int(problem.international[j])
        regional_matched += int(problem.from_regions[mentee_pos[a.mentee_id]])
    histogram = {int(k): int(v) for k, v in sorted(Counter(load.tolist()).items())}
    regional_eligible = int(
        (problem.from_regions & ((problem.eligible > 0) | problem.locked_mentee)).sum()
    )
    target, _needed = _floor_needed(problem)
    over = np.maximum(
        np.bincount([j for _i, j in problem.locked], minlength=m).astype(np.int64)
        - problem.capacity,
        0,
    )
    info = solved.info
    summary = {
        "mode": config.mode,
        "mentees": n,
        "mentors": m,
        "matched": matched,
        "unmatched": len(unmatched),
        "matched_share": matched / n if n else 0.0,
        "total_score": total,
        "mean_score": total / matched if matched else 0.0,
        "regional_mentees": int(problem.from_regions.sum()),
        "regional_eligible": regional_eligible,
        "regional_matched": regional_matched,
        "regional_matched_share": regional_matched / regional_eligible
        if regional_eligible
        else 0.0,
        "international_matches": international,
        "international_share": international / matched if matched else 0.0,
        "mentor_load": {
            "mentors_used": int((load > 0).sum()),
            "max": int(load.max()) if m else 0,
            "histogram": histogram,
        },
        "candidate_pairs": int(candidates.score.size),
        "eligible_pairs": int(build_stats.get("eligible_pairs", 0)),
        "eligible_mentees": int(((problem.eligible > 0) | problem.locked_mentee).sum()),
        "full_graph": bool(build_stats.get("full_graph", True)),
        "top_k": config.top_k,
        "locked": len(problem.locked),
        "locked_ignored": problem.locked_ignored,
        "locked_over_capacity": int(over.sum()),
        "regional_floor": config.regional_floor,
        "regional_floor_target": target,
        "regional_floor_met": None if target is None else regional_matched >= target,
        "international_cap": info.get("international_cap"),
        "international_cap_reached": info.get("international_cap_reached"),
        "spread_load": config.spread_load,
        "repaired_pairs": int(info.get("repaired_pairs", 0)),
        "repair_rounds": int(info.get("repair_rounds", 0)),
    }
    if config.mode == "stable":
        summary["blocking_pairs"] = info.get("blocking_pairs")
    return summary


def match(
    mentees: Sequence[Mentee], mentors: Sequence[Mentor], config: MatchConfig | None = None
) -> MatchResult:
    """Match mentees to mentors; see the module docstring for the whole method."""
    config = config or MatchConfig()
    started = time.perf_counter()
    mentees, mentors = list(mentees), list(mentors)
    problem = cand.prepare(mentees, mentors, config)
    locked_explained = [_explain(problem, i, j) for i, j in problem.locked]
    pairs = cand.build(problem)
    build_stats = dict(problem.stats)
    candidates = cand.as_candidates(problem, pairs, [s for s, _f in locked_explained])
    after_candidates = time.perf_counter()

    if config.mode == "stable":
        solved = _solve_stable(problem, pairs, candidates)
    else:
        solved = _solve_optimal(problem, pairs, bool(build_stats.get("full_graph", True)))
        if solved.pairs[0].size != pairs[0].size:
            candidates = cand.as_candidates(
                problem, solved.pairs, [s for s, _f in locked_explained]
            )
    after_solve = time.perf_counter()

    chosen = {int(i): (int(j), False) for i, j in zip(solved.mentee, solved.mentor, strict=True)}
    for (i, j), explained in zip(problem.locked, locked_explained, strict=True):
        chosen[i] = (j, True, explained)
    assignments = []
    for i in sorted(chosen):
        j, is_locked, *known = chosen[i]
        score, factors = known[0] if known else _explain(problem, i, j)
        assignments.append(
            Assignment(
                mentee_id=mentees[i].id,
                mentor_id=mentors[j].id,
                score=score,
                factors=factors,
                is_locked=is_locked,
            )
        )
    unmatched = _unmatched(problem, solved)
    candidate_list = _candidate_list(problem, candidates)
    finished = time.perf_counter()

    summary = _summary(problem, assignments, unmatched, solved, candidates, build_stats)
    summary["seconds"] = {
        "candidates": round(after_candidates - started, 4),
        "solve": round(after_solve - after_candidates, 4),
        "explain": round(finished - after_solve, 4),
        "total": round(finished - started, 4),
    }
    return MatchResult(
        assignments=assignments,
        unmatched=unmatched,
        candidates=candidate_list,
        summary=summary,
        blocking_pairs=solved.info.get("blocking_pairs") if config.mode == "stable" else None,
    )
