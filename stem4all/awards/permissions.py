"""Who may do what in the award: plain predicates and fetch-and-authorise accessors
(404 when the object is not there or not visible, 403 when it is but the action is
not hers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.community.permissions import is_representative
from stem4all.programmes.models import Programme

from . import queries
from .models import (
    Category,
    Edition,
    JuryAssignment,
    JuryCriterion,
    Nomination,
    Result,
    ScoreSheet,
    Vote,
    VoteVoiding,
)


def is_award_staff(user: User, edition: Edition) -> bool:
    return is_programme_staff(user, edition.programme_id)


def is_award_participant(user: User, edition: Edition) -> bool:
    """An accepted participant of a cohort of the edition's programme, in any role but
    funder (funders read reports, they take no part)."""
    from stem4all.programmes.models import Participation

    if not user.is_authenticated or not user.is_active:
        return False
    return (
        Participation.objects.filter(
            user=user,
            status=Participation.Status.ACCEPTED,
            cohort__programme_id=edition.programme_id,
        )
        .exclude(role=Participation.Role.FUNDER)
        .exists()
    )


def may_nominate_in(user: User, category: Category) -> bool:
    """Participants nominate in every category. With ``public_may_nominate`` anyone
    signed in with a verified e-mail nominates organisations and practices, never
    people: the public never gets a list of the participants' names. The phase is
    the service's to check (it answers with a clear message)."""

    if not user.is_authenticated or not user.is_active:
        return False
    edition = category.edition
    if is_award_participant(user, edition):
        return True
    return (
        edition.public_may_nominate
        and not category.is_for_people
        and queries.has_verified_email(user)
    )


def may_appear_in_public(user: User) -> bool:
    """A nominated person appears only if she may be contacted: an adult, or a minor
    with a guardian's consent on record (an unknown age is not an adult)."""
    from stem4all.accounts.permissions import can_be_matched_or_contacted

    return can_be_matched_or_contacted(user)


def get_category_for_nominating(user: User, category_id: int) -> Category:
    category = Category.objects.select_related("edition__programme").filter(pk=category_id).first()
    if category is None:
        raise Http404
    if not may_nominate_in(user, category):
        raise PermissionDenied
    return category


def _nomination(nomination_id: int) -> Nomination | None:
    return (
        Nomination.objects.select_related(
            "category__edition__programme",
            "nominee_user",
            "nominee_organisation__programme",
            "nominee_practice__organisation",
            "nominated_by",
            "merged_into",
        )
        .filter(pk=nomination_id)
        .first()
    )


def may_see_nomination(user: User, nomination: Nomination) -> bool:
    """Public once approved and agreed to (and the person may appear in public);
    before that only the nominee, the nominator and the award staff see it."""
    if user.is_authenticated and (
        nomination.nominee_user_id == user.pk
        or nomination.nominated_by_id == user.pk
        or is_award_staff(user, nomination.category.edition)
    ):
        return True
    if not nomination.is_public:
        return False
    return nomination.nominee_user is None or may_appear_in_public(nomination.nominee_user)


def get_nomination_for_viewer(user: User, nomination_id: int) -> Nomination:
    nomination = _nomination(nomination_id)
    if nomination is None or not may_see_nomination(user, nomination):
        raise Http404
    return nomination


def get_nomination_for_nominee(user: User, nomination_id: int) -> Nomination:
    """Only the nominated person answers; to anyone else it is not there."""
    nomination = _nomination(nomination_id)
    if nomination is None or not user.is_authenticated or nomination.nominee_user_id != user.pk:
        raise Http404
    return nomination


def get_nomination_for_award_staff(user: User, nomination_id: int) -> Nomination:
    nomination = _nomination(nomination_id)
    if nomination is None:
        raise Http404
    if not is_award_staff(user, nomination.category.edition):
        if may_see_nomination(user, nomination):
            raise PermissionDenied
        raise Http404
    return nomination


def get_edition_for_award_staff(user: User, *, slug: str = "", edition_id: int | None = None):
    """Editions are public, so a person who is not its staff is refused (403)."""
    editions = Edition.objects.select_related("programme")
    edition = (
        editions.filter(pk=edition_id).first()
        if edition_id is not None
        else editions.filter(slug=slug).first()
    )
    if edition is None:
        raise Http404
    if not is_award_staff(user, edition):
        raise PermissionDenied
    return edition


def get_public_category(edition_slug: str, category_slug: str) -> Category:
    """Any edition's category is public; 404 when there is none by these names."""
    category = (
        Category.objects.select_related("edition__programme")
        .filter(edition__slug=edition_slug, slug=category_slug)
        .first()
    )
    if category is None:
        raise Http404
    return category


def get_votable_nomination(nomination_id: int) -> Nomination:
    """A nomination the public may see and vote for; 404 for any other, so that a
    nomination not (yet) public is never revealed. The phase is checked by the
    service, which answers with a clear message."""

    nomination = (
        queries.shown_in_public(Nomination.objects.filter(pk=nomination_id))
        .select_related("category__edition")
        .first()
    )
    if nomination is None or not nomination.is_public:
        raise Http404
    return nomination


def get_own_vote(user: User, vote_id: int) -> Vote:
    """Her own vote; 404 for anyone else's (who voted is never shown)."""
    vote = (
        Vote.objects.filter(pk=vote_id, voter_id=user.pk)
        .select_related("category__edition", "nomination__nominee_user")
        .first()
        if user.is_authenticated
        else None
    )
    if vote is None:
        raise Http404
    return vote


def get_vote_for_award_staff(user: User, vote_id: int) -> Vote:
    vote = Vote.objects.select_related("category__edition").filter(pk=vote_id).first()
    if vote is None or not is_award_staff(user, vote.category.edition):
        raise Http404
    return vote


def get_voiding_for_award_staff(user: User, voiding_id: int) -> VoteVoiding:
    voiding = (
        VoteVoiding.objects.select_related("vote__category__edition").filter(pk=voiding_id).first()
    )
    if voiding is None or not is_award_staff(user, voiding.vote.category.edition):
        raise Http404
    return voiding


def get_category_for_award_staff(user: User, category_id: int) -> Category:
    category = Category.objects.select_related("edition").filter(pk=category_id).first()
    if category is None or not is_award_staff(user, category.edition):
        raise Http404
    return category


def get_assignment_for_award_staff(user: User, assignment_id: int) -> JuryAssignment:
    assignment = (
        JuryAssignment.objects.select_related("category__edition", "juror")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not is_award_staff(user, assignment.category.edition):
        raise Http404
    return assignment


def get_criterion_for_award_staff(user: User, criterion_id: int) -> JuryCriterion:
    criterion = (
        JuryCriterion.objects.select_related("category__edition").filter(pk=criterion_id).first()
    )
    if criterion is None or not is_award_staff(user, criterion.category.edition):
        raise Http404
    return criterion


def get_nomination_for_jury(user: User, nomination_id: int) -> tuple[Nomination, JuryAssignment]:
    """A nomination of a category she sits on, with her seat; 404 for everyone else
    (staff included: they do not score)."""
    nomination = (
        Nomination.objects.select_related(
            "category__edition", "nominee_user", "nominee_organisation", "nominee_practice"
        )
        .filter(pk=nomination_id, status=Nomination.Status.APPROVED)
        .first()
    )
    if nomination is None or not user.is_authenticated:
        raise Http404
    assignment = (
        JuryAssignment.objects.select_related("category__edition", "juror")
        .filter(category_id=nomination.category_id, juror=user)
        .first()
    )
    if assignment is None:
        raise Http404
    return nomination, assignment


def get_nomination_for_score_readers(user: User, nomination_id: int) -> Nomination:
    """A nomination whose score sheets she may ask for: she sits on its category's
    jury, or she is the edition's staff (queries.visible_sheets decides what she sees)."""
    nomination = (
        Nomination.objects.select_related("category__edition")
        .filter(pk=nomination_id, status=Nomination.Status.APPROVED)
        .first()
    )
    if nomination is None or not user.is_authenticated:
        raise Http404
    seated = JuryAssignment.objects.filter(category_id=nomination.category_id, juror=user)
    if not (seated.exists() or is_award_staff(user, nomination.category.edition)):
        raise Http404
    return nomination


def get_sheet_for_reopening(user: User, sheet_id: int) -> ScoreSheet:
    """Only the category's chair or the award staff see that the sheet exists."""
    sheet = (
        ScoreSheet.objects.select_related("assignment__category__edition", "assignment__juror")
        .filter(pk=sheet_id)
        .first()
    )
    if sheet is None or not user.is_authenticated:
        raise Http404
    category = sheet.assignment.category
    is_chair = JuryAssignment.objects.filter(category=category, juror=user, is_chair=True).exists()
    if not (is_chair or is_award_staff(user, category.edition)):
        raise Http404
    return sheet


def get_edition_with_results(slug: str) -> Edition:
    """An edition whose results are published; 404 before (nothing leaks early)."""
    edition = (
        Edition.objects.select_related("programme")
        .filter(slug=slug, results_published_at__isnull=False)
        .first()
    )
    if edition is None:
        raise Http404
    return edition


def _winner_by_code(code: str) -> Result | None:
    if not code:
        return None
    return (
        Result.objects.filter(
            certificate_code=code,
            is_winner=True,
            category__edition__results_published_at__isnull=False,
        )
        .select_related(
            "category__edition__programme",
            "nomination__nominee_user",
            "nomination__nominee_organisation",
            "nomination__nominee_practice__organisation",
        )
        .first()
    )


def may_download_certificate(user: User, result: Result) -> bool:
    """The winning person, a representative of the winning organisation (or of the
    organisation whose practice won), or the edition's award staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    nomination = result.nomination
    if nomination.nominee_user_id is not None and nomination.nominee_user_id == user.pk:
        return True
    organisation = nomination.nominee_organisation or (
        nomination.nominee_practice.organisation if nomination.nominee_practice_id else None
    )
    if organisation is not None and is_representative(user, organisation):
        return True
    return is_award_staff(user, result.category.edition)


def get_winner_certificate(user: User, code: str) -> Result:
    """A winner's result for her certificate; 404 for anyone not allowed (the code is
    not confirmed to exist)."""
    result = _winner_by_code(code)
    if result is None or not may_download_certificate(user, result):
        raise Http404
    return result


def get_verifiable_winner(code: str) -> Result | None:
    """The winner a certificate code names, for the public check; None if none."""
    return _winner_by_code(code)


def get_edition_results_for_viewer(
    user: User, edition_id: int, *, publishing: bool = False
) -> Edition:
    """The edition for its results in the API: anyone once they are published; before,
    only its award staff once the jury has closed (404 for others). Publishing needs
    award staff (403)."""
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None:
        raise Http404
    staff = is_award_staff(user, edition)
    if publishing:
        if not staff:
            raise PermissionDenied
        return edition
    if edition.are_results_published or (staff and edition.has_jury_closed()):
        return edition
    raise Http404


def _public_edition(**lookup) -> Edition:
    edition = (
        Edition.objects.select_related("programme")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("position", "pk"))
        )
        .filter(**lookup)
        .first()
    )
    if edition is None:
        raise Http404
    return edition


def get_public_edition(slug: str) -> Edition:
    """Any edition, for everyone (an award is public), with its categories in order."""
    return _public_edition(slug=slug)


def get_public_edition_by_id(edition_id: int) -> Edition:
    return _public_edition(pk=edition_id)


def get_programme_for_award_staff(user: User, programme_id: int) -> Programme:
    """The programme whose award ``user`` runs; 404 to anyone else (a programme that is
    not public is not revealed)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or not is_programme_staff(user, programme.pk):
        raise Http404
    return programme


def get_category_for_staff(user: User, category_id: int) -> Category:
    category = Category.objects.select_related("edition__programme").filter(pk=category_id).first()
    if category is None:
        raise Http404
    if not is_award_staff(user, category.edition):
        raise PermissionDenied
    return category
