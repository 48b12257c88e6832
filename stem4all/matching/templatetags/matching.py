"""Template filters that put the engine's reasons into words: ``{% load matching %}``."""

from django import template

from stem4all.matching.explanations import describe_factors, describe_unmatched

register = template.Library()


@register.filter
def reasons(factors) -> list[str]:
    """``{% for sentence in proposal.factors|reasons %}``"""
    return describe_factors(factors)


@register.filter
def unmatched_reason(row) -> str:
    """An UnmatchedMentee row, or a mentee annotated with ``last_reason`` and
    ``last_eligible`` (queries.mentees_without_mentor)."""
    reason = getattr(row, "reason", None) or getattr(row, "last_reason", None)
    if not reason:
        return ""
    eligible = getattr(row, "eligible_mentors", None)
    if eligible is None:
        eligible = getattr(row, "last_eligible", 0) or 0
    return describe_unmatched(reason, eligible)
