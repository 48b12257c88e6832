"""Reads for the award, scoped to the viewer where it matters. The tally lives here:
``standing_votes`` is the one definition of which votes count."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from .models import Edition, Vote


def visible_editions() -> QuerySet[Edition]:
    return Edition.objects.select_related("programme").order_by("-year", "-pk")


def standing_votes(categories) -> QuerySet[Vote]:
    """The votes that count in ``categories`` (a queryset or a list of categories):
    each voter's latest vote in a category cast inside the voting window, unless a
    voiding of it was confirmed. A voter whose latest vote was voided has none."""
    later = Vote.objects.filter(
        voter=OuterRef("voter"),
        category=OuterRef("category"),
        sequence__gt=OuterRef("sequence"),
        cast_at__lt=OuterRef("category__edition__voting_close_at"),
    )
    return (
        Vote.objects.filter(
            category__in=categories,
            cast_at__gte=F("category__edition__voting_open_at"),
            cast_at__lt=F("category__edition__voting_close_at"),
        )
        .filter(Q(voiding__isnull=True) | Q(voiding__confirmed_at__isnull=True))
        .exclude(Exists(later))
    )


def tally(categories) -> dict[int, int]:
    """Standing votes per nomination id, in one query."""
    rows = standing_votes(categories).values("nomination").annotate(votes=Count("id"))
    return {row["nomination"]: row["votes"] for row in rows}


# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===
