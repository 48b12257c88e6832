"""JSON API of check-ins: a respondent's pulse check-ins, and for staff the health of
every pair of a cohort (the same query as the staff page) and resolving its flags."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated
from stem4all.mentorships.queries import cohort_mentorships
from stem4all.programmes.permissions import get_cohort_for_staff

from . import services
from .forms import PulseForm
from .permissions import get_flag_for_staff, get_pulse_for_respondent
from .schemas import FlagOut, PairHealthOut, PulseAnswerIn, PulseOut

router = Router(tags=["check-ins"])


@router.get("/pulse-checks/{pulse_id}", response=PulseOut, summary="One of my check-ins")
def get_pulse(request: HttpRequest, pulse_id: int):
    return get_pulse_for_respondent(request.user, pulse_id)


@router.post(
    "/pulse-checks/{pulse_id}/answer", response=PulseOut, summary="Answer one of my check-ins"
)
def answer_pulse(request: HttpRequest, pulse_id: int, payload: PulseAnswerIn):
    pulse = get_pulse_for_respondent(request.user, pulse_id)
    data = validated(PulseForm(payload.dict()))
    return services.answer_pulse_check(pulse=pulse, by=request.user, **data)


@router.get(
    "/cohorts/{cohort_id}/pair-health",
    response=list[PairHealthOut],
    summary="Staff: every pair of the cohort with its health signals",
)
@paginate(PageNumberPagination)
def pair_health(request: HttpRequest, cohort_id: int, needs_attention: bool = False):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return cohort_mentorships(cohort, needs_attention=needs_attention)


@router.post("/pair-flags/{flag_id}/resolve", response=FlagOut, summary="Staff: resolve a flag")
def resolve_flag(request: HttpRequest, flag_id: int):
    flag = get_flag_for_staff(request.user, flag_id)
    return services.resolve_pair_flag(flag=flag, by=request.user)
