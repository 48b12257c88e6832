"""Recordings in the JSON API: staff publish link recordings and manage codes, a
participant lists the recordings of her cohorts, and anyone exchanges a code for a
session grant (``POST /recordings/access``, the same rate limit as the page). Video
files are uploaded on the staff pages and streamed by ``recordings:stream``."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Status

from stem4all.accounts.api import validated
from stem4all.core.client_ip import client_ip
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries, services
from .errors import RecordingError
from .forms import AccessCodeForm, EnterCodeForm, RecordingForm
from .models import AccessCode, Recording
from .permissions import get_code_for_staff, get_recording_for_staff
from .schemas import (
    AccessCodeIn,
    AccessCodeOut,
    CodeExchangeIn,
    DetailOut,
    GrantOut,
    NewAccessCodeOut,
    RecordingIn,
    RecordingOut,
)

router = Router(tags=["recordings"])


def _recording(request, recording: Recording) -> dict:
    return {
        "id": recording.pk,
        "cohort_id": recording.cohort_id,
        "title": recording.title,
        "description": recording.description,
        "kind": "file" if recording.file else "link",
        "training_id": recording.training_id,
        "available_from": recording.available_from,
        "available_until": recording.available_until,
        "watch_url": request.build_absolute_uri(reverse("recordings:watch", args=[recording.pk])),
    }


def _code(code: AccessCode, recording: Recording) -> dict:
    return {
        "id": code.pk,
        "recording_id": recording.pk,
        "label": code.label,
        "created_at": code.created_at,
        "revoked_at": code.revoked_at,
        "expires_at": recording.available_until,
    }


@router.get(
    "/recordings", response=list[RecordingOut], summary="Recordings of my cohorts, watchable now"
)
def my_recordings(request: HttpRequest):
    rows = queries.recordings_for_participant(request.user, now=timezone.now())[:200]
    return [_recording(request, r) for r in rows]


@router.post(
    "/recordings/access",
    auth=None,
    response={200: GrantOut, 400: DetailOut, 403: DetailOut, 410: DetailOut, 429: DetailOut},
    summary="Exchange an access code for a grant in this session",
)
def exchange_code(request: HttpRequest, payload: CodeExchangeIn):
    form = EnterCodeForm({"code": payload.code})
    if not form.is_valid():
        return Status(400, {"detail": str(form.errors["code"][0])})
    try:
        recording = services.exchange_access_code(
            session=request.session, ip=client_ip(request) or "unknown", code_text=payload.code
        )
    except RecordingError as error:
        return Status(error.status, {"detail": str(error)})
    return {
        "recording_id": recording.pk,
        "until": recording.available_until,
        "watch_url": request.build_absolute_uri(reverse("recordings:watch", args=[recording.pk])),
    }


@router.get(
    "/cohorts/{cohort_id}/recordings",
    response=list[RecordingOut],
    summary="Every recording of a cohort (its staff)",
)
def cohort_recordings(request: HttpRequest, cohort_id: int):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    return [_recording(request, r) for r in queries.recordings_of_cohort(cohort)[:500]]


@router.post(
    "/cohorts/{cohort_id}/recordings",
    response={201: RecordingOut},
    summary="Publish a recording given by a link (files are uploaded on the staff page)",
)
def publish_recording(request: HttpRequest, cohort_id: int, payload: RecordingIn):
    cohort = get_cohort_for_staff(request.user, cohort_id)
    start, end = services.default_period()
    data = payload.dict()
    data["training"] = data.pop("training_id")
    data["available_from"] = data["available_from"] or start
    data["available_until"] = data["available_until"] or end
    cleaned = validated(RecordingForm(data, cohort=cohort))
    recording = services.publish_recording(
        cohort=cohort,
        by=request.user,
        title=cleaned["title"],
        description=cleaned["description"],
        training=cleaned["training"],
        external_url=cleaned["external_url"],
        available_from=cleaned["available_from"],
        available_until=cleaned["available_until"],
    )
    return Status(201, _recording(request, recording))


@router.get(
    "/recordings/{recording_id}/codes",
    response=list[AccessCodeOut],
    summary="The access codes of a recording (without the codes themselves)",
)
def list_codes(request: HttpRequest, recording_id: int):
    recording = get_recording_for_staff(request.user, recording_id)
    return [_code(code, recording) for code in queries.codes_of(recording)]


@router.post(
    "/recordings/{recording_id}/codes",
    response={201: NewAccessCodeOut},
    summary="Create an access code; the answer is the only time the code is shown",
)
def create_code(request: HttpRequest, recording_id: int, payload: AccessCodeIn):
    recording = get_recording_for_staff(request.user, recording_id)
    cleaned = validated(AccessCodeForm(payload.dict()))
    code, friendly = services.create_access_code(
        recording=recording, by=request.user, label=cleaned["label"]
    )
    return Status(201, _code(code, recording) | {"code": friendly})


@router.post(
    "/recordings/codes/{code_id}/revoke",
    response=AccessCodeOut,
    summary="Revoke an access code: grants made with it stop at the next request",
)
def revoke_code(request: HttpRequest, code_id: int):
    code = get_code_for_staff(request.user, code_id)
    code = services.revoke_access_code(code=code, by=request.user)
    return _code(code, code.recording)
