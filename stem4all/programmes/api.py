from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated
from stem4all.accounts.permissions import staff_programme_ids
from stem4all.accounts.services import record_staff_access

from . import queries, services
from .forms import ApplicationForm, DecisionForm
from .models import Cohort
from .permissions import (
    get_cohort_for_staff,
    get_cohort_open_for_applications,
    get_participation_for_staff,
)
from .schemas import ApplicationIn, CohortOut, DecisionIn, ParticipantOut, ParticipationOut

router = Router(tags=["programmes"])


def visible_cohorts(user):
    """Public cohorts, plus those she takes part in or runs."""
    if user.is_superuser:
        return Cohort.objects.all()
    return Cohort.objects.filter(
        Q(programme__is_public=True)
        | Q(participations__user=user)
        | Q(programme_id__in=staff_programme_ids(user))
    ).distinct()


@router.get("/cohorts", response=list[CohortOut], summary="Cohorts you can see")
@paginate(PageNumberPagination)
def list_cohorts(request: HttpRequest):
    return visible_cohorts(request.user).select_related("programme").order_by("-starts_on", "pk")


@router.get("/cohorts/{cohort_id}", response=CohortOut)
def cohort(request: HttpRequest, cohort_id: int):
    return get_object_or_404(
        visible_cohorts(request.user).select_related("programme"), pk=cohort_id
    )


@router.get("/me/participations", response=list[ParticipationOut], summary="Your applications")
def my_participations(request: HttpRequest):
    return list(queries.participations_of(request.user))


@router.post(
    "/cohorts/{cohort_id}/applications",
    response={201: ParticipationOut},
    summary="Apply to a cohort as mentee or mentor",
)
def apply(request: HttpRequest, cohort_id: int, payload: ApplicationIn):
    cohort = get_cohort_open_for_applications(cohort_id)
    form = ApplicationForm(
        {"motivation": payload.motivation, "agrees_to_privacy": payload.agrees_to_privacy or ""}
    )
    data = validated(form)
    participation = services.apply_to_cohort(
        user=request.user, cohort=cohort, role=payload.role, motivation=data["motivation"]
    )
    return Status(201, participation)


class ParticipantFilter(Schema):
    role: str = ""
    status: str = ""
    q: str = ""


@router.get(
    "/cohorts/{cohort_id}/participations",
    response=list[ParticipantOut],
    summary="Participants and applicants of a cohort (staff)",
)
@paginate(PageNumberPagination)
def cohort_participations(request: HttpRequest, cohort_id: int, filters: Query[ParticipantFilter]):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    rows = queries.cohort_participations(
        cohort, role=filters.role, status=filters.status, search=filters.q
    )
    return rows


@router.post(
    "/participations/{participation_id}/decision",
    response=ParticipantOut,
    summary="Accept, waitlist or reject an application (staff)",
)
def decide(request: HttpRequest, participation_id: int, payload: DecisionIn):
    participation = get_participation_for_staff(request.user, participation_id)
    data = validated(DecisionForm(payload.dict()))
    record_staff_access(
        staff=request.user, subject=participation.user, action="decide application (API)"
    )
    participation = services.decide_application(
        participation=participation,
        decision=data["decision"],
        reason=data["reason"],
        staff=request.user,
    )
    return participation
