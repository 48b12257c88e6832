"""Explanations: why a pair fits, and why a mentee found no mentor, in facts and words.

A pair's explanation is a tuple of ``Factor`` s: every factor whose contribution is
above 0, strongest first (ties in ``scoring.FACTORS`` order), plus the ``language``
factor, which always names the shared working languages even when its contribution is
0. The contributions add up to the pair's score. Their ``params``:

``fields``         ``{"fields": [shared field codes]}``
``text``           ``{"words": [up to 3 shared words, strongest first]}``
``mentor_type``    ``{"asked": "regional"|"international"|"any",
                   "mentor": "regional"|"international"}``
``region``         ``{"same": "district"|"region", "region": code}`` (+ ``"district"``)
``availability``   ``{"windows": [shared windows]}``; ``{"windows": [], "stated": False}``
                   when either gave none
``mentee_choice``  ``{"rank": r}``; ``mentor_choice`` the same
``language``       ``{"languages": [shared working languages, mentee's order], "level": best}``

``describe_factor`` and ``describe_unmatched`` give short English sentences (the
spreadsheet command's wording; the platform translates from the params itself).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import rules, scoring
from .model import Factor, MatchConfig, Mentee, Mentor, Unmatched, UnmatchedReason

_ORDER = {code: k for k, code in enumerate(scoring.FACTORS)}


def select_factors(factors: Sequence[Factor]) -> tuple[Factor, ...]:
    """The factors shown: contribution above 0, or the language factor; strongest first,
    ties in ``scoring.FACTORS`` order."""
    shown = [f for f in factors if f.contribution > 0 or f.code == "language"]
    return tuple(sorted(shown, key=lambda f: (-f.contribution, _ORDER.get(f.code, 99))))


def explain_pair(
    mentee: Mentee, mentor: Mentor, config: MatchConfig | None = None
) -> tuple[float, tuple[Factor, ...]] | None:
    """The score and explanation of one pair, or None when a hard rule fails (language,
    minors, her exclusions, ``config.forbidden``, or no free place). The same numbers
    as the pair gets in ``match``: a score depends on the pair and the config alone."""
    config = config or MatchConfig()
    if rules.pair_failures(mentee, mentor, config):
        return None
    score, factors = scoring.pair_factors(
        mentee,
        mentor,
        config,
        shared_languages=rules.shared_languages(mentee, mentor, config),
        mentee_text=scoring.text_vector(mentee.goal, config.text_idf),
        mentor_text=scoring.text_vector(scoring.mentor_document(mentor), config.text_idf),
    )
    return score, select_factors(factors)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(items) -> str:
    return ", ".join(str(item) for item in items)


def describe_factor(factor: Factor) -> str:
    """A short English phrase for one factor ("shares data_science, physics")."""
    p = factor.params or {}
    code = factor.code
    if code == "fields":
        return f"shares {_join(p.get('fields', []))}" if p.get("fields") else "no shared field"
    if code == "text":
        words = p.get("words") or []
        if words:
            return f"goal and expertise share the words {_join(words)}"
        return "goal and expertise are alike"
    if code == "mentor_type":
        asked, mentor = p.get("asked", "any"), p.get("mentor", "")
        if asked == "any":
            return "mentee is happy with a regional or an international mentor"
        article = "an" if asked == "international" else "a"
        if asked == mentor:
            return f"mentee asked for {article} {asked} mentor"
        return f"mentee asked for {article} {asked} mentor; this one is {mentor}"
    if code == "region":
        if p.get("same") == "district":
            return f"same district: {p.get('district')} ({p.get('region')})"
        if p.get("same") == "region":
            return f"same region: {p.get('region')}"
        return "different regions"
    if code == "availability":
        if p.get("windows"):
            return f"both free: {_join(p['windows'])}"
        if p.get("stated") is False:
            return "availability not given by both, counted as half"
        return "no shared free time"
    if code == "mentee_choice":
        return f"her {_ordinal(int(p['rank']))} choice" if p.get("rank") else "not her choice"
    if code == "mentor_choice":
        rank = p.get("rank")
        return f"the mentor's {_ordinal(int(rank))} choice" if rank else "not the mentor's choice"
    if code == "language":
        languages = p.get("languages") or []
        return f"both speak {_join(languages)}" if languages else "no shared language"
    return f"{code}: {factor.value:.2f}"


def describe_factors(factors: Sequence[Factor]) -> str:
    """The factors of a pair as one line: "shares physics; both speak ky, en; ..."."""
    return "; ".join(describe_factor(f) for f in factors)


def describe_unmatched(unmatched: Unmatched) -> str:
    """An English sentence for why a mentee got no mentor."""
    reason = unmatched.reason
    if reason == UnmatchedReason.NO_SHARED_LANGUAGE:
        return "No mentor shares a working language with her at the required level."
    if reason == UnmatchedReason.NEEDS_MINOR_CLEARED_MENTOR:
        return "She is under 18 and no mentor cleared for minors shares her language."
    if reason == UnmatchedReason.ALL_EXCLUDED:
        return "Every mentor who fits her was excluded by her or forbidden by staff."
    if reason == UnmatchedReason.NO_MENTOR_WITH_CAPACITY:
        return "The mentors who fit her have no free place."
    if reason == UnmatchedReason.CAPACITY_TAKEN:
        n = unmatched.eligible_mentors
        if n == 1:
            return "1 mentor fits her, but the place went to another mentee."
        return f"{n} mentors fit her, but their places went to other mentees."
    if reason == UnmatchedReason.INTERNATIONAL_LIMIT:
        return (
            "Only international mentors had places left for her, and the limit on "
            "international matches was reached."
        )
    return f"Not matched ({reason})."
