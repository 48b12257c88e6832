"""Reads for the award, scoped to the viewer where it matters. The tally lives here:
``standing_votes`` is the one definition of which votes count."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from .models import Edition, Nomination, Vote


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


def public_nominations(category) -> QuerySet[Nomination]:
    """The nominations open for votes in ``category``: approved, and a person only once
    she has agreed to appear."""
    return (
        Nomination.objects.filter(category=category, status=Nomination.Status.APPROVED)
        .filter(Q(nominee_user__isnull=True) | Q(nominee_consented_at__isnull=False))
        .select_related("nominee_user", "nominee_organisation", "nominee_practice")
    )


def finalists(category, votes: dict[int, int] | None = None) -> list[Nomination]:
    """The top ``finalists_per_category`` public nominations by standing votes, most
    votes first. Nominations tied with the last place are all finalists, so a tie is
    never broken by chance; among equals the earlier nomination comes first. Empty
    until public voting has closed."""
    edition = category.edition
    if not edition.has_voting_closed():
        return []
    votes = tally([category]) if votes is None else votes
    ranked = sorted(
        public_nominations(category),
        key=lambda n: (-votes.get(n.pk, 0), n.created_at, n.pk),
    )
    cut = edition.finalists_per_category
    if len(ranked) <= cut:
        return ranked
    last = votes.get(ranked[cut - 1].pk, 0)
    return [n for i, n in enumerate(ranked) if i < cut or votes.get(n.pk, 0) == last]


# === nominations (helper A) ===

# === end nominations ===

# === voting and receipts (helper B) ===

# === end voting ===

# === integrity and jury (helper C) ===

# === end integrity and jury ===

# === results and exports (helper D) ===

# === end results ===
