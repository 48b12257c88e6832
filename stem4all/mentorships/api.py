"""Mentorships in the JSON API: the pair's list and detail with history and agreement,
its transitions and the agreement, through the same accessors, forms and services as
the pages. Staff list a cohort's mentorships with ``?cohort=<id>``."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .forms import AgreementForm, EndEarlyForm, PauseForm
from .models import MentoringAgreement, Mentorship
from .permissions import get_mentorship_for_participant, get_mentorship_for_participant_or_staff
from .schemas import AgreementIn, AgreementOut, EndIn, MentorshipDetailOut, MentorshipOut, ReasonIn

router = Router(tags=["mentorships"])


def detail(mentorship: Mentorship) -> Mentorship:
    """The row as it is now (a service may just have changed it)."""
    return Mentorship.objects.select_related("cohort", "mentee", "mentor").get(pk=mentorship.pk)


@router.get(
    "/mentorships/",
    response=list[MentorshipOut],
    summary="Your mentorships as mentee or mentor; staff: ?cohort=<id> for a cohort's",
)
@paginate(PageNumberPagination)
def list_mentorships(request: HttpRequest, cohort: int | None = None):
    if cohort is not None:
        return queries.cohort_mentorships(
            get_cohort_for_staff(request.user, cohort)
        ).select_related("cohort")
    return (
        Mentorship.objects.filter(Q(mentee=request.user) | Q(mentor=request.user))
        .select_related("cohort", "mentee", "mentor")
        .order_by("-started_at", "pk")
    )


@router.get(
    "/mentorships/{mentorship_id}",
    response=MentorshipDetailOut,
    summary="A mentorship with its history and agreement (the pair, staff of its programme)",
)
def get_mentorship(request: HttpRequest, mentorship_id: int):
    return detail(get_mentorship_for_participant_or_staff(request.user, mentorship_id))


@router.post("/mentorships/{mentorship_id}/pause", response=MentorshipDetailOut, summary="Pause")
def pause(request: HttpRequest, mentorship_id: int, payload: ReasonIn):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    data = validated(PauseForm(payload.dict()))
    services.pause_mentorship(mentorship=mentorship, by=request.user, reason=data["reason"])
    return detail(mentorship)


@router.post("/mentorships/{mentorship_id}/resume", response=MentorshipDetailOut, summary="Resume")
def resume(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    services.resume_mentorship(mentorship=mentorship, by=request.user)
    return detail(mentorship)


@router.post(
    "/mentorships/{mentorship_id}/complete",
    response=MentorshipDetailOut,
    summary="Complete (the planned ending)",
)
def complete(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    services.complete_mentorship(mentorship=mentorship, by=request.user)
    return detail(mentorship)


@router.post("/mentorships/{mentorship_id}/end", response=MentorshipDetailOut, summary="End early")
def end_early(request: HttpRequest, mentorship_id: int, payload: EndIn):
    mentorship = get_mentorship_for_participant_or_staff(request.user, mentorship_id)
    data = validated(EndEarlyForm(payload.dict()))
    services.end_mentorship_early(
        mentorship=mentorship, by=request.user, reason=data["reason"], cause=data["cause"]
    )
    return detail(mentorship)


@router.put(
    "/mentorships/{mentorship_id}/agreement",
    response=AgreementOut,
    summary="Write the pair's agreement (the pair only; staff 403)",
)
def save_agreement(request: HttpRequest, mentorship_id: int, payload: AgreementIn):
    mentorship = get_mentorship_for_participant(request.user, mentorship_id)
    agreement = MentoringAgreement.objects.filter(mentorship=mentorship).first()
    form = AgreementForm(payload.dict(), instance=agreement, mentorship=mentorship)
    data = validated(form)
    return services.save_agreement(mentorship=mentorship, by=request.user, **data)


@router.post(
    "/mentorships/{mentorship_id}/agreement/confirm",
    response=AgreementOut,
    summary="Confirm the agreement as written now (the pair only)",
)
def confirm_agreement(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_participant(request.user, mentorship_id)
    return services.confirm_agreement(mentorship=mentorship, by=request.user)
