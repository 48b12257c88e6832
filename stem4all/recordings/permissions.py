"""Who may manage and who may watch a recording.

- Staff of the cohort's programme manage its recordings and codes (403 for other staff,
  404 when it does not exist) and may always watch them.
- Accepted participants of the cohort watch during the access period.
- Anyone else watches only with a session grant obtained by exchanging an access code;
  every request (each range request of a video too) re-checks that grant: the code
  must not be revoked and the period must not have ended.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404

from stem4all.accounts.models import User
from stem4all.accounts.permissions import is_programme_staff
from stem4all.programmes.models import Participation

from .errors import CodeRevoked, NoAccess, NotYetAvailable, RecordingGone
from .models import AccessCode, Recording

GRANTS_KEY = "recording_grants"


def is_cohort_participant(user: User, cohort_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return Participation.objects.filter(
        user=user, cohort_id=cohort_id, status=Participation.Status.ACCEPTED
    ).exists()


def get_recording_for_staff(user: User, recording_id: int) -> Recording:
    recording = (
        Recording.objects.select_related("cohort__programme").filter(pk=recording_id).first()
    )
    if recording is None:
        raise Http404
    if not is_programme_staff(user, recording.cohort.programme_id):
        raise PermissionDenied
    return recording


def get_code_for_staff(user: User, code_id: int) -> AccessCode:
    code = (
        AccessCode.objects.select_related("recording__cohort__programme").filter(pk=code_id).first()
    )
    if code is None:
        raise Http404
    if not is_programme_staff(user, code.recording.cohort.programme_id):
        raise PermissionDenied
    return code


def session_grant(session, recording_id: int) -> dict | None:
    return (session.get(GRANTS_KEY) or {}).get(str(recording_id))


def drop_grant(session, recording_id: int) -> None:
    grants = dict(session.get(GRANTS_KEY) or {})
    if grants.pop(str(recording_id), None) is not None:
        session[GRANTS_KEY] = grants


def get_recording_for_viewer(request, recording_id: int, *, now: dt.datetime) -> Recording:
    """The recording the viewer may watch now, or raise: NoAccess (nothing entitles
    her: the caller answers 404 or sends her to the code page, whether or not the
    recording exists), RecordingGone (410), NotYetAvailable or CodeRevoked (403)."""
    recording = (
        Recording.objects.select_related("cohort__programme", "training")
        .filter(pk=recording_id)
        .first()
    )
    if recording is None:
        raise NoAccess
    user = request.user
    if is_programme_staff(user, recording.cohort.programme_id):
        return recording
    is_member = is_cohort_participant(user, recording.cohort_id)
    grant = None if is_member else session_grant(request.session, recording.pk)
    if not is_member and grant is None:
        raise NoAccess
    if now >= recording.available_until:
        raise RecordingGone
    if now < recording.available_from:
        raise NotYetAvailable
    if is_member:
        return recording
    code = AccessCode.objects.filter(pk=grant.get("code"), recording=recording).first()
    if code is None:
        drop_grant(request.session, recording.pk)
        raise NoAccess
    if code.is_revoked:
        raise CodeRevoked
    until = dt.datetime.fromisoformat(grant.get("until", "1970-01-01T00:00:00+00:00"))
    if now >= until:
        raise RecordingGone
    return recording
