"""Closure in the JSON API: a member's exit survey and the mentee's certificate, with
the same accessors, form and services as the pages. Verifying a code is a public page
(``closure:verify``), not an API call: the API needs sign-in."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status

from stem4all.accounts.api import validated

from . import queries, services
from .forms import ExitSurveyForm
from .permissions import get_mentorship_for_certificate, get_mentorship_for_survey
from .schemas import CertificateOut, ExitSurveyIn, ExitSurveyOut

router = Router(tags=["closure"])


@router.get(
    "/mentorships/{mentorship_id}/exit-survey",
    response=ExitSurveyOut,
    summary="My exit survey of a mentorship (404 until I answer it)",
)
def my_exit_survey(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_survey(request.user, mentorship_id)
    survey = queries.exit_survey_of(mentorship, request.user)
    if survey is None:
        raise Http404
    return survey


@router.post(
    "/mentorships/{mentorship_id}/exit-survey",
    response={201: ExitSurveyOut},
    summary="Answer the exit survey of an ended mentorship, once",
)
def submit_exit_survey(request: HttpRequest, mentorship_id: int, payload: ExitSurveyIn):
    mentorship = get_mentorship_for_survey(request.user, mentorship_id)
    data = validated(ExitSurveyForm(payload.dict()))
    survey = services.submit_exit_survey(mentorship=mentorship, respondent=request.user, **data)
    return Status(201, survey)


@router.get(
    "/mentorships/{mentorship_id}/certificate",
    response=CertificateOut,
    summary="The mentee's certificate of a completed mentorship (the mentee, or staff)",
)
def my_certificate(request: HttpRequest, mentorship_id: int):
    mentorship = get_mentorship_for_certificate(request.user, mentorship_id)
    certificate = queries.certificate_of(mentorship)
    if certificate is None:
        if mentorship.status != mentorship.Status.COMPLETED:
            raise Http404
        certificate = services.issue_certificate(mentorship=mentorship)
    return {
        **{
            name: getattr(certificate, name)
            for name in CertificateOut.model_fields
            if name not in ("verify_url", "pdf_url")
        },
        "verify_url": request.build_absolute_uri(
            reverse("closure:verify", args=[certificate.code])
        ),
        "pdf_url": request.build_absolute_uri(
            reverse("closure:certificate_pdf", args=[mentorship.pk])
        ),
    }
