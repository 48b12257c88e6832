"""Matching benchmark: the engine at the real programme's size and far beyond.

Run ``.venv/bin/python bench/matching.py``. Sizes (mentees x mentors) 320x251,
2000x1000, 20000x8000 and 100000x40000; ``BENCH_SIZES="320x251,2000x1000"`` restricts
them. Data come from ``generate`` (fixed seed): a programme resembling the real one
(Kyrgyz, Russian and English at CEFR levels, about a third of mentors international,
the 16 STEM fields, the 9 regions with their districts, ~10% minors, ~40% of mentors
cleared for minors, capacities 1-4, goal and expertise texts from small templates,
availability windows, a few ranked choices and exclusions).

Every case (one size, one mode) runs in a fresh subprocess, so peak memory is per case,
and prints ONE JSON line (flushed at once). The parent watches each child's memory and
stops it above ``BENCH_MAX_RSS_GB`` (default 20) or after ``BENCH_TIMEOUT_S`` (default
1800 s), printing a line with ``error`` instead.

Modes
-----
``optimal``      ``match(mentees, mentors, MatchConfig())`` (min-cost flow, default top-k).
``stable``       ``match(..., MatchConfig(mode="stable"))`` (deferred acceptance).
``greedy``       baseline, implemented here: mentees in order, each takes her
                 best-scoring eligible mentor with a free place, on the engine's
                 candidate graph (the full graph wherever the default config keeps it).
``full_graph``   sizes up to 20000x8000 only: the optimum on the full eligible graph
                 (``full_graph_limit`` huge) against the top-k optimum
                 (``match`` with ``top_k=50``, ``full_graph_limit=0``, so pruning always
                 happens, repair rounds included). Up to 2000x1000 the full graph goes
                 through ``match``; above, through the engine's own candidate builder and
                 min-cost-flow solver directly (``candidates.build`` + ``optimal.solve``,
                 the same exact optimum), because the Python list of ~10^8 candidates
                 that ``match`` returns would not fit in memory; the chosen pairs' scores
                 are then recomputed exactly with ``explain_pair``.

Keys of every line
------------------
``size``, ``mentees``, ``mentors``, ``mode``, ``seed``; ``generate_s`` (data generation);
``time_s`` (the engine call, or for greedy the greedy pass alone); ``peak_rss_mb``
(``ru_maxrss`` of the child, taken right after the measured run, before any check);
``matched``, ``unmatched``, ``match_rate``; ``eligible_mentees`` (mentees with at least
one mentor passing the hard rules: the most that could ever be matched ignoring
capacity); ``total_score`` (sum of matched pairs' scores); ``mean_score``;
``candidate_pairs`` (pairs the solver considered); ``seats`` (sum of capacities);
``engine_summary`` (from ``MatchResult.summary``: ``eligible_pairs``, ``full_graph``,
``repaired_pairs``, ``regional_matched_share``, ``international_share``, ``seconds``
(candidates / solve / explain / total), ``mentors_used``, ``max_load``).

Extra keys
----------
optimal:    ``greedy_matched``, ``greedy_total_score``, ``ratio_to_greedy`` (total score
            ours / greedy's, same candidate graph); up to 2000x1000 also
            ``scipy_matched``, ``scipy_total_score``, ``ratio_to_scipy``, ``scipy_s``:
            scipy ``linear_sum_assignment`` on the slot-expanded matrix (each mentor
            repeated capacity times; ineligible pairs a big penalty; a bonus per matched
            mentee larger than any score sum, so it maximises the matched count, then the
            total score), on the full eligible graph.
stable:     ``blocking_pairs``; ``matched_vs_optimal``, ``score_vs_optimal`` (ratios to
            the optimal line of the same size, added by the parent).
greedy:     ``candidates_s`` (building the candidate graph); ``matched_vs_optimal``,
            ``score_vs_optimal`` (added by the parent).
full_graph: ``full_method``, ``full_pairs``, ``full_matched``, ``full_total_score``,
            ``full_time_s``; ``topk_pairs``, ``topk_matched``, ``topk_total_score``,
            ``topk_time_s``, ``topk_repaired_pairs``; ``ratio_topk_to_full`` (total
            score), ``matched_topk_minus_full``. ``time_s``/``peak_rss_mb`` are those of
            the full-graph run (it runs first); above 2000x1000 the line has no
            ``engine_summary``/``eligible_mentees`` (no MatchResult is built).
Failed cases: ``error`` (and ``stderr``, or the limits and ``seen_rss_gb``).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20240917
DEFAULT_SIZES = "320x251,2000x1000,20000x8000,100000x40000"
SCIPY_MAX = 2000 * 1000  # mentees x mentors up to which the scipy check runs
FULL_GRAPH_MAX = 20000 * 8000  # up to which the full-graph comparison is attempted
HUGE = 10**15

# --- data -----------------------------------------------------------------------------

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
# (probability of speaking the language, level distribution over LEVELS)
MENTEE_LANGUAGES = {
    "ky": (0.85, (0.02, 0.04, 0.06, 0.08, 0.08, 0.04, 0.68)),
    "ru": (0.80, (0.04, 0.08, 0.20, 0.24, 0.18, 0.08, 0.18)),
    "en": (0.50, (0.22, 0.26, 0.24, 0.16, 0.08, 0.03, 0.01)),
}
REGIONAL_MENTOR_LANGUAGES = {
    "ky": (0.72, (0.02, 0.04, 0.08, 0.08, 0.10, 0.04, 0.64)),
    "ru": (0.95, (0.00, 0.02, 0.08, 0.18, 0.26, 0.14, 0.32)),
    "en": (0.65, (0.04, 0.10, 0.24, 0.28, 0.22, 0.10, 0.02)),
}
INTERNATIONAL_MENTOR_LANGUAGES = {
    "ky": (0.08, (0.10, 0.20, 0.20, 0.15, 0.10, 0.05, 0.20)),
    "ru": (0.35, (0.05, 0.10, 0.15, 0.15, 0.15, 0.10, 0.30)),
    "en": (1.00, (0.00, 0.00, 0.00, 0.10, 0.35, 0.25, 0.30)),
}
# share of mentees per region (Bishkek city is the largest; the rest spread out)
REGION_WEIGHTS = {
    "bishkek": 0.34,
    "osh_city": 0.09,
    "chui": 0.12,
    "issyk_kul": 0.07,
    "naryn": 0.06,
    "talas": 0.05,
    "jalal_abad": 0.11,
    "osh": 0.11,
    "batken": 0.05,
}
# regional mentors live mostly in the cities
MENTOR_REGION_WEIGHTS = {
    "bishkek": 0.62,
    "osh_city": 0.10,
    "chui": 0.08,
    "issyk_kul": 0.04,
    "naryn": 0.03,
    "talas": 0.02,
    "jalal_abad": 0.05,
    "osh": 0.04,
    "batken": 0.02,
}
COUNTRIES = ("US", "DE", "GB", "KZ", "TR", "KR", "RU", "CA", "FR", "JP")
FIELD_TOPICS = {
    "software": ("web applications", "mobile apps", "open-source software"),
    "data_science": ("machine learning", "data analysis", "artificial intelligence"),
    "cybersecurity": ("network security", "cryptography", "protecting banks from attacks"),
    "electronics": ("robotics", "embedded systems", "telecommunications"),
    "mechanical": ("engines", "industrial machines", "aircraft design"),
    "civil": ("earthquake-safe buildings", "roads and bridges", "urban planning"),
    "energy": ("solar power", "hydropower stations", "energy efficiency"),
    "mathematics": ("statistics", "applied mathematics", "teaching mathematics"),
    "physics": ("optics", "nuclear physics", "astronomy"),
    "chemistry": ("chemical analysis", "materials", "pharmaceuticals"),
    "biology": ("genetics", "biotechnology", "ecology of mountain species"),
    "medicine": ("cardiology", "public health", "medical research"),
    "environment": ("climate change", "glaciers and water", "air pollution"),
    "agriculture": ("crop science", "livestock health", "irrigation"),
    "geology": ("mining", "geophysics", "mineral exploration"),
    "product_design": ("user experience", "product design", "interface design"),
}
GOAL_TEMPLATES = (
    "I want to study {topic} and work in {field}",
    "My dream is a career in {topic}",
    "I would like to learn {topic} and help my region",
    "I plan to apply to university for {field}, especially {topic}",
)
EXPERTISE_TEMPLATES = (
    "{title} working on {topic}",
    "{title}, ten years in {field} with a focus on {topic}",
    "{title} at a research institute: {topic}",
)
TITLES = ("Senior engineer", "Researcher", "Team lead", "Professor", "Analyst", "Founder")


def _choice_codes():
    from stem4all.accounts.choices import AvailabilityWindow, StemField
    from stem4all.accounts.geography import DISTRICTS, Region

    fields = [str(v) for v in StemField.values]
    regions = [str(v) for v in Region.values]
    districts = {
        str(region): [code for code, _label in items] for region, items in DISTRICTS.items()
    }
    windows = [str(v) for v in AvailabilityWindow.values]
    return fields, regions, districts, windows


def _languages(rng, table, size):
    """Per person a {code: level} dict drawn from table (vectorised)."""
    drawn = []
    for code, (p, levels) in table.items():
        speaks = rng.random(size) < p
        level = rng.choice(len(LEVELS), size=size, p=levels)
        drawn.append((code, speaks, level))
    out = []
    for k in range(size):
        out.append({code: LEVELS[level[k]] for code, speaks, level in drawn if speaks[k]})
    return out


def _weighted_subsets(rng, size, weights, k_max):
    """Per person 1..k_max distinct indices, drawn without replacement by weight
    (Gumbel top-k, vectorised)."""
    keys = np.log(weights)[None, :] + rng.gumbel(size=(size, weights.size))
    ranked = np.argsort(-keys, axis=1)[:, :k_max]
    counts = rng.integers(1, k_max + 1, size)
    return [ranked[k, : counts[k]].tolist() for k in range(size)]


def generate(n_mentees: int, n_mentors: int, seed: int = SEED):
    """A programme of the given size resembling the real one (deterministic)."""
    from stem4all.matching.engine.model import Mentee, Mentor

    fields, regions, districts, windows = _choice_codes()
    rng = np.random.default_rng(seed)
    field_weights = rng.dirichlet(np.full(len(fields), 2.0))  # some fields more popular
    window_weights = np.full(len(windows), 1.0)
    window_weights[[2, 3, 4]] = 2.0  # evenings and weekends are popular

    def texts(templates, chosen_lists, size, title=None):
        template = rng.integers(len(templates), size=size)
        pick_field = rng.random(size)
        pick_topic = rng.integers(3, size=size)
        out = []
        for k in range(size):
            chosen = chosen_lists[k]
            f = fields[chosen[int(pick_field[k] * len(chosen))]]
            out.append(
                templates[template[k]].format(
                    topic=FIELD_TOPICS[f][pick_topic[k]],
                    field=f.replace("_", " "),
                    title=title[k] if title is not None else "",
                )
            )
        return out

    def places(size, weights):
        region = rng.choice(len(regions), size=size, p=weights)
        pick = rng.random(size)
        out = []
        for k in range(size):
            code = regions[region[k]]
            out.append((code, districts[code][int(pick[k] * len(districts[code]))]))
        return out

    # mentors
    m = n_mentors
    international = rng.random(m) < 1 / 3
    intl_langs = _languages(rng, INTERNATIONAL_MENTOR_LANGUAGES, m)
    home_langs = _languages(rng, REGIONAL_MENTOR_LANGUAGES, m)
    mentor_fields = _weighted_subsets(rng, m, field_weights, 3)
    titles = [TITLES[t] for t in rng.integers(len(TITLES), size=m)]
    expertise = texts(EXPERTISE_TEMPLATES, mentor_fields, m, titles)
    mentor_places = places(m, np.asarray([MENTOR_REGION_WEIGHTS[r] for r in regions]))
    countries = rng.integers(len(COUNTRIES), size=m)
    capacity = rng.choice(4, size=m, p=(0.35, 0.35, 0.2, 0.1)) + 1
    cleared = rng.random(m) < 0.4
    mentor_windows = _weighted_subsets(rng, m, window_weights, 3)
    mentor_hours = rng.integers(2, 11, size=m)
    mentors = []
    for j in range(m):
        languages = (intl_langs[j] if international[j] else home_langs[j]) or {"ru": "C1"}
        region, district = ("", "") if international[j] else mentor_places[j]
        mentors.append(
            Mentor(
                id=f"mentor-{j}",
                languages=languages,
                capacity=int(capacity[j]),
                fields=frozenset(fields[f] for f in mentor_fields[j]),
                expertise=expertise[j],
                country=COUNTRIES[countries[j]] if international[j] else "KG",
                region=region,
                district=district,
                is_cleared_for_minors=bool(cleared[j]),
                availability=frozenset(windows[w] for w in mentor_windows[j]),
                hours_per_month=int(mentor_hours[j]),
                name=f"Mentor {j}",
            )
        )

    # mentees
    n = n_mentees
    mentee_langs = _languages(rng, MENTEE_LANGUAGES, n)
    mentee_fields = _weighted_subsets(rng, n, field_weights, 2)
    goals = texts(GOAL_TEMPLATES, mentee_fields, n)
    mentee_places = places(n, np.asarray([REGION_WEIGHTS[r] for r in regions]))
    minor = rng.random(n) < 0.10
    mentor_type = rng.choice(3, size=n, p=(0.5, 0.25, 0.25))
    mentee_windows = _weighted_subsets(rng, n, window_weights, 3)
    mentee_hours = rng.integers(2, 9, size=n)
    ranks = rng.random(n) < 0.15
    ranked_choices = rng.integers(0, max(m, 1), size=(n, 3))
    excludes = rng.random(n) < 0.02
    excluded_choice = rng.integers(0, max(m, 1), size=n)
    mentees = []
    for i in range(n):
        region, district = mentee_places[i]
        ranked = tuple(f"mentor-{x}" for x in ranked_choices[i]) if ranks[i] and m else ()
        excluded = frozenset({f"mentor-{excluded_choice[i]}"}) if excludes[i] and m else None
        mentees.append(
            Mentee(
                id=f"mentee-{i}",
                languages=mentee_langs[i] or {"ky": "native"},
                fields=frozenset(fields[f] for f in mentee_fields[i]),
                goal=goals[i],
                country="KG",
                region=region,
                district=district,
                is_minor=bool(minor[i]),
                preferred_mentor_type=("any", "regional", "international")[mentor_type[i]],
                availability=frozenset(windows[w] for w in mentee_windows[i]),
                hours_per_month=int(mentee_hours[i]),
                ranked_mentors=ranked,
                excluded_mentors=excluded or frozenset(),
                name=f"Mentee {i}",
            )
        )
    return mentees, mentors


# --- baselines and checks -------------------------------------------------------------------


def greedy(n_mentees, capacities, mentee_idx, mentor_idx, score):
    """Mentees in order; each takes her best-scoring candidate mentor with a free place
    (ties by mentor index). Returns (matched, total score)."""
    order = np.lexsort((mentor_idx, -score, mentee_idx))
    bounds = np.searchsorted(mentee_idx[order], np.arange(n_mentees + 1)).tolist()
    mentors_sorted = mentor_idx[order].tolist()
    scores_sorted = score[order].tolist()
    left = [max(int(c), 0) for c in capacities]
    matched, total = 0, 0.0
    for i in range(n_mentees):
        for p in range(bounds[i], bounds[i + 1]):
            j = mentors_sorted[p]
            if left[j] > 0:
                left[j] -= 1
                matched += 1
                total += scores_sorted[p]
                break
    return matched, total


def scipy_optimum(n_mentees, capacities, mentee_idx, mentor_idx, score):
    """Lexicographic optimum by scipy linear_sum_assignment on the slot-expanded matrix."""
    from scipy.optimize import linear_sum_assignment

    slots = np.repeat(np.arange(len(capacities)), np.maximum(np.asarray(capacities), 0))
    if n_mentees == 0 or slots.size == 0:
        return 0, 0.0
    dense = np.full((n_mentees, len(capacities)), np.nan)
    dense[mentee_idx, mentor_idx] = score
    expanded = dense[:, slots]
    eligible = ~np.isnan(expanded)
    bonus = n_mentees + 1.0  # more than any total score (each score <= 1)
    cost = np.where(eligible, -(bonus + np.nan_to_num(expanded)), bonus)
    rows, cols = linear_sum_assignment(cost)
    chosen = eligible[rows, cols]
    return int(chosen.sum()), float(expanded[rows, cols][chosen].sum())


def full_graph_optimum(mentees, mentors, config):
    """The optimum on every eligible pair through the engine's own parts (its candidate
    builder with no pruning, then its min-cost-flow solver), without building
    explanations or the Python list of candidates that ``match`` returns, which would not
    fit in memory at 20000x8000. Returns (pairs, chosen mentees, chosen mentors)."""
    from stem4all.matching.engine import candidates as cand
    from stem4all.matching.engine import optimal

    problem = cand.prepare(mentees, mentors, config)
    mentee_idx, mentor_idx, score = cand.build(problem)
    solution = optimal.solve(
        mentee_idx,
        mentor_idx,
        score,
        capacity=problem.remaining,
        regional=problem.from_regions,
        international=problem.international,
        config=config,
    )
    return int(mentee_idx.size), mentee_idx[solution.chosen], mentor_idx[solution.chosen]


def candidate_arrays(result, mentees, mentors):
    """The candidate pairs a MatchResult reports, as index arrays."""
    e_pos = {m.id: i for i, m in enumerate(mentees)}
    m_pos = {m.id: j for j, m in enumerate(mentors)}
    count = len(result.candidates)
    mentee_idx = np.fromiter((e_pos[c[0]] for c in result.candidates), np.int64, count)
    mentor_idx = np.fromiter((m_pos[c[1]] for c in result.candidates), np.int64, count)
    score = np.fromiter((c[2] for c in result.candidates), np.float64, count)
    return mentee_idx, mentor_idx, score


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


SUMMARY_KEYS = (
    "eligible_pairs",
    "full_graph",
    "repaired_pairs",
    "regional_matched_share",
    "international_share",
    "seconds",
)


def engine_summary(summary) -> dict:
    """The few engine summary entries worth a benchmark line (rounded)."""
    out = {}
    for key in SUMMARY_KEYS:
        value = (summary or {}).get(key)
        if isinstance(value, float):
            value = round(value, 4)
        out[key] = value
    load = (summary or {}).get("mentor_load") or {}
    out["mentors_used"] = load.get("mentors_used")
    out["max_load"] = load.get("max")
    return out


def describe(result, mentees, mentors) -> dict:
    matched = len(result.assignments)
    total = float(sum(a.score for a in result.assignments))
    eligible = matched + sum(1 for u in result.unmatched if u.eligible_mentors > 0)
    return {
        "matched": matched,
        "unmatched": len(result.unmatched),
        "match_rate": round(matched / len(mentees), 4) if mentees else 0.0,
        "eligible_mentees": eligible,
        "total_score": round(total, 6),
        "mean_score": round(total / matched, 6) if matched else 0.0,
        "candidate_pairs": len(result.candidates),
        "seats": int(sum(m.capacity for m in mentors)),
        "engine_summary": engine_summary(result.summary),
    }


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 6) if b else None


# --- one case, in a child process --------------------------------------------------------


def run_case(n: int, m: int, mode: str) -> dict:
    from stem4all.matching.engine import explain_pair, match
    from stem4all.matching.engine.model import MatchConfig

    line: dict = {"size": f"{n}x{m}", "mentees": n, "mentors": m, "mode": mode, "seed": SEED}
    t = time.perf_counter()
    mentees, mentors = generate(n, m)
    line["generate_s"] = round(time.perf_counter() - t, 3)
    capacities = [mentor.capacity for mentor in mentors]

    if mode in ("optimal", "stable"):
        config = MatchConfig(mode=mode)
        t = time.perf_counter()
        result = match(mentees, mentors, config)
        line["time_s"] = round(time.perf_counter() - t, 3)
        line["peak_rss_mb"] = peak_rss_mb()
        line.update(describe(result, mentees, mentors))
        if mode == "stable":
            line["blocking_pairs"] = result.blocking_pairs
            return line
        arrays = candidate_arrays(result, mentees, mentors)
        g_matched, g_total = greedy(n, capacities, *arrays)
        line["greedy_matched"] = g_matched
        line["greedy_total_score"] = round(g_total, 6)
        line["ratio_to_greedy"] = ratio(line["total_score"], g_total)
        if n * m <= SCIPY_MAX:
            if result.summary.get("full_graph"):
                full_arrays = arrays
            else:
                full = match(mentees, mentors, MatchConfig(full_graph_limit=HUGE))
                full_arrays = candidate_arrays(full, mentees, mentors)
            t = time.perf_counter()
            s_matched, s_total = scipy_optimum(n, capacities, *full_arrays)
            line["scipy_s"] = round(time.perf_counter() - t, 3)
            line["scipy_matched"] = s_matched
            line["scipy_total_score"] = round(s_total, 6)
            line["ratio_to_scipy"] = ratio(line["total_score"], s_total)
        return line

    if mode == "greedy":
        from stem4all.matching.engine import candidates as cand

        t = time.perf_counter()
        problem = cand.prepare(mentees, mentors, MatchConfig())
        arrays = cand.build(problem)  # (mentee_idx, mentor_idx, score), as match() uses
        line["candidates_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        g_matched, g_total = greedy(n, capacities, *arrays)
        line["time_s"] = round(time.perf_counter() - t, 3)
        line["peak_rss_mb"] = peak_rss_mb()
        line.update(
            {
                "matched": g_matched,
                "unmatched": n - g_matched,
                "match_rate": round(g_matched / n, 4) if n else 0.0,
                "eligible_mentees": int(np.count_nonzero(problem.eligible > 0)),
                "total_score": round(g_total, 6),
                "mean_score": round(g_total / g_matched, 6) if g_matched else 0.0,
                "candidate_pairs": int(arrays[0].size),
                "full_graph": bool(problem.stats.get("full_graph", True)),
                "seats": int(sum(capacities)),
            }
        )
        return line

    if mode == "full_graph":
        full_config = MatchConfig(full_graph_limit=HUGE)
        t = time.perf_counter()
        if n * m <= SCIPY_MAX:
            full = match(mentees, mentors, full_config)
            line["time_s"] = line["full_time_s"] = round(time.perf_counter() - t, 3)
            line["peak_rss_mb"] = peak_rss_mb()
            line.update(describe(full, mentees, mentors))
            line["full_method"] = "match"
            line["full_pairs"] = len(full.candidates)
            line["full_matched"] = len(full.assignments)
            line["full_total_score"] = round(float(sum(a.score for a in full.assignments)), 6)
            del full
        else:
            full_pairs, chosen_i, chosen_j = full_graph_optimum(mentees, mentors, full_config)
            line["time_s"] = line["full_time_s"] = round(time.perf_counter() - t, 3)
            line["peak_rss_mb"] = peak_rss_mb()
            line["full_method"] = "candidates.build + optimal.solve"
            line["full_pairs"] = full_pairs
            line["full_matched"] = int(chosen_i.size)
            # exact scores of the chosen pairs (the graph holds float32 at this size)
            total = 0.0
            for i, j in zip(chosen_i.tolist(), chosen_j.tolist(), strict=True):
                total += explain_pair(mentees[i], mentors[j], full_config)[0]
            line["full_total_score"] = round(total, 6)
            line["matched"] = line["full_matched"]
            line["total_score"] = line["full_total_score"]
            line["candidate_pairs"] = full_pairs
        t = time.perf_counter()
        topk = match(mentees, mentors, MatchConfig(top_k=50, full_graph_limit=0))
        line["topk_time_s"] = round(time.perf_counter() - t, 3)
        line["topk_pairs"] = len(topk.candidates)
        line["topk_matched"] = len(topk.assignments)
        line["topk_total_score"] = round(float(sum(a.score for a in topk.assignments)), 6)
        line["topk_repaired_pairs"] = topk.summary.get("repaired_pairs")
        line["ratio_topk_to_full"] = ratio(line["topk_total_score"], line["full_total_score"])
        line["matched_topk_minus_full"] = line["topk_matched"] - line["full_matched"]
        return line

    raise ValueError(f"unknown mode {mode!r}")


# --- the parent: one subprocess per case ---------------------------------------------------


def _rss_gb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for row in status:
                if row.startswith("VmRSS:"):
                    return int(row.split()[1]) / 1024 / 1024
    except OSError:
        return 0.0
    return 0.0


def run_child(n: int, m: int, mode: str, max_rss_gb: float, timeout_s: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--case", f"{n}x{m}", mode]
    base = {"size": f"{n}x{m}", "mentees": n, "mentors": m, "mode": mode, "seed": SEED}
    child = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    start = time.monotonic()
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _rss_gb(child.pid))
        if peak > max_rss_gb or time.monotonic() - start > timeout_s:
            child.kill()
            child.communicate()
            why = "memory" if peak > max_rss_gb else "time"
            return {
                **base,
                "error": f"stopped: over the {why} limit",
                "max_rss_gb": max_rss_gb,
                "timeout_s": timeout_s,
                "seen_rss_gb": round(peak, 2),
                "elapsed_s": round(time.monotonic() - start, 1),
            }
        time.sleep(0.2)
    out, err = child.communicate()
    if child.returncode != 0:
        tail = err.strip().splitlines()[-3:]
        return {**base, "error": f"exit status {child.returncode}", "stderr": tail}
    return json.loads(out.strip().splitlines()[-1])


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        if part.strip():
            a, b = part.lower().strip().split("x")
            sizes.append((int(a), int(b)))
    return sizes


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--case":
        n, m = parse_sizes(argv[1])[0]
        print(json.dumps(run_case(n, m, argv[2])), flush=True)
        return 0
    sizes = parse_sizes(os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    max_rss_gb = float(os.environ.get("BENCH_MAX_RSS_GB", "20"))
    timeout_s = float(os.environ.get("BENCH_TIMEOUT_S", "1800"))
    for n, m in sizes:
        modes = ["optimal", "stable", "greedy"]
        if n * m <= FULL_GRAPH_MAX:
            modes.append("full_graph")
        optimal = None
        for mode in modes:
            line = run_child(n, m, mode, max_rss_gb, timeout_s)
            if mode == "optimal" and "error" not in line:
                optimal = line
            elif mode in ("stable", "greedy") and optimal and "error" not in line:
                line["matched_vs_optimal"] = ratio(line["matched"], optimal["matched"])
                line["score_vs_optimal"] = ratio(line["total_score"], optimal["total_score"])
            print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
