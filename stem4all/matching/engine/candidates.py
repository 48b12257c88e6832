"""The candidate graph: every eligible pair, or at scale the union of each mentee's top-k
mentors and each mentor's top-k mentees.

Blocks and views
----------------
People are grouped by *language profile*: the working languages they speak at
``min_language_level`` or above, each with its class for the language factor (below B2,
B2, C1 and above). Mentees are grouped by (profile, is_minor) into blocks. For a block,
the mentors who pass the language and minors rules are exactly the union of the mentor
profiles that share a language with it (and, for minors, are cleared), and the language
factor is a constant per mentor profile: so rules 1-2 and the language factor cost
nothing per pair. Blocks with the same working languages and minor flag share their
mentors and are scored together as one *view* (at most 2 x (2**languages - 1) of them,
14 with three languages). A mentee's exclusions and staff's forbidden pairs are a short
list of cells set to "ineligible"; mentors without a free place are left out.

Scores
------
A view's mentees are taken in chunks of rows sized so that a chunk's score matrix has
about ``CHUNK_CELLS`` cells (memory is bounded by the chunk, never by mentees x
mentors), two chunks at a time in threads. Two scorers:

- *exact* (up to ``EXACT_PAIRS`` eligible pairs): float64, every factor computed apart
  with the very operations of ``scoring.pair_factors``, so each score is bitwise the one
  ``explain_pair`` gives (stable mode's ties and the audit file agree with it exactly);
- *fast* (beyond): float32, one matrix product of weighted one-hot columns for fields,
  availability and mentor type plus the TF-IDF words many people share; the rare words
  as a sparse product; language and region added to runs of rows (a view's rows are
  sorted by block, region and district, and in a pruned build its columns by region and
  district, so each run gets one vector or one contiguous range of columns); choices
  scattered in. Within about 1e-6 of the exact scores (tested).

Pruning
-------
With at most ``config.full_graph_limit`` eligible pairs every one is kept. Beyond it the
graph keeps, for each mentee, her ``top_k`` mentors and, for each mentor, her ``top_k``
mentees (the union; DESIGN.md: the mentee side alone starves popular mentors' other
candidates and loses score). "Top" is by score (at float32 precision), ties to the lower
index (input order), so the graph is deterministic and exact, found without sorting any
full row or column:

- mentee side: the k-th largest score on a sample of a row's columns (a 16-column run
  every ``16 x ROW_SAMPLE_STRIDE``) is at most the row's k-th largest; a higher order
  statistic of the sample is a tighter bound, valid whenever k cells of the row reach it
  (checked, with the first as fallback), so only about 3k cells per row are ranked;
- mentor side: a seed pass over every ``SEED_STRIDE``-th mentee of each view gives each
  mentor a lower bound in the same way; cells above the current bound go to a buffer of
  packed integer keys that is reduced to each mentor's exact top-k whenever it grows,
  raising the bounds (bounds only rise, so the threads may read any snapshot: the result
  never depends on timing).

Locked pairs are always in the graph.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from . import rules, scoring
from .model import Candidates, MatchConfig, Mentee, Mentor

CHUNK_CELLS = 4_000_000  # cells of one chunk's score matrix
SEED_CELLS = 16_000_000
SEED_STRIDE = 12  # every n-th mentee of a view seeds the mentors' bounds
ROW_SAMPLE_STRIDE = 16  # the row bound samples about one column in n (at most)
WORKERS = 2  # chunks scored at once
BUFFER_PAIRS = 2_000_000  # mentor-side offers buffered before a reduction (at least)
EXACT_PAIRS = 2_000_000  # up to this many eligible pairs, score in float64
SCORE_BITS = 30  # selection keys: float32 bit patterns of scores in [0, 2)
SLACK = 2.0**-20  # bounds are lowered by this to absorb rounding between computations
DENSE_WORDS_MAX = 96  # most TF-IDF words handled as dense columns
DENSE_WORD_SHARE = 2e-3  # a word goes dense when share_mentees * share_mentors exceeds this
INELIGIBLE = -1.0


@dataclass
class Block:
    """Mentees of one (language profile, is_minor) and the mentors they may have."""

    mentees: np.ndarray  # int64, input order (locked mentees included)
    mentors: np.ndarray  # int64, sorted: pass language + minors and have a free place
    language_value: np.ndarray  # float64, the language factor per mentor in ``mentors``
    n_language: int  # mentors sharing a working language (any capacity, any clearance)
    n_minor_ok: int  # ... of which the minors rule allows
    group: tuple = ()  # (working languages, is_minor): blocks of a group share ``mentors``


@dataclass
class Problem:
    """Everything the candidate builder, the solver and the explanations share."""

    mentees: Sequence[Mentee]
    mentors: Sequence[Mentor]
    config: MatchConfig
    encoded: scoring.Encoded
    mentee_text: list[dict[str, float]]
    mentor_text: list[dict[str, float]]
    capacity: np.ndarray  # int64
    remaining: np.ndarray  # int64, free places once locked pairs are placed (>= 0)
    locked: list[tuple[int, int]]
    locked_ignored: int
    locked_mentee: np.ndarray  # bool
    international: np.ndarray  # bool per mentor
    from_regions: np.ndarray  # bool per mentee
    is_minor: np.ndarray  # bool per mentee
    blocks: list[Block]
    block_of: np.ndarray  # int64 per mentee
    # Exclusions and forbidden pairs that the language and minors rules would allow,
    # sorted by (mentee, mentor); ``excl_ptr`` indexes them by mentee.
    excl_mentee: np.ndarray
    excl_mentor: np.ndarray
    excl_ptr: np.ndarray
    choice_ptr: np.ndarray
    n_language: np.ndarray  # int64 per mentee, see rules.unmatched_reason
    n_minor_ok: np.ndarray
    n_not_excluded: np.ndarray
    eligible: np.ndarray  # mentors passing every hard rule, free place included
    stats: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def n_mentors(self) -> int:
        return len(self.mentors)


def _level_class(rank: int) -> int:
    """The language factor only tells B2 from C1+ from the rest."""
    if rank >= scoring.C1:
        return scoring.C1
    if rank == scoring.B2:
        return scoring.B2
    return 0


def _profile(languages: dict, minimum: int) -> tuple[tuple[str, int], ...]:
    return tuple(
        sorted(
            (code, _level_class(rank))
            for code, rank in rules.working_languages(languages, minimum).items()
        )
    )


def _pointer(sorted_rows: np.ndarray, n: int) -> np.ndarray:
    return np.searchsorted(sorted_rows, np.arange(n + 1, dtype=np.int64)).astype(np.int64)


def prepare(mentees: Sequence[Mentee], mentors: Sequence[Mentor], config: MatchConfig) -> Problem:
    """Check the input and build the blocks, rule counts and score matrices."""
    rules.check_config(config)
    rules.check_people(mentees, mentors)
    locked, locked_ignored = rules.resolve_locked(mentees, mentors, config)
    n, m = len(mentees), len(mentors)
    minimum = rules.min_rank(config)

    capacity = np.array([int(x.capacity) for x in mentors], dtype=np.int64)
    locked_mentee = np.zeros(n, dtype=bool)
    held = np.zeros(m, dtype=np.int64)
    for i, j in locked:
        locked_mentee[i] = True
        held[j] += 1
    remaining = np.maximum(capacity - held, 0)
    cleared = np.array([x.is_cleared_for_minors for x in mentors], dtype=bool)
    is_minor = np.array([x.is_minor for x in mentees], dtype=bool)

    # Mentor profiles, in order of first appearance.
    mentor_profiles: dict[tuple, list[int]] = {}
    for j, mentor in enumerate(mentors):
        mentor_profiles.setdefault(_profile(mentor.languages, minimum), []).append(j)
    profile_arrays = [
        (dict(profile), np.array(members, dtype=np.int64))
        for profile, members in mentor_profiles.items()
    ]

    mentee_keys: dict[tuple, list[int]] = {}
    for i, mentee in enumerate(mentees):
        key = (_profile(mentee.languages, minimum), bool(mentee.is_minor))
        mentee_keys.setdefault(key, []).append(i)

    blocks: list[Block] = []
    block_of = np.zeros(n, dtype=np.int64)
    for (profile, minor), members in mentee_keys.items():
        mine = dict(profile)
        chosen, values = [], []
        n_language = n_minor_ok = 0
        for theirs, group in profile_arrays:
            shared = [code for code in mine if code in theirs]
            if not shared:
                continue
            n_language += group.size
            allowed = group[cleared[group]] if minor else group
            n_minor_ok += allowed.size
            allowed = allowed[remaining[allowed] > 0]
            if allowed.size:
                best = max(min(mine[code], theirs[code]) for code in shared)
                chosen.append(allowed)
                values.append(np.full(allowed.size, scoring.language_value(best)))
        if chosen:
            mentor_idx = np.concatenate(chosen)
            value = np.concatenate(values)
            order = np.argsort(mentor_idx, kind="stable")
            mentor_idx, value = mentor_idx[order], value[order]
        else:
            mentor_idx, value = np.zeros(0, dtype=np.int64), np.zeros(0)
        block_of[members] = len(blocks)
        blocks.append(
            Block(
                mentees=np.array(members, dtype=np.int64),
                mentors=mentor_idx,
                language_value=value,
                n_language=n_language,
                n_minor_ok=n_minor_ok,
                group=(tuple(sorted(mine)), bool(minor)),
            )
        )

    # Exclusions and forbidden pairs, checked against the language and minors rules with
    # a working-language incidence matrix (languages are few).
    mentor_pos = {x.id: j for j, x in enumerate(mentors)}
    mentee_pos = {x.id: i for i, x in enumerate(mentees)}
    pairs = set()
    for i, mentee in enumerate(mentees):
        for mentor_id in mentee.excluded_mentors:
            j = mentor_pos.get(mentor_id)
            if j is not None:
                pairs.add((i, j))
    for mentee_id, mentor_id in config.forbidden:
        i, j = mentee_pos.get(mentee_id), mentor_pos.get(mentor_id)
        if i is not None and j is not None:
            pairs.add((i, j))
    ordered = sorted(pairs)
    excl_mentee = np.array([p[0] for p in ordered], dtype=np.int64)
    excl_mentor = np.array([p[1] for p in ordered], dtype=np.int64)
    if ordered:
        codes = sorted(
            {c for x in (*mentees, *mentors) for c in rules.working_languages(x.languages, minimum)}
        )
        column = {c: k for k, c in enumerate(codes)}

        def incidence(people, index):
            out = np.zeros((index.size, len(codes)), dtype=bool)
            for r, person_index in enumerate(index.tolist()):
                for code in rules.working_languages(people[person_index].languages, minimum):
                    out[r, column[code]] = True
            return out

        share = np.any(incidence(mentees, excl_mentee) & incidence(mentors, excl_mentor), axis=1)
        minor_ok = ~is_minor[excl_mentee] | cleared[excl_mentor]
        relevant = share & minor_ok
        excl_mentee, excl_mentor = excl_mentee[relevant], excl_mentor[relevant]
    with_place = remaining[excl_mentor] > 0
    n_excluded = np.bincount(excl_mentee, minlength=n)
    n_excluded_with_place = np.bincount(excl_mentee[with_place], minlength=n)
    excl_mentee, excl_mentor = excl_mentee[with_place], excl_mentor[with_place]

    per_block = np.array([[b.n_language, b.n_minor_ok, b.mentors.size] for b in blocks])
    per_block = per_block.reshape(len(blocks), 3).astype(np.int64)
    counts = per_block[block_of] if n else np.zeros((0, 3), dtype=np.int64)

    mentee_text = scoring.text_vectors([x.goal for x in mentees], config.text_idf)
    mentor_text = scoring.text_vectors(
        [scoring.mentor_document(x) for x in mentors], config.text_idf
    )
    encoded = scoring.encode(mentees, mentors, config, mentee_text, mentor_text)

    return Problem(
        mentees=mentees,
        mentors=mentors,
        config=config,
        encoded=encoded,
        mentee_text=mentee_text,
        mentor_text=mentor_text,
        capacity=capacity,
        remaining=remaining,
        locked=locked,
        locked_ignored=locked_ignored,
        locked_mentee=locked_mentee,
        international=np.array([x.is_international for x in mentors], dtype=bool),
        from_regions=np.array([x.is_from_regions for x in mentees], dtype=bool),
        is_minor=is_minor,
        blocks=blocks,
        block_of=block_of,
        excl_mentee=excl_mentee,
        excl_mentor=excl_mentor,
        excl_ptr=_pointer(excl_mentee, n),
        choice_ptr=_pointer(encoded.choice_mentee, n),
        n_language=counts[:, 0].copy(),
        n_minor_ok=counts[:, 1].copy(),
        n_not_excluded=counts[:, 1] - n_excluded,
        eligible=counts[:, 2] - n_excluded_with_place,
    )


# --- scoring chunks ----------------------------------------------------------------------------


@dataclass
class _Fast:
    """The fused form: ``mentee @ mentor.T`` is the weighted sum of every factor but
    the rare words' text (a sparse product), the choices (scattered in), and the
    language and region factors, added to runs: a view's rows are sorted by block, region
    and district, so each run of rows from one block gets that block's language vector,
    and (when the graph is pruned, its columns being sorted by region and district) each
    run from one region or district its bonus on one contiguous range of columns."""

    mentee: np.ndarray  # (n, D)
    mentor: np.ndarray  # (m, D)
    rare_mentee: sp.csr_matrix  # (n, V_rare), times w_text
    rare_mentor: sp.csr_matrix  # (m, V_rare)
    dtype: type


def _fast_matrices(problem: Problem, dtype, mentee_mask, mentor_mask) -> _Fast:
    enc = problem.encoded
    w = enc.weight
    m = problem.n_mentors
    te, tm = enc.text_mentee, enc.text_mentor
    n_words = te.shape[1]
    dense = np.zeros(0, dtype=np.int64)
    if n_words:
        # A word is worth a dense column when it sits in many pairs: the sparse product
        # costs per shared (pair, word), the dense one per pair and column.
        share_e = np.bincount(te[mentee_mask].indices, minlength=n_words) / max(
            1, int(mentee_mask.sum())
        )
        share_m = np.bincount(tm[mentor_mask].indices, minlength=n_words) / max(
            1, int(mentor_mask.sum())
        )
        weight = share_e * share_m
        order = np.argsort(-weight, kind="stable")[:DENSE_WORDS_MAX]
        dense = np.sort(order[weight[order] > DENSE_WORD_SHARE])
    rare = np.setdiff1d(np.arange(n_words), dense)
    has = enc.windows_count > 0
    wa = w["availability"]
    mentee = np.hstack(
        [
            enc.fields_mentee * (w["fields"] / np.maximum(enc.fields_count, 1.0))[:, None],
            enc.windows_mentee * (wa / np.maximum(enc.windows_count, 1.0))[:, None],
            np.where(has, wa * scoring.NO_WINDOWS, 0.0)[:, None],
            np.where(has, 0.0, wa * scoring.NO_WINDOWS)[:, None],
            w["mentor_type"] * scoring.MENTOR_TYPE_TABLE[enc.preference],
            w["text"] * te[:, dense].toarray(),
        ]
    )
    intl = enc.mentor_international
    mentor = np.hstack(
        [
            enc.fields_mentor,
            enc.windows_mentor,
            (~enc.mentor_has_windows).astype(np.float64)[:, None],
            np.ones((m, 1)),
            np.column_stack([~intl, intl]).astype(np.float64),
            tm[:, dense].toarray(),
        ]
    )
    problem.stats.update(dense_words=int(dense.size), rare_words=int(rare.size))
    return _Fast(
        mentee=np.ascontiguousarray(mentee, dtype=dtype),
        mentor=np.ascontiguousarray(mentor, dtype=dtype),
        rare_mentee=(w["text"] * te[:, rare]).astype(dtype).tocsr(),
        rare_mentor=tm[:, rare].astype(dtype).tocsr(),
        dtype=dtype,
    )


def _columns_by_code(codes: np.ndarray) -> dict:
    """code -> the columns holding it (code >= 0): a slice when they are contiguous."""
    out: dict = {}
    if codes.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = np.r_[starts[1:], codes.size]
    runs: dict[int, list] = {}
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        code = int(codes[a])
        if code >= 0:
            runs.setdefault(code, []).append((a, b))
    for code, spans in runs.items():
        if len(spans) == 1:
            out[code] = slice(*spans[0])
        else:
            out[code] = np.concatenate([np.arange(a, b) for a, b in spans])
    return out


@dataclass
class _View:
    """One eligibility group: its mentees (rows) against its mentors (columns)."""

    rows: np.ndarray  # mentees taking part, sorted by (block, region, district, index)
    member: np.ndarray  # per row: which of the group's blocks she is in
    cols: np.ndarray  # mentors taking part, by index or by (region, district, index)
    language: np.ndarray  # (blocks, len(cols)) the language factor value
    position: np.ndarray  # int64 per mentor: column in this view, -1 when absent
    text_t: sp.csr_matrix | None  # (V, len(cols)): all words (exact) or the rare ones (fast)
    mentor_matrix: np.ndarray | None  # fast only: (len(cols), D)
    places: dict = field(default_factory=dict)  # "region"/"district" -> code -> columns
    language_row: np.ndarray | None = None  # fast only: weighted ``language``


class _Scorer:
    """Scores of some of a view's rows against its columns; INELIGIBLE where an
    exclusion or forbidden pair sits. ``exact``: float64, each factor with the same
    operations as ``scoring.pair_factors`` (bitwise equal scores); otherwise the fused
    float32 product (within about 1e-6)."""

    def __init__(self, problem: Problem, exact: bool, mentee_mask, mentor_mask):
        self.problem = problem
        self.exact = exact
        self.dtype = np.float64 if exact else np.float32
        self.fast = None
        if not exact:
            # Built once per problem (the dense words are chosen on the first build).
            self.fast = problem.cache.get("fast")
            if self.fast is None:
                self.fast = _fast_matrices(problem, self.dtype, mentee_mask, mentor_mask)
                problem.cache["fast"] = self.fast

    def view(self, blocks: list[Block], mentee_mask, mentor_mask, by_place: bool) -> _View | None:
        """The view of blocks of one group (they share their mentors), or None when no
        pair is left. ``by_place``: columns ordered by (region, district, mentor) instead
        of by mentor."""
        enc = self.problem.encoded
        keep = np.flatnonzero(mentor_mask[blocks[0].mentors])
        cols = blocks[0].mentors[keep]
        parts = [b.mentees[mentee_mask[b.mentees]] for b in blocks]
        if cols.size == 0 or not any(p.size for p in parts):
            return None
        if by_place:
            order = np.lexsort((cols, enc.district_mentor[cols], enc.region_mentor[cols]))
            keep, cols = keep[order], cols[order]
        rows = np.concatenate(parts)
        member = np.repeat(np.arange(len(blocks)), [p.size for p in parts])
        order = np.lexsort((rows, enc.district_mentee[rows], enc.region_mentee[rows], member))
        rows, member = rows[order], member[order]
        language = np.stack([b.language_value[keep] for b in blocks])
        position = np.full(self.problem.n_mentors, -1, dtype=np.int64)
        position[cols] = np.arange(cols.size)
        places = {
            "region": _columns_by_code(enc.region_mentor[cols]),
            "district": _columns_by_code(enc.district_mentor[cols]),
        }
        if self.exact:
            text = enc.text_mentor
            text_t = text[cols].T.tocsr() if text.nnz else None
            return _View(rows, member, cols, language, position, text_t, None, places)
        fast = self.fast
        matrix = fast.mentor[cols]
        text_t = None
        if fast.rare_mentee.nnz and fast.rare_mentor.nnz:
            text_t = fast.rare_mentor[cols].T.tocsr()
        weighted = (enc.weight["language"] * language).astype(self.dtype)
        return _View(rows, member, cols, language, position, text_t, matrix, places, weighted)

    def score(self, view: _View, index) -> np.ndarray:
        """Scores of ``view.rows[index]`` (a slice or an index array)."""
        problem, enc = self.problem, self.problem.encoded
        rows, member = view.rows[index], view.member[index]
        if self.exact:
            scores = self._exact(view, rows, member)
        else:
            fast = self.fast
            scores = fast.mentee[rows] @ view.mentor_matrix.T
            # the language factor, per run of rows from one block
            starts = np.flatnonzero(np.r_[True, member[1:] != member[:-1]])
            ends = np.r_[starts[1:], member.size]
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
                scores[a:b] += view.language_row[member[a]]
            if view.text_t is not None:
                product = fast.rare_mentee[rows] @ view.text_t
                if product.nnz:
                    flat = np.repeat(np.arange(rows.size) * view.cols.size, np.diff(product.indptr))
                    flat += product.indices
                    scores.ravel()[flat] += product.data  # one entry per cell: no duplicates
            r, c, e = _scatter(problem.choice_ptr, enc.choice_mentor, rows, view.position)
            if r.size:
                w = enc.weight
                bonus = w["mentee_choice"] * enc.choice_by_mentee[e]
                bonus += w["mentor_choice"] * enc.choice_by_mentor[e]
                scores[r, c] += bonus.astype(self.dtype)
            self._add_places(view, rows, scores)
        r, c, _e = _scatter(problem.excl_ptr, problem.excl_mentor, rows, view.position)
        if r.size:
            scores[r, c] = INELIGIBLE
        return scores

    def _add_places(self, view: _View, rows: np.ndarray, scores: np.ndarray) -> None:
        """The region factor, on runs of rows from one region (or district) times that
        region's (district's) mentor columns: a slice when columns are by place."""
        enc = self.problem.encoded
        weight = enc.weight["region"]
        if weight == 0:
            return
        for kind, codes, bonus in (
            ("region", enc.region_mentee, scoring.SAME_REGION),
            ("district", enc.district_mentee, scoring.SAME_DISTRICT - scoring.SAME_REGION),
        ):
            mine = codes[rows]
            starts = np.flatnonzero(np.r_[True, mine[1:] != mine[:-1]])
            ends = np.r_[starts[1:], mine.size]
            columns_of = view.places[kind]
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
                columns = columns_of.get(int(mine[a]))
                if columns is not None:
                    scores[a:b, columns] += self.dtype(weight * bonus)

    def _exact(self, view: _View, rows: np.ndarray, member: np.ndarray) -> np.ndarray:
        enc, cols = self.problem.encoded, view.cols
        shape = (rows.size, cols.size)
        values = {}
        shared = enc.fields_mentee[rows] @ enc.fields_mentor[cols].T
        values["fields"] = shared / np.maximum(enc.fields_count[rows], 1.0)[:, None]
        if view.text_t is not None:
            text = (enc.text_mentee[rows] @ view.text_t).toarray()
            values["text"] = np.clip(text, 0.0, 1.0)
        else:
            values["text"] = np.zeros(shape)
        kind = enc.mentor_international[cols].astype(np.int64)
        values["mentor_type"] = scoring.MENTOR_TYPE_TABLE[enc.preference[rows][:, None], kind]
        region_e = enc.region_mentee[rows][:, None]
        same_region = (region_e == enc.region_mentor[cols][None, :]) & (region_e >= 0)
        district_e = enc.district_mentee[rows][:, None]
        same_district = (
            same_region & (district_e == enc.district_mentor[cols][None, :]) & (district_e >= 0)
        )
        values["region"] = np.where(
            same_district,
            scoring.SAME_DISTRICT,
            np.where(same_region, scoring.SAME_REGION, 0.0),
        )
        count = enc.windows_count[rows]
        both = (count > 0)[:, None] & enc.mentor_has_windows[cols][None, :]
        shared = enc.windows_mentee[rows] @ enc.windows_mentor[cols].T
        values["availability"] = np.where(
            both, shared / np.maximum(count, 1.0)[:, None], scoring.NO_WINDOWS
        )
        values["mentee_choice"] = np.zeros(shape)
        values["mentor_choice"] = np.zeros(shape)
        r, c, e = _scatter(self.problem.choice_ptr, enc.choice_mentor, rows, view.position)
        if r.size:
            values["mentee_choice"][r, c] = enc.choice_by_mentee[e]
            values["mentor_choice"][r, c] = enc.choice_by_mentor[e]
        values["language"] = view.language[member]
        scores = np.zeros(shape)
        for code in scoring.FACTORS:  # the order and operations of pair_factors
            scores += enc.weight[code] * values[code]
        return scores


def _scatter(ptr, targets, rows, position):
    """(local row, local column, entry index) of the per-mentee list entries of ``rows``
    whose mentor is in the block."""
    starts, ends = ptr[rows], ptr[rows + 1]
    counts = ends - starts
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    local = np.repeat(np.arange(rows.size), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    entry = np.repeat(starts, counts) + offsets
    column = position[targets[entry]]
    ok = column >= 0
    return local[ok], column[ok], entry[ok]


# --- exact top-k selection ---------------------------------------------------------------------


def _bits(values: np.ndarray) -> np.ndarray:
    """Order-preserving integer keys of non-negative scores: their float32 bit patterns
    (below 2**30 for scores under 2), so equal keys mean scores equal to float32
    precision and a key decodes back to the float32 score."""
    single = np.asarray(values, dtype=np.float32) + np.float32(0.0)  # no -0.0
    return single.view(np.int32).astype(np.int64)


def _unbits(keys: np.ndarray) -> np.ndarray:
    return keys.astype(np.int32).view(np.float32).astype(np.float64)


def _cells(mask: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, flat index) of the true cells of a C-ordered mask, row-major."""
    flat = np.flatnonzero(mask)
    row = flat // width
    return row, flat - row * width, flat


def _lowered(values) -> np.ndarray:
    return np.maximum(np.asarray(values, dtype=np.float64) - SLACK, 0.0)


def _sample_columns(scores: np.ndarray, stride: int) -> np.ndarray:
    """About one column in ``stride``, taken as runs of 16 adjacent columns (a cache
    line of float32) every 16 x stride columns: spread over the whole row, like a strided
    sample, but read a line at a time."""
    group = 16 * stride
    blocks = scores.shape[1] // group
    if stride == 1 or blocks == 0:
        return scores[:, ::stride]
    head = scores[:, : blocks * group].reshape(scores.shape[0], blocks, group)
    return head[:, :, :16].reshape(scores.shape[0], blocks * 16)


def _row_estimate(sample: np.ndarray, k: int, width: int) -> np.ndarray:
    """A tight bound per row from a strided sample of its columns: the sample's j-th
    best, j chosen so that about 3k cells of the row reach it. It is a lower bound on the
    row's k-th best whenever k cells reach it, which the caller checks."""
    size = sample.shape[1]
    j = max(1, min(size, math.ceil(3 * k * size / width)))
    return _lowered(np.partition(sample, size - j, axis=1)[:, size - j])


def _row_guaranteed(sample: np.ndarray, k: int) -> np.ndarray:
    """The sample's k-th best per row: never above the row's k-th best (a sample being
    a subset of the row), 0 when the sample is narrower than k."""
    size = sample.shape[1]
    if size < k:
        return np.zeros(sample.shape[0])
    return _lowered(np.partition(sample, size - k, axis=1)[:, size - k])


def _last_of_segments(labels: np.ndarray, k: int) -> np.ndarray:
    """Mask of the last k entries of each run of equal labels (labels sorted)."""
    if labels.size == 0:
        return np.zeros(0, dtype=bool)
    ends = np.flatnonzero(np.r_[labels[1:] != labels[:-1], True])
    lengths = np.diff(np.r_[-1, ends])
    end_of = np.repeat(ends, lengths)
    return end_of - np.arange(labels.size) < k


def _row_top_k(r, c, v, k: int, cols: np.ndarray, position: np.ndarray):
    """(row, column) of each row's k best entries (entries sorted by row), best = highest
    score key, ties to the lower mentor index (``cols[c]``)."""
    if r.size == 0:
        return r, c
    counts = np.bincount(r)
    widest = int(counts.max())
    if widest <= k:
        return r, c
    mentor = cols[c]
    cb = max(1, int(position.size).bit_length())
    low = (1 << cb) - 1
    key = (_bits(v) << cb) | (low - mentor)  # unique within a row
    if counts.size * widest <= 4 * r.size:
        # Rows of similar length: the k-th best key of each row by one partition of a
        # padded matrix, then keep the keys reaching it.
        starts = np.cumsum(counts) - counts
        # distinct negative pads: many equal values slow introselect down badly
        padded = np.broadcast_to(-1 - np.arange(widest, dtype=np.int64), (counts.size, widest))
        padded = padded.copy()
        padded[r, np.arange(r.size) - starts[r]] = key
        kth = np.partition(padded, widest - k, axis=1)[:, widest - k]
        keep = key >= kth[r]
        return r[keep], c[keep]
    shift = SCORE_BITS + cb
    if int(r.max()).bit_length() + shift <= 63:
        packed = (r.astype(np.int64) << shift) | key
        packed.sort()
        row = packed >> shift
        column = position[low - (packed & low)]
    else:  # a chunk too tall to pack: sort by (row, score, -mentor) instead
        order = np.lexsort((-mentor, _bits(v), r))
        row, column = r[order], c[order]
    keep = _last_of_segments(row, k)
    return row[keep], column[keep]


class _MentorTopK:
    """Each mentor's k best mentees over everything offered so far, exactly (best =
    highest score key, ties to the lower mentee index), with a lower bound on her k-th
    score that only rises. In the fast (float32) mode the entries are packed int64 keys
    (mentor, score bits, inverted mentee), sorted with one ``np.sort``; exact mode keeps
    the float64 scores beside them."""

    def __init__(self, n_mentees: int, n_mentors: int, k: int, dtype, exact: bool):
        self.k = k
        self.n_mentors = n_mentors
        self.mentee_bits = max(1, int(n_mentees).bit_length())
        self.shift = SCORE_BITS + self.mentee_bits
        self.packed = self.shift + max(1, int(n_mentors).bit_length()) <= 63
        self.carry_scores = exact or not self.packed
        self.bound = np.zeros(n_mentors, dtype=dtype)  # offer cells >= bound
        self.parts: list[tuple] = []
        self.buffered = 0
        self.limit = max(BUFFER_PAIRS, 2 * n_mentors * k)
        self.reductions = 0
        self.mentor = np.zeros(0, dtype=np.int64)
        self.mentee = np.zeros(0, dtype=np.int64)
        self.score = np.zeros(0, dtype=np.float64)
        self.keys = np.zeros(0, dtype=np.int64)

    def seed(self, kth: np.ndarray) -> None:
        """Lower bounds from a sample: kth[j] is a k-th best score of mentor j among
        some of her mentees (-inf when fewer than k)."""
        self.bound = np.maximum(self.bound, (kth - SLACK).astype(self.bound.dtype))

    def offer(self, mentor: np.ndarray, mentee: np.ndarray, score: np.ndarray) -> None:
        if mentor.size == 0:
            return
        if self.carry_scores:
            self.parts.append((mentor, mentee, score.astype(np.float64)))
        else:
            key = (mentor << self.shift) | (_bits(score) << self.mentee_bits)
            self.parts.append((key | ((1 << self.mentee_bits) - 1 - mentee),))
        self.buffered += mentor.size
        if self.buffered > self.limit:
            self.reduce()

    def reduce(self) -> None:
        if not self.parts:
            return
        self.reductions += 1
        if self.carry_scores:
            mentor = np.concatenate([self.mentor, *(p[0] for p in self.parts)])
            mentee = np.concatenate([self.mentee, *(p[1] for p in self.parts)])
            score = np.concatenate([self.score, *(p[2] for p in self.parts)])
            bits = _bits(score)
            if self.packed:
                key = (mentor << self.shift) | (bits << self.mentee_bits)
                order = np.argsort(key | ((1 << self.mentee_bits) - 1 - mentee))
            else:
                order = np.lexsort((-mentee, bits, mentor))
            mentor, mentee, score = mentor[order], mentee[order], score[order]
        else:
            # The kept keys are sorted already: sort the new ones, and a stable sort of
            # the two sorted runs is a linear merge.
            fresh = np.concatenate([p[0] for p in self.parts])
            fresh.sort()
            keys = np.concatenate([self.keys, fresh])
            keys.sort(kind="stable")
            mentor = keys >> self.shift
        self.parts, self.buffered = [], 0
        keep = _last_of_segments(mentor, self.k)
        if self.carry_scores:
            self.mentor, self.mentee, self.score = mentor[keep], mentee[keep], score[keep]
        else:
            self.keys = keys[keep]
            self.mentor = mentor[keep]
            self.mentee = (1 << self.mentee_bits) - 1 - (self.keys & ((1 << self.mentee_bits) - 1))
            self.score = _unbits((self.keys >> self.mentee_bits) & ((1 << SCORE_BITS) - 1))
        counts = np.bincount(self.mentor, minlength=self.n_mentors)
        full = counts >= self.k
        if full.any():
            first = np.searchsorted(self.mentor, np.arange(self.n_mentors))
            worst = self.score[np.minimum(first, self.mentor.size - 1)]
            bound = (worst - SLACK).astype(self.bound.dtype)
            self.bound[full] = np.maximum(self.bound[full], bound[full])


def _seed_mentor_bounds(problem, scorer: _Scorer, views, k: int) -> np.ndarray:
    """A lower bound on each mentor's k-th best score: her k-th best among every
    ``SEED_STRIDE``-th mentee of each view (-inf when she has fewer such mentees)."""
    best = np.full((problem.n_mentors, k), -np.inf, dtype=np.float64)
    for view in views:
        sample = np.arange(0, view.rows.size, SEED_STRIDE)
        step = max(1, SEED_CELLS // view.cols.size)
        for start in range(0, sample.size, step):
            scores = scorer.score(view, sample[start : start + step])
            columns = np.ascontiguousarray(scores.T)
            if columns.shape[1] > k:
                columns = np.partition(columns, columns.shape[1] - k, axis=1)[:, -k:]
            merged = np.hstack([best[view.cols], columns.astype(np.float64)])
            best[view.cols] = np.partition(merged, merged.shape[1] - k, axis=1)[:, -k:]
    kth = best.min(axis=1)
    kth[kth < 0] = -np.inf  # an ineligible cell among the k: no bound
    return kth


# --- the builder -------------------------------------------------------------------------------


def eligible_pair_count(problem: Problem, mentee_mask, mentor_mask) -> int:
    total = 0
    for block in problem.blocks:
        rows = int(mentee_mask[block.mentees].sum())
        if rows:
            total += rows * int(mentor_mask[block.mentors].sum())
    excl = mentee_mask[problem.excl_mentee] & mentor_mask[problem.excl_mentor]
    return total - int(excl.sum())


def build(
    problem: Problem,
    *,
    mentee_mask: np.ndarray | None = None,
    mentor_mask: np.ndarray | None = None,
    keep_all: bool | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate pairs among the masked mentees (default: all but the locked ones) and
    mentors (default: those with a free place): (mentee_idx, mentor_idx, score), sorted
    by mentee then mentor. ``keep_all`` defaults to "at most full_graph_limit pairs"."""
    config = problem.config
    n, m = problem.n_mentees, problem.n_mentors
    if mentee_mask is None:
        mentee_mask = ~problem.locked_mentee
    if mentor_mask is None:
        mentor_mask = problem.remaining > 0
    mentor_mask = mentor_mask & (problem.remaining > 0)
    pairs = eligible_pair_count(problem, mentee_mask, mentor_mask)
    if keep_all is None:
        keep_all = pairs <= config.full_graph_limit
    exact = pairs <= EXACT_PAIRS
    problem.stats.update(eligible_pairs=pairs, full_graph=bool(keep_all), exact_scores=exact)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))
    if pairs == 0:
        return empty

    scorer = _Scorer(problem, exact, mentee_mask, mentor_mask)
    dtype = scorer.dtype
    groups: dict[tuple, list[Block]] = {}
    for block in problem.blocks:
        groups.setdefault(block.group, []).append(block)
    views = [
        scorer.view(members, mentee_mask, mentor_mask, by_place=not keep_all)
        for members in groups.values()
    ]
    views = [view for view in views if view is not None]
    problem.stats["views"] = len(views)

    k = config.top_k
    mentor_side = _MentorTopK(n, m, k, dtype, exact)
    if not keep_all:
        mentor_side.seed(_seed_mentor_bounds(problem, scorer, views, k))

    def chunk(view: _View, start: int):
        """Score one chunk and select from it: (kept pairs, mentor-side offers, counts)."""
        width = view.cols.size
        rows = view.rows[start : start + steps[id(view)]]
        scores = scorer.score(view, slice(start, start + rows.size))
        flat_scores = scores.ravel()
        if keep_all:
            r, c, flat = _cells(scores >= 0, width)
            return (rows[r].astype(np.int32), view.cols[c].astype(np.int32), flat_scores[flat])
        stride = min(ROW_SAMPLE_STRIDE, max(1, width // (8 * k)))
        if width <= k:
            estimate = np.zeros(rows.size, dtype=dtype)
        else:
            estimate = _row_estimate(_sample_columns(scores, stride), k, width).astype(dtype)
        col_bound = mentor_side.bound[view.cols]  # bounds only rise: any snapshot is valid
        mask = np.greater_equal(scores, estimate[:, None])
        mask |= scores >= col_bound[None, :]
        r, c, flat = _cells(mask, width)
        v = flat_scores[flat]
        on_row = v >= estimate[r]
        # The estimate is a lower bound on a row's k-th best exactly when at least k of
        # its cells reach it; the other rows fall back on the guaranteed bound.
        short = np.flatnonzero(np.bincount(r[on_row], minlength=rows.size) < k)
        short = short[estimate[short] > 0]
        row_r, row_c, row_v = r[on_row], c[on_row], v[on_row]
        if short.size:
            guaranteed = _row_guaranteed(_sample_columns(scores[short], stride), k)
            guaranteed = guaranteed.astype(dtype)
            sr, sc, _flat = _cells(scores[short] >= guaranteed[:, None], width)
            is_short = np.zeros(rows.size, dtype=bool)
            is_short[short] = True
            redo = is_short[row_r]
            row_r = np.concatenate([row_r[~redo], short[sr]])
            row_c = np.concatenate([row_c[~redo], sc])
            row_v = np.concatenate([row_v[~redo], scores[short[sr], sc]])
            order = np.argsort(row_r, kind="stable")
            row_r, row_c, row_v = row_r[order], row_c[order], row_v[order]
        best_r, best_c = _row_top_k(row_r, row_c, row_v, k, view.cols, view.position)
        best = (rows[best_r], view.cols[best_c], flat_scores[best_r * width + best_c])
        on_col = v >= col_bound[c]
        offer = (view.cols[c[on_col]], rows[r[on_col]], v[on_col])
        return best, offer, (row_r.size, short.size)

    steps = {id(view): max(1, CHUNK_CELLS // view.cols.size) for view in views}
    tasks = [(view, start) for view in views for start in range(0, view.rows.size, steps[id(view)])]
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    offers = row_candidates = fallbacks = 0
    # Chunks run two at a time (numpy and BLAS release the GIL); results are taken in
    # order, so the output never depends on timing.
    pool = ThreadPoolExecutor(max_workers=WORKERS) if WORKERS > 1 and len(tasks) > 1 else None
    results = pool.map(lambda task: chunk(*task), tasks) if pool else (chunk(*t) for t in tasks)
    try:
        for result in results:
            if keep_all:
                kept.append(result)
                continue
            best, offer, (n_row, n_short) = result
            kept.append(best)
            mentor_side.offer(*offer)
            row_candidates += n_row
            fallbacks += n_short
            offers += offer[0].size
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    problem.stats.update(
        row_candidates=row_candidates, mentor_offers=offers, row_fallbacks=fallbacks
    )

    if keep_all:
        # No pair appears twice, and a mentee's pairs sit in one row of one chunk, sorted
        # by mentor: a stable sort by mentee orders them all.
        mentee_idx = np.concatenate([p[0] for p in kept])
        order = np.argsort(mentee_idx, kind="stable")
        mentor_idx = np.concatenate([p[1] for p in kept])[order]
        score = np.concatenate([p[2] for p in kept])[order].astype(np.float64)
        return mentee_idx[order].astype(np.int64), mentor_idx.astype(np.int64), score
    mentor_side.reduce()
    problem.stats["mentor_reductions"] = mentor_side.reductions
    kept.append((mentor_side.mentee, mentor_side.mentor, mentor_side.score))
    mentee_idx = np.concatenate([p[0] for p in kept]).astype(np.int64)
    mentor_idx = np.concatenate([p[1] for p in kept]).astype(np.int64)
    score = np.concatenate([np.asarray(p[2], dtype=np.float64) for p in kept])
    key = mentee_idx * m + mentor_idx
    order = np.argsort(key, kind="stable")
    key, score = key[order], score[order]
    first = np.r_[True, key[1:] != key[:-1]] if key.size else np.zeros(0, dtype=bool)
    return key[first] // m, key[first] % m, score[first]


def as_candidates(
    problem: Problem, pairs: tuple[np.ndarray, np.ndarray, np.ndarray], locked_scores
) -> Candidates:
    """The model's Candidates: the pairs plus the locked ones, sorted by (mentee, mentor)."""
    mentee_idx, mentor_idx, score = pairs
    if problem.locked:
        li = np.array([i for i, _j in problem.locked], dtype=np.int64)
        lj = np.array([j for _i, j in problem.locked], dtype=np.int64)
        mentee_idx = np.concatenate([mentee_idx, li])
        mentor_idx = np.concatenate([mentor_idx, lj])
        score = np.concatenate([score, np.asarray(locked_scores, dtype=np.float64)])
        order = np.lexsort((mentor_idx, mentee_idx))
        mentee_idx, mentor_idx, score = mentee_idx[order], mentor_idx[order], score[order]
    return Candidates(
        mentee_index=mentee_idx.astype(np.int32),
        mentor_index=mentor_idx.astype(np.int32),
        score=score.astype(np.float64),
        eligible=problem.eligible.astype(np.int32),
    )


def free_eligible_counts(
    problem: Problem, mentees: np.ndarray, free: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each given mentee, how many of her eligible mentors still have a free place
    (``free`` per mentor, after the solve): (regional, international)."""
    regional = np.zeros(mentees.size, dtype=np.int64)
    international = np.zeros(mentees.size, dtype=np.int64)
    has_free = free > 0
    by_block: dict[int, tuple[int, int]] = {}
    for b, block in enumerate(problem.blocks):
        open_mentors = block.mentors[has_free[block.mentors]]
        intl = int(problem.international[open_mentors].sum())
        by_block[b] = (open_mentors.size - intl, intl)
    for k, i in enumerate(mentees.tolist()):
        reg, intl = by_block[int(problem.block_of[i])]
        lo, hi = problem.excl_ptr[i], problem.excl_ptr[i + 1]
        excluded = problem.excl_mentor[lo:hi]
        excluded = excluded[has_free[excluded]]
        n_intl = int(problem.international[excluded].sum())
        regional[k] = reg - (excluded.size - n_intl)
        international[k] = intl - n_intl
    return regional, international
