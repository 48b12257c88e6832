"""Stable mode: mentee-proposing deferred acceptance with mentor capacities.

This is the hospital/residents problem (Gale and Shapley 1962; Roth 1984; Gusfield and
Irving 1989): mentees play the residents, mentors the hospitals, ``Mentor.capacity`` the
number of posts.

Acceptability and preferences
-----------------------------
Only the candidate graph counts: a pair that is not in ``Candidates`` is unacceptable to
both sides (the hard rules and the top-k pruning have already removed it), and so is a
pair in ``config.forbidden``. Duplicate candidate pairs are merged, keeping the higher
score.

- A mentee ranks her acceptable mentors by her explicit ``ranked_mentors`` first, in
  her order, then by candidate score, highest first; ties by mentor index.
- A mentor ranks her acceptable mentees by her explicit ``ranked_mentees`` first, in
  her order, then by candidate score, highest first; ties by mentee index.

Both orders are strict, so the stable matching the algorithm finds is unique for a
given input and does not depend on the order in which proposals are processed.

Locked pairs
------------
``config.locked`` holds (mentee_id, mentor_id) pairs that staff fixed. They are placed
first and take one place each from the mentor's capacity; the locked mentee takes no
further part. Pairs whose ids are not in the lists are ignored; if a mentee appears in
several locked pairs, the first by (mentee index, mentor index) is kept. Locked pairs are
kept even when they exceed a mentor's capacity (staff decided); that mentor then has no
free place. For blocking pairs a locked mentee never counts as a blocker and a mentor
cannot give up a locked mentee: stability is judged on the market that remains.

The algorithm
-------------
1. Build both preference orders at once with ``numpy.lexsort`` over the pair arrays:
   the mentee order is the pairs sorted by (mentee, explicit rank, -score, mentor), so
   each mentee's list is one contiguous slice; the mentor order gives every pair a
   global rank ``r`` (position in the sort by (mentor, explicit rank, -score, mentee)),
   so mentor j prefers mentee i to mentee i' exactly when r(i, j) < r(i', j).
2. Every free mentee proposes to the next mentor on her list. Each mentor keeps the
   mentees she holds in a max-heap of their ranks (stored as ``-r``; the mentee is
   recovered from the rank). A mentor with a free place holds the proposal; a full
   mentor compares it with her worst held mentee (the heap top): if the newcomer is
   better, the worst is released and becomes free again, otherwise the newcomer is
   rejected and moves on. A mentee whose list is exhausted stays unmatched.
3. Each mentee only ever moves forward in her list, so the number of proposals is at
   most the number of candidate pairs, each costing O(log capacity): O(P log c) in
   all, plus the O(P log P) sorts. 100,000 x 40,000 with 6 M pairs runs in seconds.

Why the result is stable and mentee-optimal
-------------------------------------------
Stable: if mentee i prefers mentor j to her final mentor (or is unmatched), she proposed
to j and was rejected, either at once or later when j released her. At that moment j was
full with mentees she prefers to i, and j's held mentees only ever improve, so at the end
j is full of mentees she prefers to i: (i, j) does not block.

Mentee-optimal: call mentor j *possible* for mentee i when some stable matching pairs
them. Suppose some mentee is rejected by a possible mentor, and take the first such
rejection in the run: j rejects (or releases) i because she holds capacity(j) mentees she
prefers to i. Let M be a stable matching containing (i, j). In M, j has at most
capacity(j) places and i takes one, so one of those preferred mentees, i', is not with j
in M. Before proposing to j, i' was rejected by every mentor she prefers to j; those
rejections came earlier, so none of those mentors is possible for her, and in M she has a
mentor she likes less than j or none. Then i' prefers j to her partner in M and j prefers
i' to i: (i', j) blocks M, a contradiction. So no mentee is ever rejected by a possible
mentor, and every mentee ends with the best mentor she has in any stable matching: the
result is the mentee-optimal stable matching (and the least preferred one for mentors).

By the rural hospitals theorem, every stable matching matches the same mentees and gives
each mentor the same number of mentees, so the number matched in stable mode cannot be
improved by choosing another stable matching; it is often below the maximum (the
optimal mode's first objective) because stability forbids trading a higher-ranked pair
for two matches.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Candidates, MatchConfig, Mentee, Mentor

__all__ = ["count_blocking_pairs", "solve_stable"]

# Explicit rank given to pairs the person did not rank: after every explicit choice.
_UNRANKED = np.int64(2**40)


@dataclass
class _Market:
    """The stable-matching instance derived from the candidate graph."""

    n_mentees: int
    n_mentors: int
    mentee: np.ndarray  # int64, one per acceptable pair (locked mentees' pairs removed)
    mentor: np.ndarray  # int64
    key: np.ndarray  # int64, mentee * n_mentors + mentor, sorted ascending
    mentee_pos: np.ndarray  # int64, position of the pair in the mentee order (global)
    mentor_rank: np.ndarray  # int64, position of the pair in the mentor order (global)
    mentee_order: np.ndarray  # int64, pair indices in mentee order
    mentor_order: np.ndarray  # int64, pair indices in mentor order
    capacity: np.ndarray  # int64, Mentor.capacity
    locked: list[tuple[int, int]]  # (mentee, mentor), at most one per mentee
    locked_mentee: np.ndarray  # bool, per mentee


def _pair_keys(pairs: Iterable[tuple[str, str]], mentee_pos, mentor_pos, n_mentors) -> list:
    keys = []
    for mentee_id, mentor_id in pairs:
        i = mentee_pos.get(mentee_id)
        j = mentor_pos.get(mentor_id)
        if i is not None and j is not None:
            keys.append(i * n_mentors + j)
    return keys


def _explicit_ranks(people, other_pos, n_mentors, key_of) -> tuple[np.ndarray, np.ndarray]:
    """Sorted pair keys and explicit positions from ranked lists (first mention wins)."""
    keys: list[int] = []
    ranks: list[int] = []
    for a, person in enumerate(people):
        ranked = person.ranked_mentors if isinstance(person, Mentee) else person.ranked_mentees
        if not ranked:
            continue
        seen: set[int] = set()
        for position, other_id in enumerate(ranked):
            b = other_pos.get(other_id)
            if b is None or b in seen:
                continue
            seen.add(b)
            keys.append(key_of(a, b, n_mentors))
            ranks.append(position)
    key_array = np.asarray(keys, dtype=np.int64)
    rank_array = np.asarray(ranks, dtype=np.int64)
    order = np.argsort(key_array, kind="stable")
    return key_array[order], rank_array[order]


def _lookup(sorted_keys: np.ndarray, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """values[k] for each key found in sorted_keys, _UNRANKED for the others."""
    out = np.full(keys.shape, _UNRANKED, dtype=np.int64)
    if sorted_keys.size == 0 or keys.size == 0:
        return out
    where = np.searchsorted(sorted_keys, keys)
    where_clipped = np.minimum(where, sorted_keys.size - 1)
    found = sorted_keys[where_clipped] == keys
    out[found] = values[where_clipped[found]]
    return out


def _explicit_field(explicit: np.ndarray, ranks: np.ndarray) -> tuple[np.ndarray, int] | None:
    """The explicit-rank sort field, with "unranked" mapped to one past the last rank."""
    if ranks.size == 0:
        return None
    last = int(ranks.max()) + 1
    return np.minimum(explicit, last), last + 1


def _sort_order(fields: list[tuple[np.ndarray, int] | None]) -> np.ndarray:
    """Indices sorting by the fields, most significant first; each field is (values,
    radix) with values in [0, radix). The fields include both indices of a pair, so the order
    is total. Packs the fields into one int64 key when they fit (one argsort instead of a
    multi-pass lexsort), else falls back to ``numpy.lexsort``."""
    used = [f for f in fields if f is not None]
    total = 1
    for _values, radix in used:
        total *= max(radix, 1)
    if total < 2**63:
        packed = np.zeros(used[0][0].size, dtype=np.int64)
        for values, radix in used:
            packed *= max(radix, 1)
            packed += values
        return np.argsort(packed)
    return np.lexsort(tuple(values for values, _radix in reversed(used)))


def _build_market(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    candidates: Candidates,
    config: MatchConfig | None,
) -> _Market:
    config = config or MatchConfig()
    n, m = len(mentees), len(mentors)
    mentee_idx = np.asarray(candidates.mentee_index, dtype=np.int64).ravel()
    mentor_idx = np.asarray(candidates.mentor_index, dtype=np.int64).ravel()
    score = np.asarray(candidates.score, dtype=np.float64).ravel()
    if not (mentee_idx.size == mentor_idx.size == score.size):
        raise ValueError("candidates: mentee_index, mentor_index and score differ in length")
    if mentee_idx.size and (mentee_idx.min() < 0 or mentee_idx.max() >= n or mentor_idx.min() < 0):
        raise ValueError("candidates: an index is outside the mentee or mentor list")
    if mentor_idx.size and mentor_idx.max() >= m:
        raise ValueError("candidates: an index is outside the mentee or mentor list")
    if not bool(np.all(np.isfinite(score))):
        raise ValueError("candidates: a score is not a finite number")

    mentee_pos = {mentee.id: i for i, mentee in enumerate(mentees)}
    mentor_pos = {mentor.id: j for j, mentor in enumerate(mentors)}

    # Locked pairs: at most one per mentee, chosen deterministically.
    locked_keys = sorted(set(_pair_keys(config.locked, mentee_pos, mentor_pos, m)))
    locked: list[tuple[int, int]] = []
    locked_mentee = np.zeros(n, dtype=bool)
    for k in locked_keys:
        i, j = divmod(k, m)
        if not locked_mentee[i]:
            locked_mentee[i] = True
            locked.append((i, j))

    # Merge duplicate pairs (keep the higher score), drop forbidden pairs and every pair
    # of a locked mentee. The surviving pairs end up sorted by key.
    key = mentee_idx * m + mentor_idx
    if key.size > 1 and not bool(np.all(key[1:] > key[:-1])):
        order = np.argsort(key, kind="stable")
        if bool(np.any(key[order][1:] == key[order][:-1])):
            order = np.lexsort((-score, key))
        key = key[order]
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        keep = order[first]
        key = key[first]
    else:
        keep = np.arange(key.size, dtype=np.int64)
    forbidden = np.asarray(
        sorted(set(_pair_keys(config.forbidden, mentee_pos, mentor_pos, m))), dtype=np.int64
    )
    alive = ~locked_mentee[key // m] if key.size else np.ones(0, dtype=bool)
    if forbidden.size:
        alive &= ~np.isin(key, forbidden)
    keep = keep[alive]
    key = key[alive]
    mentee_idx = mentee_idx[keep]
    mentor_idx = mentor_idx[keep]
    score = score[keep]

    # Explicit ranks from both sides' ranked lists (0, 1, ... and then "unranked").
    mentee_keys, mentee_ranks = _explicit_ranks(mentees, mentor_pos, m, lambda i, j, mm: i * mm + j)
    mentor_keys, mentor_ranks = _explicit_ranks(mentors, mentee_pos, m, lambda j, i, mm: i * mm + j)
    mentee_explicit = _lookup(mentee_keys, mentee_ranks, key)
    mentor_explicit = _lookup(mentor_keys, mentor_ranks, key)

    # Dense rank of the score, best first (equal scores share a rank).
    by_score = np.argsort(-score, kind="stable")
    score_rank = np.empty(key.size, dtype=np.int64)
    if key.size:
        sorted_scores = score[by_score]
        score_rank[by_score] = np.cumsum(np.r_[0, sorted_scores[1:] != sorted_scores[:-1]])
    n_score_ranks = int(score_rank.max()) + 1 if key.size else 1

    mentee_order = _sort_order(
        [
            (mentee_idx, n),
            _explicit_field(mentee_explicit, mentee_ranks),
            (score_rank, n_score_ranks),
            (mentor_idx, m),
        ]
    )
    mentor_order = _sort_order(
        [
            (mentor_idx, m),
            _explicit_field(mentor_explicit, mentor_ranks),
            (score_rank, n_score_ranks),
            (mentee_idx, n),
        ]
    )
    positions = np.arange(key.size, dtype=np.int64)
    mentee_pos_arr = np.empty(key.size, dtype=np.int64)
    mentee_pos_arr[mentee_order] = positions
    mentor_rank = np.empty(key.size, dtype=np.int64)
    mentor_rank[mentor_order] = positions

    capacity = np.asarray([mentor.capacity for mentor in mentors], dtype=np.int64)
    return _Market(
        n_mentees=n,
        n_mentors=m,
        mentee=mentee_idx,
        mentor=mentor_idx,
        key=key,
        mentee_pos=mentee_pos_arr,
        mentor_rank=mentor_rank,
        mentee_order=mentee_order,
        mentor_order=mentor_order,
        capacity=capacity,
        locked=locked,
        locked_mentee=locked_mentee,
    )


def _deferred_acceptance(market: _Market) -> list[tuple[int, int]]:
    n, m = market.n_mentees, market.n_mentors
    free_places = market.capacity.copy()
    for _i, j in market.locked:
        free_places[j] -= 1
    free_places = np.maximum(free_places, 0).tolist()

    order = market.mentee_order
    sorted_mentees = market.mentee[order]
    bounds = np.searchsorted(sorted_mentees, np.arange(n + 1, dtype=np.int64))
    proposal_mentor = market.mentor[order].tolist()
    proposal_rank = market.mentor_rank[order].tolist()
    mentee_of_rank = market.mentee[market.mentor_order].tolist()
    next_choice = bounds[:-1].tolist()
    list_end = bounds[1:].tolist()

    held: list[list[int]] = [[] for _ in range(m)]  # per mentor: -rank of held mentees
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    free = [i for i in range(n - 1, -1, -1) if next_choice[i] < list_end[i]]
    while free:
        i = free.pop()
        p = next_choice[i]
        end = list_end[i]
        while p < end:
            j = proposal_mentor[p]
            r = proposal_rank[p]
            p += 1
            heap = held[j]
            if len(heap) < free_places[j]:
                heappush(heap, -r)
                break
            if heap and -heap[0] > r:
                released = -heapreplace(heap, -r)
                free.append(mentee_of_rank[released])
                break
        next_choice[i] = p

    pairs = list(market.locked)
    for j, heap in enumerate(held):
        pairs.extend((mentee_of_rank[-neg_rank], j) for neg_rank in heap)
    pairs.sort()
    return pairs


def _blocking_pairs(market: _Market, pairs: Iterable[tuple[int, int]]) -> int:
    n, m = market.n_mentees, market.n_mentors
    pair_list = [(int(i), int(j)) for i, j in pairs]
    arr = np.asarray(pair_list, dtype=np.int64).reshape(-1, 2)
    assigned_i, assigned_j = arr[:, 0], arr[:, 1]
    if assigned_i.size and (
        assigned_i.min() < 0
        or assigned_i.max() >= n
        or assigned_j.min() < 0
        or assigned_j.max() >= m
    ):
        raise ValueError("pairs: an index is outside the mentee or mentor list")
    if market.key.size == 0:
        return 0

    load = np.bincount(assigned_j, minlength=m)
    has_free_place = load < market.capacity

    # Where each assigned pair sits in both orders (+inf when it is not acceptable, so
    # any acceptable partner is preferred to it).
    big = np.int64(np.iinfo(np.int64).max)
    assigned_key = assigned_i * m + assigned_j
    where = np.minimum(np.searchsorted(market.key, assigned_key), market.key.size - 1)
    acceptable = market.key[where] == assigned_key
    assigned_mentee_pos = np.where(acceptable, market.mentee_pos[where], big)
    assigned_mentor_rank = np.where(acceptable, market.mentor_rank[where], big)

    current = np.full(n, big, dtype=np.int64)  # mentee position of her partner
    np.minimum.at(current, assigned_i, assigned_mentee_pos)
    # A mentor's worst non-locked mentee (the one she would give up); -1 when none.
    movable = ~market.locked_mentee[assigned_i]
    worst = np.full(m, -1, dtype=np.int64)
    np.maximum.at(worst, assigned_j[movable], assigned_mentor_rank[movable])

    mentee_wants = market.mentee_pos < current[market.mentee]
    mentor_wants = has_free_place[market.mentor] | (market.mentor_rank < worst[market.mentor])
    return int(np.count_nonzero(mentee_wants & mentor_wants))


def count_blocking_pairs(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    candidates: Candidates,
    config: MatchConfig | None,
    pairs: Iterable[tuple[int, int]],
) -> int:
    """How many candidate pairs block the matching ``pairs`` ((mentee_idx, mentor_idx)).

    A candidate pair (i, j) blocks when mentee i is unmatched or prefers j to her mentor,
    and mentor j has a free place (fewer assigned mentees than ``capacity``) or prefers
    i to her worst assigned mentee. Preferences, forbidden and locked pairs are as in
    ``solve_stable``: a locked mentee never blocks, and a mentor's locked mentees are not
    ones she can give up. Vectorised, O(P log P)."""
    market = _build_market(mentees, mentors, candidates, config)
    return _blocking_pairs(market, pairs)


def solve_stable(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    candidates: Candidates,
    config: MatchConfig | None,
) -> tuple[list[tuple[int, int]], int]:
    """Mentee-proposing deferred acceptance on the candidate graph.

    Returns the matched (mentee_idx, mentor_idx) pairs, locked pairs included, sorted by
    mentee index, and the number of blocking pairs of the result (0 unless something is
    badly wrong; it is counted independently of the algorithm as a check)."""
    market = _build_market(mentees, mentors, candidates, config)
    pairs = _deferred_acceptance(market)
    return pairs, _blocking_pairs(market, pairs)
