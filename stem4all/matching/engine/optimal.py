"""Optimal mode: an exact lexicographic optimum by min-cost flow (OR-Tools).

The network
-----------
::

    source -> mentee i        capacity 1, cost 0   (through the regional hub for
                                                   from-the-regions mentees when a
                                                   regional floor is set)
    mentee i -> mentor j      capacity 1, cost -(round(score_ij * SCALE) * T + t_ij), one
                              per candidate pair
    mentor j -> sink          capacity = her free places, cost 0; with spread_load one
                              unit arc per place, the t-th (t = 0, 1, ...) costing
                              t * round(spread_penalty * SCALE) * T; international mentors
                              go through the international hub when a cap is set
    intl hub -> sink          capacity C (the international cap)

Capacities are integers, so min-cost flow has an integral optimum (the constraint
matrix of a network is totally unimodular) and OR-Tools returns one: every mentee gets
at most one mentor, every mentor at most her places, and a unit of flow through
(i, j) is the pair (i, j).

Why the objective is lexicographic (most mentees matched, then highest total score)
------------------------------------------------------------------------------------
``SimpleMinCostFlow.solve_max_flow_with_min_cost`` first computes the maximum flow value
F* from the source to the sink, then solves min-cost flow with supply F* at the source
and demand F* at the sink. The flow value is the number of mentees matched (each
source arc carries at most 1), so F* is the largest number that can be matched, and the
second solve ranges over exactly the matchings of that size, minimising cost =
-SCALE x T x total score (+ the spread penalties, - the tie-breaks). No big-M constant
is needed, so integer costs stay far from overflow. Scores are resolved to 1e-9
(SCALE), far below any difference staff could see. Below that resolution, t_ij in
[0, T) decreases with the pair's position in input order (mentee, then mentor), so among
equally scored matchings the one favouring earlier people wins; T is the largest power of
two (up to 2**24) keeping |cost| x (nodes + 1), which the cost-scaling algorithm needs,
under 2**61. A tie-break can outweigh a score difference of at most one 1e-9 step per
matched pair.

The options
-----------
``max_international_share`` s: with L locked pairs of which L_I international, a
matching of K more pairs may use at most C(K) = floor(s (L + K)) - L_I international
mentors. Let f(C) be the maximum matching size when the hub carries at most C;
f is non-decreasing, and g(K) = f(C(K)) too. We want the largest K with K <= g(K)
(a matching of size K that respects its own cap). Starting from K_0 = f(inf) and
iterating K_{t+1} = g(K_t) gives a non-increasing sequence that stays above that K
(by induction, K* <= K_t implies K* <= g(K*) <= g(K_t) = K_{t+1}), so it stops at it;
each step is one max-flow. The final min-cost solve uses C = C(K*).

``regional_floor`` r: at least F = ceil(r x R) from-the-regions mentees matched, R
being those with at least one eligible mentor (locked ones count towards F). Matchable
mentee sets form a matroid (transversal matroid), so some maximum matching matches as
many regional mentees as any matching does: the floor never costs matched mentees.
When the plain optimum misses the floor, one min-cost max-flow with cost -1 on the
regional hub's arc finds the most regional mentees R* a maximum matching can take; the
floor used is F' = min(F, R*) (met exactly whenever it is feasible; with a cap, among
the maximum matchings the cap allows, as the cap is in place), and it is imposed
as a lower bound F' on the source -> regional-hub arc by the standard transformation:
supply K - F' at the source, F' at the hub, demand K at the sink, hub arc capacity
reduced by F'. ``SimpleMinCostFlow.solve`` then returns the best-scoring matching of
maximum size K with at least F' regional mentees: exact, where DESIGN.md's bonus found
by bisection is its Lagrangian approximation.

``spread_load``: a mentor's (t+1)-th place costs t x spread_penalty of score. The
penalties are convex in her load, so flow fills every mentor's cheap places first; as
they only enter the second (min-cost) stage, they never lower the matched count.

Every solve must return OPTIMAL, else RuntimeError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .model import MatchConfig

SCALE = 1_000_000_000
SOURCE, SINK, REGIONAL_HUB, INTERNATIONAL_HUB = 0, 1, 2, 3


@dataclass
class Solution:
    chosen: np.ndarray  # bool per candidate pair given to solve()
    info: dict = field(default_factory=dict)


@dataclass
class _Network:
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    pair_arcs: slice
    regional_arc: int | None  # source -> regional hub
    international_arc: int | None  # international hub -> sink
    mentor_arcs_start: int
    n_mentees: int  # mentees in the network
    n_regional: int


def _network(
    mentee_idx: np.ndarray,
    mentor_idx: np.ndarray,
    score: np.ndarray,
    capacity: np.ndarray,
    regional: np.ndarray,
    international: np.ndarray,
    config: MatchConfig,
    *,
    with_regional_hub: bool,
    with_international_hub: bool,
) -> _Network:
    mentees = np.flatnonzero(np.bincount(mentee_idx, minlength=regional.size))
    mentors = np.flatnonzero(np.bincount(mentor_idx, minlength=international.size))
    mentee_node = np.full(regional.size, -1, dtype=np.int64)
    mentee_node[mentees] = 4 + np.arange(mentees.size)
    mentor_node = np.full(international.size, -1, dtype=np.int64)
    mentor_node[mentors] = 4 + mentees.size + np.arange(mentors.size)

    tails, heads, caps, costs = [], [], [], []

    source_of = np.full(mentees.size, SOURCE, dtype=np.int64)
    is_regional = regional[mentees]
    if with_regional_hub:
        source_of[is_regional] = REGIONAL_HUB
    tails.append(source_of)
    heads.append(mentee_node[mentees])
    caps.append(np.ones(mentees.size, dtype=np.int64))
    costs.append(np.zeros(mentees.size, dtype=np.int64))

    degree = np.bincount(mentor_idx, minlength=international.size)[mentors]
    places = np.minimum(capacity[mentors], degree).astype(np.int64)
    n_nodes = 4 + mentees.size + mentors.size
    most_slots = int(places.max(initial=1))
    spread = config.spread_penalty * max(0, most_slots - 1) if config.spread_load else 0.0
    tie = _tie_resolution(n_nodes, max(1.0, spread))

    pair_start = mentees.size
    tails.append(mentee_node[mentee_idx])
    heads.append(mentor_node[mentor_idx])
    caps.append(np.ones(mentee_idx.size, dtype=np.int64))
    # Ties below the score's resolution go to the earlier pair in input order.
    order = (mentee_idx * international.size + mentor_idx) / (regional.size * international.size)
    tiebreak = np.floor((tie - 1) * (1.0 - order)).astype(np.int64)
    quantised = np.rint(np.clip(score, 0.0, 1.0) * SCALE).astype(np.int64)
    costs.append(-(quantised * tie + tiebreak))
    pair_arcs = slice(pair_start, pair_start + mentee_idx.size)

    sink_of = np.full(mentors.size, SINK, dtype=np.int64)
    if with_international_hub:
        sink_of[international[mentors]] = INTERNATIONAL_HUB
    mentor_arcs_start = pair_arcs.stop
    if config.spread_load:
        owner = np.repeat(np.arange(mentors.size), places)
        slot = np.arange(owner.size) - np.repeat(np.cumsum(places) - places, places)
        penalty = int(round(config.spread_penalty * SCALE)) * tie
        tails.append(mentor_node[mentors][owner])
        heads.append(sink_of[owner])
        caps.append(np.ones(owner.size, dtype=np.int64))
        costs.append(slot.astype(np.int64) * penalty)
    else:
        tails.append(mentor_node[mentors])
        heads.append(sink_of)
        caps.append(places)
        costs.append(np.zeros(mentors.size, dtype=np.int64))

    n_arcs = sum(t.size for t in tails)
    regional_arc = international_arc = None
    n_regional = int(is_regional.sum())
    if with_regional_hub:
        regional_arc = n_arcs
        tails.append(np.array([SOURCE]))
        heads.append(np.array([REGIONAL_HUB]))
        caps.append(np.array([n_regional], dtype=np.int64))
        costs.append(np.zeros(1, dtype=np.int64))
        n_arcs += 1
    if with_international_hub:
        international_arc = n_arcs
        tails.append(np.array([INTERNATIONAL_HUB]))
        heads.append(np.array([SINK]))
        caps.append(np.array([mentees.size], dtype=np.int64))
        costs.append(np.zeros(1, dtype=np.int64))
    return _Network(
        tails=np.concatenate(tails).astype(np.int32),
        heads=np.concatenate(heads).astype(np.int32),
        capacities=np.concatenate(caps).astype(np.int64),
        costs=np.concatenate(costs).astype(np.int64),
        pair_arcs=pair_arcs,
        regional_arc=regional_arc,
        international_arc=international_arc,
        mentor_arcs_start=mentor_arcs_start,
        n_mentees=int(mentees.size),
        n_regional=n_regional,
    )


def _tie_resolution(n_nodes: int, cost_factor: float) -> int:
    """How many tie-break steps fit under one score step: a power of two keeping every
    |cost| x (nodes + 1) (what cost scaling multiplies by) below 2**61."""
    room = int(2**61 // (SCALE * cost_factor * (n_nodes + 1)))
    return 1 << max(0, min(24, room.bit_length() - 1))


def _check(status, what: str) -> None:
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ({what}) ended with status {status.name}, not OPTIMAL")


def _min_cost(net: _Network, *, capacities=None, costs=None, supplies=None, what: str):
    """One min-cost flow; max-flow-with-min-cost unless explicit supplies are given."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        net.tails,
        net.heads,
        net.capacities if capacities is None else capacities,
        net.costs if costs is None else costs,
    )
    if supplies is None:
        solver.set_nodes_supplies(
            np.array([SOURCE, SINK]), np.array([net.n_mentees, -net.n_mentees])
        )
        status = solver.solve_max_flow_with_min_cost()
    else:
        nodes = np.array(list(supplies), dtype=np.int64)
        solver.set_nodes_supplies(nodes, np.array([supplies[k] for k in nodes], dtype=np.int64))
        status = solver.solve()
    _check(status, what)
    return solver, solver.flows(np.arange(net.tails.size))


def _international_cap(net: _Network, share: float, locked_total: int, locked_intl: int):
    """(K*, C*) of the module docstring, by max-flow iterations."""
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(net.tails, net.heads, net.capacities)
    arc = net.international_arc

    def flow_with(cap: int) -> int:
        solver.set_arc_capacity(arc, cap)
        status = solver.solve(SOURCE, SINK)
        if status != max_flow.SimpleMaxFlow.OPTIMAL:
            raise RuntimeError(f"max flow ended with status {status.name}, not OPTIMAL")
        return int(solver.optimal_flow())

    def cap_for(k: int) -> int:
        return max(0, math.floor(share * (locked_total + k) + 1e-9) - locked_intl)

    k = flow_with(net.n_mentees)
    for _ in range(10_000):
        smaller = flow_with(cap_for(k))
        if smaller == k:
            break
        k = smaller
    return k, cap_for(k)


def max_matching(
    mentee_idx: np.ndarray, mentor_idx: np.ndarray, capacity: np.ndarray, n_mentees: int
) -> np.ndarray:
    """Which candidate pairs a maximum matching (any one) uses: a plain max flow, much
    faster than min-cost flow, used to find where the candidate graph is too thin."""
    chosen = np.zeros(mentee_idx.size, dtype=bool)
    if mentee_idx.size == 0:
        return chosen
    mentees = np.flatnonzero(np.bincount(mentee_idx, minlength=n_mentees))
    mentors = np.flatnonzero(np.bincount(mentor_idx, minlength=capacity.size))
    node = np.full(n_mentees, -1, dtype=np.int64)
    node[mentees] = 2 + np.arange(mentees.size)
    mentor_node = np.full(capacity.size, -1, dtype=np.int64)
    mentor_node[mentors] = 2 + mentees.size + np.arange(mentors.size)
    degree = np.bincount(mentor_idx, minlength=capacity.size)[mentors]
    tails = np.concatenate(
        [np.zeros(mentees.size, np.int64), node[mentee_idx], mentor_node[mentors]]
    )
    heads = np.concatenate(
        [node[mentees], mentor_node[mentor_idx], np.ones(mentors.size, np.int64)]
    )
    caps = np.concatenate(
        [
            np.ones(mentees.size + mentee_idx.size, np.int64),
            np.minimum(capacity[mentors], degree).astype(np.int64),
        ]
    )
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails.astype(np.int32), heads.astype(np.int32), caps)
    status = solver.solve(0, 1)
    if status != max_flow.SimpleMaxFlow.OPTIMAL:
        raise RuntimeError(f"max flow ended with status {status.name}, not OPTIMAL")
    start = mentees.size
    arcs = np.arange(start, start + mentee_idx.size)
    return solver.flows(arcs) > 0


def solve(
    mentee_idx: np.ndarray,
    mentor_idx: np.ndarray,
    score: np.ndarray,
    *,
    capacity: np.ndarray,
    regional: np.ndarray,
    international: np.ndarray,
    config: MatchConfig,
    floor_needed: int | None = None,
    locked_total: int = 0,
    locked_international: int = 0,
) -> Solution:
    """The lexicographic optimum on the candidate pairs (locked mentees excluded).

    ``capacity`` per mentor is her free places; ``regional`` per mentee says whether she
    counts for the floor, ``floor_needed`` how many more of them must be matched (None:
    no floor); ``international`` per mentor. Returns which pairs are chosen, and facts
    for the summary."""
    info: dict = {}
    if mentee_idx.size == 0:
        return Solution(np.zeros(0, dtype=bool), {"matched": 0})
    use_floor = floor_needed is not None and floor_needed > 0
    share = config.max_international_share
    net = _network(
        mentee_idx,
        mentor_idx,
        score,
        capacity,
        regional,
        international,
        config,
        with_regional_hub=use_floor,
        with_international_hub=share is not None,
    )
    capacities = net.capacities.copy()
    if share is not None:
        most, cap = _international_cap(net, share, locked_total, locked_international)
        capacities[net.international_arc] = cap
        info["international_cap"] = int(cap + locked_international)
        info["matched_under_cap"] = most
    solver, flows = _min_cost(net, capacities=capacities, what="lexicographic optimum")
    matched = int(solver.maximum_flow())
    if use_floor:
        regional_flow = int(flows[net.regional_arc])
        info["regional_max"] = None
        if regional_flow < floor_needed:
            costs = np.zeros_like(net.costs)
            costs[net.regional_arc] = -1
            best, best_flows = _min_cost(
                net, capacities=capacities, costs=costs, what="most regional mentees"
            )
            most = int(best_flows[net.regional_arc])
            info["regional_max"] = most
            target = min(floor_needed, most)
            if target > regional_flow:
                lowered = capacities.copy()
                lowered[net.regional_arc] -= target
                supplies = {SOURCE: matched - target, REGIONAL_HUB: target, SINK: -matched}
                solver, flows = _min_cost(
                    net, capacities=lowered, supplies=supplies, what="regional floor"
                )
                if int(solver.maximum_flow()) != matched:
                    raise RuntimeError("the regional floor solve lost matched mentees")
    if share is not None:
        intl = int(flows[net.international_arc])
        info["international_cap_reached"] = bool(intl >= capacities[net.international_arc])
    info["matched"] = matched
    info["arcs"] = int(net.tails.size)
    return Solution(flows[net.pair_arcs] > 0, info)
