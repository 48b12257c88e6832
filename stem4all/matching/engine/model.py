"""The matching engine's vocabulary: plain dataclasses in, plain dataclasses out.

Nothing here imports Django. The platform (``stem4all.matching.services``) and the
spreadsheet command (``stem4all match-file``) both translate their data into these
types, call ``stem4all.matching.engine.match``, and render the result.

Codes used in the data (the platform's vocabularies, see ``stem4all.accounts``):
- languages: ISO 639-1 codes (``ky``, ``ru``, ``en``...), each with a CEFR level
  (``A1``..``C2``), ``native``, or ``None`` meaning "fluent" (a language given without
  a level counts as fluent);
- fields: STEM field codes (``data_science``...), compared as plain strings;
- regions: Kyrgyz region codes (``bishkek``, ``naryn``...); ``country`` is ISO 3166
  alpha-2, ``KG`` for Kyrgyzstan. A mentor is *regional* when her country is KG,
  otherwise *international*. A mentee is *from the regions* (counted by the fairness
  floor) when she lives in Kyrgyzstan outside Bishkek city;
- availability: window codes (``weekday_evening``...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HOME_COUNTRY = "KG"
CAPITAL_REGION = "bishkek"
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
FLUENT = None  # a language without a level


def level_rank(level: str | None) -> int:
    """A1=0 ... C2=5, native (and no level given) = 6."""
    if level is None:
        return len(LEVELS) - 1
    return LEVELS.index(level)


@dataclass(frozen=True)
class Mentee:
    id: str
    languages: dict[str, str | None]
    fields: frozenset[str] = frozenset()
    goal: str = ""
    country: str = HOME_COUNTRY
    region: str = ""
    district: str = ""
    is_minor: bool = False
    preferred_mentor_type: str = "any"  # "regional" | "international" | "any"
    availability: frozenset[str] = frozenset()
    hours_per_month: int | None = None
    ranked_mentors: tuple[str, ...] = ()  # her choices, best first (mentee-chooses mode)
    excluded_mentors: frozenset[str] = frozenset()
    name: str = ""  # for explanations and spreadsheets only; never used in scoring

    @property
    def is_from_regions(self) -> bool:
        return self.country == HOME_COUNTRY and self.region != CAPITAL_REGION


@dataclass(frozen=True)
class Mentor:
    id: str
    languages: dict[str, str | None]
    capacity: int  # free places now (total capacity minus mentees she already has)
    fields: frozenset[str] = frozenset()
    expertise: str = ""  # job title, organisation, bio: text compared with mentees' goals
    country: str = HOME_COUNTRY
    region: str = ""
    district: str = ""
    is_cleared_for_minors: bool = False
    availability: frozenset[str] = frozenset()
    hours_per_month: int | None = None
    ranked_mentees: tuple[str, ...] = ()  # her stated preferences, best first
    name: str = ""

    @property
    def is_international(self) -> bool:
        return self.country != HOME_COUNTRY


@dataclass(frozen=True)
class Weights:
    """Weights of the soft-score factors. The score of a pair is the weighted mean of
    the factor values (each in [0, 1]), so it lies in [0, 1] whatever the weights."""

    fields: float = 3.0  # share of the mentee's fields that the mentor covers
    text: float = 2.0  # TF-IDF cosine similarity of goal and expertise
    mentor_type: float = 1.5  # regional/international as the mentee asked
    region: float = 1.0  # same district 1, same region 0.7 (regional pairs only)
    availability: float = 1.0  # share of the mentee's free windows the mentor shares
    mentee_choice: float = 2.0  # her 1st choice 1, 2nd 0.67, 3rd 0.33...
    mentor_choice: float = 1.0  # the mentor's stated preference, same scale
    language: float = 0.5  # both at C1 or above in a shared language


@dataclass(frozen=True)
class MatchConfig:
    weights: Weights = field(default_factory=Weights)
    mode: str = "optimal"  # "optimal" | "stable"
    min_language_level: str = "B1"
    top_k: int = 50  # candidates kept per mentee AND per mentor (union of both)
    full_graph_limit: int = 2_000_000  # below this many eligible pairs, keep them all
    regional_floor: float | None = None  # min share of from-the-regions mentees matched
    max_international_share: float | None = None  # max share of matches with intl mentors
    spread_load: bool = False  # prefer giving every mentor a first mentee before a second
    locked: frozenset[tuple[str, str]] = frozenset()  # (mentee_id, mentor_id) kept as is
    forbidden: frozenset[tuple[str, str]] = frozenset()  # never proposed
    # With spread_load: score a pair gives up for each mentee its mentor already holds
    # (her 2nd place costs 1 x this, her 3rd 2 x this...). Never changes the matched count.
    spread_penalty: float = 0.2
    # Inverse document frequencies for the text factor, as sorted (word, idf) pairs
    # (engine.scoring.fit_idf builds them from a corpus). Empty: every word weighs 1, so
    # that a pair's score depends on the pair alone. Words missing from a non-empty table
    # weigh as much as its rarest word.
    text_idf: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Factor:
    """One factor's part in a pair's score, with the facts behind it.

    ``code`` names the factor (the Weights attribute); ``value`` is in [0, 1];
    ``contribution`` = weight * value / sum(weights), so contributions add up to the
    score. ``params`` holds the facts for the sentence (e.g. ``{"fields": ["physics"]}``,
    ``{"languages": ["ky", "en"]}``, ``{"asked": "international", "mentor": "regional"}``,
    ``{"rank": 1}``); the platform and the CLI each turn it into words
    (``describe_factor`` gives English)."""

    code: str
    value: float
    contribution: float
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    mentee_id: str
    mentor_id: str
    score: float
    factors: tuple[Factor, ...]
    is_locked: bool = False


class UnmatchedReason:
    """Why a mentee got no mentor. The first that applies, in this order."""

    NO_SHARED_LANGUAGE = "no_shared_language"  # no mentor shares a working language
    NEEDS_MINOR_CLEARED_MENTOR = "needs_minor_cleared_mentor"  # under 18, none cleared fits
    ALL_EXCLUDED = "all_excluded"  # every eligible mentor excluded or forbidden
    NO_MENTOR_WITH_CAPACITY = "no_mentor_with_capacity"  # eligible ones have no free place
    CAPACITY_TAKEN = "capacity_taken"  # eligible mentors' places went to other mentees
    INTERNATIONAL_LIMIT = "international_limit"  # only intl mentors fit, cap reached


@dataclass(frozen=True)
class Unmatched:
    mentee_id: str
    reason: str  # an UnmatchedReason value
    eligible_mentors: int = 0  # how many mentors passed the hard rules for her


@dataclass
class MatchResult:
    assignments: list[Assignment]
    unmatched: list[Unmatched]
    # Every candidate pair the solver considered: (mentee_id, mentor_id, score).
    candidates: list[tuple[str, str, float]]
    summary: dict  # see engine.match: matched, total_score, shares, loads, timings...
    blocking_pairs: int | None = None  # stable mode only


@dataclass
class Candidates:
    """The candidate graph: every pair kept after the hard rules and top-k pruning.

    Parallel arrays, one entry per pair; indices point into the mentees and mentors
    lists given to ``match``. Locked pairs are always present. ``eligible`` counts, per
    mentee, the mentors that passed the hard rules before pruning (for the reasons)."""

    mentee_index: np.ndarray  # int32
    mentor_index: np.ndarray  # int32
    score: np.ndarray  # float64, in [0, 1]
    eligible: np.ndarray  # int32, one per mentee
