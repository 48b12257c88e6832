"""The hard rules: which mentee-mentor pairs may ever be proposed.

A pair is *eligible* when all of these hold (nothing trades them against score):

1. **language**: they share at least one language that both speak at
   ``config.min_language_level`` or above (a language given without a level counts as
   fluent, ranked with ``native``: see ``model.level_rank``);
2. **minors**: a mentee under 18 only with a mentor cleared for minors;
3. **exclusion**: the mentor is not in the mentee's ``excluded_mentors``;
4. **forbidden**: the pair is not in ``config.forbidden``;
5. **capacity**: the mentor has a free place (``capacity`` minus the locked pairs she
   already holds is above 0), and no solution ever gives her more mentees than that.

Locked pairs (``config.locked``) are staff's decisions and are kept as they are, but
they must still pass rules 1-4: a locked pair that breaks one raises ``ValueError``.
Staff may lock more mentees to a mentor than she has places (the platform checks places
when it publishes); such a mentor then simply has no free place. Locked pairs naming an
id that is not in the input are ignored (the person left the cohort).

This module holds the scalar form of the rules (used for single pairs and for locked
pairs), the input checks, and the order of the reasons given to an unmatched mentee. The
vectorised form used at scale lives in ``candidates``, which groups people by language
profile so that rules 1 and 2 hold for whole blocks at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import LEVELS, MatchConfig, Mentee, Mentor, UnmatchedReason, level_rank

LANGUAGE = "language"
MINORS = "minors"
EXCLUDED = "excluded"
FORBIDDEN = "forbidden"
CAPACITY = "capacity"

MENTOR_TYPES = ("regional", "international", "any")


# level -> rank, as model.level_rank, by one dict lookup
RANK = {level: rank for rank, level in enumerate(LEVELS)} | {None: level_rank(None)}


def min_rank(config: MatchConfig) -> int:
    return level_rank(config.min_language_level)


def working_languages(languages: dict[str, str | None], minimum: int) -> dict[str, int]:
    """The languages spoken at ``minimum`` rank or above, with their ranks, in the
    person's own order."""
    ranks = {code: RANK[level] for code, level in languages.items()}
    return {code: rank for code, rank in ranks.items() if rank >= minimum}


def shared_languages(mentee: Mentee, mentor: Mentor, config: MatchConfig) -> list[str]:
    """Working languages both speak, in the mentee's order."""
    minimum = min_rank(config)
    theirs = working_languages(mentor.languages, minimum)
    return [code for code in working_languages(mentee.languages, minimum) if code in theirs]


def pair_failures(
    mentee: Mentee, mentor: Mentor, config: MatchConfig, *, free_places: int | None = None
) -> list[str]:
    """The hard rules the pair breaks (empty when it is eligible). ``free_places``
    defaults to the mentor's capacity."""
    failures = []
    if not shared_languages(mentee, mentor, config):
        failures.append(LANGUAGE)
    if mentee.is_minor and not mentor.is_cleared_for_minors:
        failures.append(MINORS)
    if mentor.id in mentee.excluded_mentors:
        failures.append(EXCLUDED)
    if (mentee.id, mentor.id) in config.forbidden:
        failures.append(FORBIDDEN)
    if (mentor.capacity if free_places is None else free_places) <= 0:
        failures.append(CAPACITY)
    return failures


def is_eligible(mentee: Mentee, mentor: Mentor, config: MatchConfig) -> bool:
    return not pair_failures(mentee, mentor, config)


# --- input checks --------------------------------------------------------------------------


def _check_levels(kind: str, person_id: str, languages: dict) -> None:
    if not isinstance(languages, dict):
        raise ValueError(f"{kind} {person_id}: languages must be a dict of code -> level")
    for code, level in languages.items():
        if level is not None and level not in LEVELS:
            raise ValueError(
                f"{kind} {person_id}: unknown level {level!r} for language {code!r} "
                f"(use one of {', '.join(LEVELS)} or None for fluent)"
            )


def check_config(config: MatchConfig) -> None:
    """Raise ValueError for an option outside its documented range."""
    if config.mode not in ("optimal", "stable"):
        raise ValueError(f"mode must be 'optimal' or 'stable', not {config.mode!r}")
    if config.min_language_level is not None and config.min_language_level not in LEVELS:
        raise ValueError(
            f"min_language_level must be one of {', '.join(LEVELS)}, "
            f"not {config.min_language_level!r}"
        )
    if isinstance(config.top_k, bool) or not isinstance(config.top_k, int) or config.top_k < 1:
        raise ValueError(f"top_k must be a whole number of at least 1, not {config.top_k!r}")
    if config.full_graph_limit < 0:
        raise ValueError("full_graph_limit must not be negative")
    for name in ("regional_floor", "max_international_share"):
        value = getattr(config, name)
        if value is not None and not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
    if config.spread_penalty < 0:
        raise ValueError("spread_penalty must not be negative")
    for name, weight in vars(config.weights).items():
        if not weight >= 0:  # also catches NaN
            raise ValueError(f"weight {name} must be a non-negative number, not {weight!r}")
    for word, idf in config.text_idf:
        if not (isinstance(word, str) and idf >= 0):
            raise ValueError(f"text_idf entries must be (word, non-negative idf): {word!r}")


def check_people(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> None:
    """Raise ValueError for duplicate ids, unknown levels, bad capacities or preferences."""
    seen: set[str] = set()
    for mentee in mentees:
        if mentee.id in seen:
            raise ValueError(f"mentee id {mentee.id!r} appears twice")
        seen.add(mentee.id)
        _check_levels("mentee", mentee.id, mentee.languages)
        if (mentee.preferred_mentor_type or "any") not in MENTOR_TYPES:
            raise ValueError(
                f"mentee {mentee.id}: preferred_mentor_type must be regional, international "
                f"or any, not {mentee.preferred_mentor_type!r}"
            )
    seen = set()
    for mentor in mentors:
        if mentor.id in seen:
            raise ValueError(f"mentor id {mentor.id!r} appears twice")
        seen.add(mentor.id)
        _check_levels("mentor", mentor.id, mentor.languages)
        capacity = mentor.capacity
        if isinstance(capacity, bool) or int(capacity) != capacity or capacity < 0:
            raise ValueError(
                f"mentor {mentor.id}: capacity must be a whole number >= 0, not {capacity!r}"
            )


def resolve_locked(
    mentees: Sequence[Mentee], mentors: Sequence[Mentor], config: MatchConfig
) -> tuple[list[tuple[int, int]], int]:
    """Locked pairs as sorted (mentee_idx, mentor_idx), and how many were ignored because
    an id is unknown. Raises ValueError when a locked pair breaks rules 1-4 or a mentee
    is locked to two mentors."""
    mentee_pos = {m.id: i for i, m in enumerate(mentees)}
    mentor_pos = {m.id: j for j, m in enumerate(mentors)}
    pairs: list[tuple[int, int]] = []
    ignored = 0
    for mentee_id, mentor_id in sorted(config.locked):
        i, j = mentee_pos.get(mentee_id), mentor_pos.get(mentor_id)
        if i is None or j is None:
            ignored += 1
            continue
        failures = [
            rule
            for rule in pair_failures(mentees[i], mentors[j], config, free_places=1)
            if rule != CAPACITY
        ]
        if failures:
            why = {
                LANGUAGE: "they share no working language at "
                f"{config.min_language_level or 'fluent'} or above",
                MINORS: "the mentee is under 18 and the mentor is not cleared for minors",
                EXCLUDED: "the mentee excluded this mentor",
                FORBIDDEN: "the pair is also forbidden",
            }
            reasons = "; ".join(why[rule] for rule in failures)
            raise ValueError(
                f"locked pair ({mentee_id}, {mentor_id}) breaks a hard rule: {reasons}"
            )
        pairs.append((i, j))
    pairs.sort()
    for (a, _ja), (b, _jb) in zip(pairs, pairs[1:], strict=False):
        if a == b:
            raise ValueError(f"mentee {mentees[a].id} is locked to more than one mentor")
    return pairs, ignored


# --- reasons ---------------------------------------------------------------------------------


def unmatched_reason(
    *,
    n_language: int,
    is_minor: bool,
    n_minor_ok: int,
    n_not_excluded: int,
    n_with_place: int,
    n_free_regional: int,
    n_free_international: int,
    international_cap_reached: bool,
) -> str:
    """The first reason that applies, in ``UnmatchedReason``'s order.

    The counts are the mentors that pass, in turn: the language rule (``n_language``),
    then the minors rule (``n_minor_ok``), then exclusions and forbidden pairs
    (``n_not_excluded``), then have a free place before the solve (``n_with_place``); and
    among those, the ones that still have a free place after the solve, regional or
    international. ``capacity_taken`` applies when none of her mentors has a place left
    (or, at very large sizes, when the one left was outside her candidate list);
    ``international_limit`` when the only mentors with a place left are international
    and the cap on international matches is reached.
    """
    if n_language == 0:
        return UnmatchedReason.NO_SHARED_LANGUAGE
    if is_minor and n_minor_ok == 0:
        return UnmatchedReason.NEEDS_MINOR_CLEARED_MENTOR
    if n_not_excluded == 0:
        return UnmatchedReason.ALL_EXCLUDED
    if n_with_place == 0:
        return UnmatchedReason.NO_MENTOR_WITH_CAPACITY
    if n_free_regional == 0 and n_free_international > 0 and international_cap_reached:
        return UnmatchedReason.INTERNATIONAL_LIMIT
    return UnmatchedReason.CAPACITY_TAKEN
