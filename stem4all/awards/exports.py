"""Tables of the award for download: the public results (anyone, after publishing) and
three exports for award staff (nominations, votes per nominee, jury scores), each as
CSV or XLSX.

The files are written by ``stem4all.core.exports``, which keeps cells from being read
as formulas. No export carries an e-mail address, a date of birth or who nominated whom.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from . import queries
from .models import Edition, JuryScore, Nomination, Vote

EXPORTS = ("nominations", "votes", "jury")


# The tables -----------------------------------------------------------------------


def _nominee_kind(nomination: Nomination) -> str:
    if nomination.nominee_user_id:
        return _("person")
    if nomination.nominee_organisation_id:
        return _("organisation")
    return _("practice")


def _with_nominee(nominations):
    return nominations.select_related(
        "category", "nominee_user", "nominee_organisation", "nominee_practice"
    )


def public_results_table(edition: Edition) -> tuple[list[str], list[list]]:
    """Every published nomination that may appear in public, with its votes."""
    header = [
        _("Category"),
        _("Nominee"),
        _("Public votes"),
        _("Finalist"),
        _("Jury score"),
        _("Jury score sheets"),
        _("Final score"),
        _("Rank"),
        _("Winner"),
    ]
    rows = [
        [
            group.category.name,
            s.name,
            s.votes,
            s.is_finalist,
            s.jury_score,
            s.jury_sheets,
            s.final_score,
            s.rank,
            s.is_winner,
        ]
        for group in queries.published_results(edition)
        for s in group.standings
    ]
    return header, rows


def nominations_table(edition: Edition) -> tuple[list[str], list[list]]:
    header = [
        _("Category"),
        _("Nominee"),
        _("Kind"),
        _("Status"),
        _("Nominated at"),
        _("Statement length"),
        _("Statement"),
    ]
    nominations = _with_nominee(Nomination.objects.filter(category__edition=edition)).order_by(
        "category__position", "category_id", "created_at", "pk"
    )
    rows = [
        [
            n.category.name,
            n.nominee_name,
            _nominee_kind(n),
            n.get_status_display(),
            n.created_at,
            len(n.statement),
            n.statement,
        ]
        for n in nominations
    ]
    return header, rows


def votes_table(edition: Edition) -> tuple[list[str], list[list]]:
    """Per nomination: the votes that stand, every vote row cast, and those voided."""
    header = [
        _("Category"),
        _("Nominee"),
        _("Standing votes"),
        _("All votes cast"),
        _("Voided"),
    ]
    categories = list(edition.categories.all())
    standing = queries.tally(categories) if categories else {}
    counts = {
        row["nomination"]: row
        for row in Vote.objects.filter(category__edition=edition)
        .values("nomination")
        .annotate(
            cast=Count("id"),
            voided=Count("id", filter=Q(voiding__confirmed_at__isnull=False)),
        )
        .order_by()
    }
    nominations = _with_nominee(
        Nomination.objects.filter(category__edition=edition).filter(
            Q(status=Nomination.Status.APPROVED) | Q(pk__in=list(counts))
        )
    ).order_by("category__position", "category_id", "created_at", "pk")
    rows = [
        [
            n.category.name,
            n.nominee_name,
            standing.get(n.pk, 0),
            counts.get(n.pk, {}).get("cast", 0),
            counts.get(n.pk, {}).get("voided", 0),
        ]
        for n in nominations
    ]
    return header, rows


def jury_table(edition: Edition) -> tuple[list[str], list[list]]:
    """Every score of every sheet; a draft sheet has no submission time."""
    header = [
        _("Category"),
        _("Nominee"),
        _("Jury member"),
        _("Criterion"),
        _("Weight"),
        _("Score"),
        _("Submitted at"),
    ]
    scores = (
        JuryScore.objects.filter(sheet__nomination__category__edition=edition)
        .select_related(
            "criterion",
            "sheet__assignment__juror",
            "sheet__nomination__category",
            "sheet__nomination__nominee_user",
            "sheet__nomination__nominee_organisation",
            "sheet__nomination__nominee_practice",
        )
        .order_by(
            "sheet__nomination__category__position",
            "sheet__nomination__category_id",
            "sheet__nomination__created_at",
            "sheet__nomination_id",
            "sheet__assignment__juror__full_name",
            "sheet_id",
            "criterion__position",
            "criterion_id",
        )
    )
    rows = [
        [
            score.sheet.nomination.category.name,
            score.sheet.nomination.nominee_name,
            score.sheet.assignment.juror.full_name,
            score.criterion.name,
            score.criterion.weight,
            score.score,
            score.sheet.submitted_at,
        ]
        for score in scores
    ]
    return header, rows


TABLES = {
    "nominations": nominations_table,
    "votes": votes_table,
    "jury": jury_table,
}
