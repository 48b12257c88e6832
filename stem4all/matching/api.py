"""Matching in the JSON API: the same accessors, forms and services as the pages."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from stem4all.accounts.api import validated

from . import queries, services
from .explanations import describe_factors, describe_unmatched
from .forms import DeclineForm, PairForm, StartRunForm, SwapForm
from .permissions import (
    get_cohort_for_choosing,
    get_cohort_for_staff,
    get_mentee_for_staff,
    get_proposal_for_mentor,
    get_run_for_staff,
)
from .schemas import (
    DeclineIn,
    MatchStatusOut,
    MentorChoicesIn,
    MentorOptionOut,
    MentorProposalOut,
    MentorshipOut,
    PairIn,
    ProposalOut,
    PublishOut,
    RematchOut,
    RunDetailOut,
    RunIn,
    RunOut,
    SwapIn,
    UnmatchedOut,
)

router = Router(tags=["matching"])


def run_detail(run) -> dict:
    return {
        **{field: getattr(run, field) for field in RunOut.model_fields},
        "figures": queries.run_figures(run),
        "rules": list(
            queries.cohort_pair_rules(run.cohort).values("mentee_id", "mentor_id", "kind")
        ),
    }


# ------------------------------------------------------------------------------ staff


@router.post(
    "/cohorts/{cohort_id}/matching-runs",
    response={201: RunOut},
    summary="Start a matching run for a cohort (staff); nothing is proposed until published",
)
def start_run(request: HttpRequest, cohort_id: int, payload: RunIn):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    form = StartRunForm(payload.dict())
    data = validated(form)
    run = services.start_matching_run(
        cohort=cohort, staff=request.user, mode=data["mode"], options=form.options()
    )
    return Status(201, run)


@router.get(
    "/cohorts/{cohort_id}/matching-runs",
    response=list[RunOut],
    summary="Matching runs of a cohort (staff)",
)
@paginate(PageNumberPagination)
def list_runs(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return queries.runs_of_cohort(cohort)


@router.get(
    "/matching-runs/{run_id}",
    response=RunDetailOut,
    summary="A run with its figures and staff's pair rules (staff)",
)
def get_run(request: HttpRequest, run_id: int):
    return run_detail(get_run_for_staff(request.user, run_id))


@router.get(
    "/matching-runs/{run_id}/proposals",
    response=list[ProposalOut],
    summary="A run's proposed pairs with score and reasons (staff)",
)
@paginate(PageNumberPagination)
def run_proposals(request: HttpRequest, run_id: int):
    return queries.run_proposals(get_run_for_staff(request.user, run_id))


@router.get(
    "/matching-runs/{run_id}/unmatched",
    response=list[UnmatchedOut],
    summary="The mentees a run could not match, and why (staff)",
)
@paginate(PageNumberPagination)
def run_unmatched(request: HttpRequest, run_id: int):
    return queries.run_unmatched(get_run_for_staff(request.user, run_id))


def _pair(request, run_id: int, payload: PairIn):
    run = get_run_for_staff(request.user, run_id)
    form = PairForm({"mentee": payload.mentee_id, "mentor": payload.mentor_id}, cohort=run.cohort)
    return run, validated(form)


@router.post("/matching-runs/{run_id}/locks", response=RunDetailOut, summary="Lock a pair (staff)")
def lock_pair(request: HttpRequest, run_id: int, payload: PairIn):
    run, data = _pair(request, run_id, payload)
    services.lock_pair(run=run, staff=request.user, **data)
    return run_detail(run)


@router.post(
    "/matching-runs/{run_id}/forbids", response=RunDetailOut, summary="Forbid a pair (staff)"
)
def forbid_pair(request: HttpRequest, run_id: int, payload: PairIn):
    run, data = _pair(request, run_id, payload)
    services.forbid_pair(run=run, staff=request.user, **data)
    return run_detail(run)


@router.post(
    "/matching-runs/{run_id}/unlock",
    response=RunDetailOut,
    summary="Lift the lock or forbid on a pair (staff)",
)
def unlock_pair(request: HttpRequest, run_id: int, payload: PairIn):
    run, data = _pair(request, run_id, payload)
    services.unlock_pair(run=run, staff=request.user, **data)
    return run_detail(run)


@router.post(
    "/matching-runs/{run_id}/swap",
    response=list[ProposalOut],
    summary="Swap the mentors of two draft proposals (staff)",
)
def swap(request: HttpRequest, run_id: int, payload: SwapIn):
    run = get_run_for_staff(request.user, run_id)
    form = SwapForm({"proposals": [payload.proposal_a, payload.proposal_b]}, run=run)
    chosen = {proposal.pk: proposal for proposal in validated(form)["proposals"]}
    first, second = services.swap_mentors(
        run=run,
        proposal_a=chosen[payload.proposal_a],
        proposal_b=chosen[payload.proposal_b],
        staff=request.user,
    )
    return list(queries.run_proposals(run).filter(pk__in=[first.pk, second.pk]))


@router.post(
    "/matching-runs/{run_id}/rerun",
    response={201: RunOut},
    summary="Re-run with the same options, keeping locks; the old draft is discarded (staff)",
)
def rerun(request: HttpRequest, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    return Status(201, services.rerun_matching(run=run, staff=request.user))


@router.post(
    "/matching-runs/{run_id}/publish",
    response=PublishOut,
    summary="Publish a run: each mentor is asked to accept her mentee (staff)",
)
def publish(request: HttpRequest, run_id: int):
    run = get_run_for_staff(request.user, run_id)
    report = services.publish_matching_run(run=run, staff=request.user)
    run.refresh_from_db()
    return {"run": run, "proposed": report.proposed, "superseded": report.superseded}


@router.post(
    "/cohorts/{cohort_id}/mentees/{mentee_id}/rematch",
    response=RematchOut,
    summary="Propose a mentor with a free place to a mentee without one (staff)",
)
def rematch(request: HttpRequest, cohort_id: int, mentee_id: int):
    cohort, mentee = get_mentee_for_staff(request.user, cohort_id, mentee_id)
    outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, staff=request.user)
    if outcome.proposal is not None:
        proposal = get_object_or_404(queries.pending_proposals(cohort), pk=outcome.proposal.pk)
        return {"proposal": proposal, "unmatched_reason": None, "explanation": None}
    row = outcome.unmatched
    return {
        "proposal": None,
        "unmatched_reason": row.reason,
        "explanation": describe_unmatched(row.reason, row.eligible_mentors),
    }


# ----------------------------------------------------------------------------- mentors


@router.get(
    "/me/proposals",
    response=list[MentorProposalOut],
    summary="Mentees proposed to you, and why (mentor)",
)
@paginate(PageNumberPagination)
def my_proposals(request: HttpRequest):
    return queries.proposals_for_mentor(request.user)


@router.post(
    "/proposals/{proposal_id}/accept",
    response=MentorshipOut,
    summary="Accept a proposed mentee: the mentorship starts (mentor)",
)
def accept(request: HttpRequest, proposal_id: int):
    proposal = get_proposal_for_mentor(request.user, proposal_id)
    return services.accept_proposal(proposal=proposal, mentor=request.user)


@router.post(
    "/proposals/{proposal_id}/decline",
    response=MentorProposalOut,
    summary="Decline a proposed mentee, with a reason for staff (mentor)",
)
def decline(request: HttpRequest, proposal_id: int, payload: DeclineIn):
    proposal = get_proposal_for_mentor(request.user, proposal_id)
    data = validated(DeclineForm({"reason": payload.reason}))
    services.decline_proposal(proposal=proposal, mentor=request.user, reason=data["reason"])
    return get_object_or_404(queries.proposals_for_mentor(request.user), pk=proposal.pk)


# ----------------------------------------------------------------------------- mentees


@router.get(
    "/me/match",
    response=list[MatchStatusOut],
    summary="Your mentor per cohort, or whether a proposal is waiting (mentee)",
)
def my_match(request: HttpRequest):
    rows = []
    for status in queries.match_status_of_mentee(request.user):
        mentor = None
        if status.mentorship is not None:
            person = status.mentorship.mentor
            profile = getattr(person, "mentor_profile", None)
            mentor = {
                "id": person.pk,
                "full_name": person.full_name,
                "job_title": profile.job_title if profile else "",
                "organisation": profile.organisation if profile else "",
                "fields": list(profile.stem_fields) if profile else [],
                "bio": profile.bio if profile else "",
                "is_regional": person.is_regional,
            }
        rows.append(
            {
                "cohort_id": status.cohort.pk,
                "cohort_name": status.cohort.name,
                "state": status.state,
                "mentorship_id": status.mentorship.pk if status.mentorship else None,
                "mentor": mentor,
            }
        )
    return rows


def _mentor_card(person) -> dict:
    profile = person.mentor_profile
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "job_title": profile.job_title,
        "organisation": profile.organisation,
        "fields": list(profile.stem_fields),
        "bio": profile.bio,
        "is_regional": person.is_regional,
    }


@router.get(
    "/matching/cohorts/{cohort_id}/mentor-options",
    response=list[MentorOptionOut],
    summary="Mentors you may choose, best fit first (mentee)",
)
@paginate(PageNumberPagination, page_size=20)
def mentor_options(
    request: HttpRequest,
    cohort_id: int,
    field: str = "",
    language: str = "",
    region: str = "",
    mentor_type: str = "",
):
    cohort = get_cohort_for_choosing(request.user, cohort_id)
    options = queries.mentor_options(
        cohort, request.user, field=field, language=language, region=region, mentor_type=mentor_type
    )
    return [
        {
            "mentor": _mentor_card(option.user),
            "score": round(option.score, 4),
            "reasons": describe_factors(option.factors),
            "free_places": option.free_places,
            "my_rank": option.my_rank,
        }
        for option in options
    ]


@router.put(
    "/matching/cohorts/{cohort_id}/mentor-choices",
    response=list[int],
    summary="Rank up to three mentors, best first (mentee)",
)
def set_mentor_choices(request: HttpRequest, cohort_id: int, payload: MentorChoicesIn):
    cohort = get_cohort_for_choosing(request.user, cohort_id)
    return services.set_mentor_choices(
        cohort=cohort, mentee=request.user, mentor_ids=payload.mentor_ids
    )
