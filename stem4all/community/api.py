"""The community in the JSON API: representatives manage their organisation and its
practices, staff review them; the same forms, permissions and services as the pages.
The public gallery stays pages only (the API requires sign-in). Logos and photos are
uploaded through the pages (multipart forms)."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status

from stem4all.accounts.api import FormInvalid, validated
from stem4all.accounts.permissions import is_any_programme_staff
from stem4all.programmes.models import Programme

from . import queries, services
from .forms import DecisionForm, OrganisationForm, PracticeForm, ResultFormSet, cleaned_results
from .models import Practice
from .permissions import (
    can_create_organisation,
    get_organisation_for_representative,
    get_organisation_for_staff,
    get_practice_for_representative,
    get_practice_for_staff,
)
from .schemas import (
    DecisionIn,
    OrganisationCreateIn,
    OrganisationIn,
    OrganisationOut,
    PracticeIn,
    PracticeOut,
    ReviewQueueOut,
)

router = Router(tags=["community"])

REVIEW_LIMIT = 100


def _practice_data(payload: PracticeIn) -> dict:
    values = payload.dict()
    results = values.pop("results")
    data = validated(PracticeForm(values))
    formset_data = {"results-TOTAL_FORMS": str(len(results)), "results-INITIAL_FORMS": "0"}
    for i, row in enumerate(results):
        formset_data.update({f"results-{i}-{key}": value for key, value in row.items()})
    formset = ResultFormSet(formset_data, prefix="results")
    if not formset.is_valid():
        # Answered like a form's errors (422), under the field "results".
        messages = list(formset.non_form_errors())
        for row in formset.errors:
            messages += [str(e) for errors in row.values() for e in errors]
        raise FormInvalid(SimpleNamespace(errors={"results": messages}))
    return {**data, "results": cleaned_results(formset)}


def _practice_out(practice: Practice) -> Practice:
    return Practice.objects.prefetch_related("results", "photos").get(pk=practice.pk)


@router.get(
    "/community/organisations",
    response=list[OrganisationOut],
    summary="The organisations I represent",
)
def my_organisations(request: HttpRequest):
    return list(queries.organisations_of_representative(request.user))


@router.post(
    "/community/organisations",
    response={201: OrganisationOut},
    summary="Create my organisation's profile (an accepted partner of the programme)",
)
def create_organisation(request: HttpRequest, payload: OrganisationCreateIn):
    programme = Programme.objects.filter(pk=payload.programme_id).first()
    if programme is None or not can_create_organisation(request.user, programme):
        raise Http404
    values = payload.dict()
    values.pop("programme_id")
    data = validated(OrganisationForm(values))
    data.pop("remove_logo", None)
    organisation = services.create_partner_organisation(
        programme=programme, by=request.user, **data
    )
    return Status(201, organisation)


@router.get(
    "/community/organisations/{organisation_id}",
    response=OrganisationOut,
    summary="My organisation",
)
def get_organisation(request: HttpRequest, organisation_id: int):
    return get_organisation_for_representative(request.user, organisation_id)


@router.put(
    "/community/organisations/{organisation_id}",
    response=OrganisationOut,
    summary="Edit my organisation's profile (the logo stays)",
)
def put_organisation(request: HttpRequest, organisation_id: int, payload: OrganisationIn):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    data = validated(OrganisationForm(payload.dict(), instance=organisation))
    data.pop("logo", None)
    data.pop("remove_logo", None)
    return services.update_partner_organisation(organisation=organisation, by=request.user, **data)


@router.get(
    "/community/organisations/{organisation_id}/practices",
    response=list[PracticeOut],
    summary="My organisation's practices, newest first",
)
def organisation_practices(request: HttpRequest, organisation_id: int):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    return list(queries.practices_of(organisation).prefetch_related("results", "photos"))


@router.post(
    "/community/organisations/{organisation_id}/practices",
    response={201: PracticeOut},
    summary="Write a practice (a draft) with its results in figures",
)
def create_practice(request: HttpRequest, organisation_id: int, payload: PracticeIn):
    organisation = get_organisation_for_representative(request.user, organisation_id)
    data = _practice_data(payload)
    practice = services.create_practice(organisation=organisation, by=request.user, **data)
    return Status(201, _practice_out(practice))


@router.get("/community/practices/{practice_id}", response=PracticeOut, summary="A practice")
def get_practice(request: HttpRequest, practice_id: int):
    return _practice_out(get_practice_for_representative(request.user, practice_id))


@router.put(
    "/community/practices/{practice_id}",
    response=PracticeOut,
    summary="Replace a draft's fields and results",
)
def put_practice(request: HttpRequest, practice_id: int, payload: PracticeIn):
    practice = get_practice_for_representative(request.user, practice_id)
    data = _practice_data(payload)
    return _practice_out(services.update_practice(practice=practice, by=request.user, **data))


@router.delete("/community/practices/{practice_id}", response={204: None}, summary="Delete a draft")
def delete_practice(request: HttpRequest, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    services.delete_practice(practice=practice, by=request.user)
    return Status(204, None)


@router.post(
    "/community/practices/{practice_id}/submit",
    response=PracticeOut,
    summary="Submit a draft for review",
)
def submit_practice(request: HttpRequest, practice_id: int):
    practice = get_practice_for_representative(request.user, practice_id)
    return _practice_out(services.submit_practice(practice=practice, by=request.user))


@router.get(
    "/community/review",
    response=ReviewQueueOut,
    summary="Organisations and practices waiting for review (staff of their programme)",
)
def review_queue(request: HttpRequest):
    if not is_any_programme_staff(request.user):
        raise PermissionDenied
    return {
        "organisations": list(queries.organisations_to_review(request.user)[:REVIEW_LIMIT]),
        "practices": list(queries.practices_to_review(request.user)[:REVIEW_LIMIT]),
    }


@router.post(
    "/community/review/organisations/{organisation_id}",
    response=OrganisationOut,
    summary="Approve or reject an organisation (reason required to reject)",
)
def decide_organisation(request: HttpRequest, organisation_id: int, payload: DecisionIn):
    organisation = get_organisation_for_staff(request.user, organisation_id)
    data = validated(DecisionForm(payload.dict()))
    return services.decide_partner_organisation(
        organisation=organisation,
        by=request.user,
        approve=data["decision"] == "approve",
        reason=data["reason"],
    )


@router.post(
    "/community/review/practices/{practice_id}",
    response=PracticeOut,
    summary="Approve (publish) or reject a submitted practice",
)
def decide_practice(request: HttpRequest, practice_id: int, payload: DecisionIn):
    practice = get_practice_for_staff(request.user, practice_id)
    data = validated(DecisionForm(payload.dict()))
    practice = services.decide_practice(
        practice=practice,
        by=request.user,
        approve=data["decision"] == "approve",
        reason=data["reason"],
    )
    return _practice_out(practice)
