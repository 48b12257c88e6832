"""Writes for recordings: publishing and editing a recording, creating and revoking
access codes, and exchanging a code for a session grant.

Wrong codes are limited per IP address in a fixed one-hour window
(``stem4all.core.rate_limit``): an attempt first takes a slot, so parallel guesses
cannot slip past the limit, and a right code gives its slot back.
While the limit is reached every attempt is refused, a right code too, so that a
guesser learns nothing. The code is never logged, put in a URL or stored in clear.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core import rate_limit
from stem4all.programmes.models import Cohort

from . import codes
from .errors import (
    CodeNotValid,
    CodeRevoked,
    NotYetAvailable,
    RecordingError,
    RecordingGone,
    TooManyAttempts,
)
from .models import AccessCode, Recording
from .permissions import GRANTS_KEY

DEFAULT_PERIOD = dt.timedelta(days=30)
WRONG_CODES_PER_HOUR = 10
WINDOW_SECONDS = 3600

EDITABLE_FIELDS = ("title", "description", "training", "available_from", "available_until")


def default_period(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    start = (now or timezone.now()).replace(second=0, microsecond=0)
    return start, start + DEFAULT_PERIOD


def _check_period(available_from, available_until) -> None:
    if available_from and available_until and available_until <= available_from:
        raise RecordingError(_("The access period must end after it starts."))


@transaction.atomic
def publish_recording(
    *,
    cohort: Cohort,
    by: User,
    title: str,
    available_from: dt.datetime,
    available_until: dt.datetime,
    description: str = "",
    training=None,
    file=None,
    content_type: str = "",
    external_url: str = "",
) -> Recording:
    _check_period(available_from, available_until)
    if bool(file) == bool(external_url):
        raise RecordingError(_("Give either a video file or a link to the video, not both."))
    if training is not None and training.programme_id != cohort.programme_id:
        raise RecordingError(_("Choose a training of this programme."))
    recording = Recording(
        training=training,
        cohort=cohort,
        created_by=by,
        title=title,
        description=description,
        available_from=available_from,
        available_until=available_until,
        external_url=external_url if not file else "",
        content_type=content_type if file else "",
    )
    if file:
        recording.file.save(file.name, file, save=False)
    recording.save()
    return recording


@transaction.atomic
def update_recording(
    *, recording: Recording, by: User, file=None, content_type: str = "", external_url="", **fields
) -> Recording:
    """Change the texts and the period; a new file or link replaces the old source."""
    recording = Recording.objects.select_for_update().get(pk=recording.pk)
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(recording, name, fields[name])
    _check_period(recording.available_from, recording.available_until)
    if recording.training is not None and (
        recording.training.programme_id != recording.cohort.programme_id
    ):
        raise RecordingError(_("Choose a training of this programme."))
    old_file = recording.file.name if recording.file else ""
    if file and external_url:
        raise RecordingError(_("Give either a video file or a link to the video, not both."))
    if file:
        recording.file.save(file.name, file, save=False)
        recording.content_type = content_type
        recording.external_url = ""
    elif external_url:
        recording.external_url = external_url
        recording.file = ""
        recording.content_type = ""
    recording.save()
    new_file = recording.file.name if recording.file else ""
    if old_file and old_file != new_file:
        storage = recording.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return recording


def create_access_code(
    *, recording: Recording, by: User, label: str, now: dt.datetime | None = None
) -> tuple[AccessCode, str]:
    """A new code for the recording; returns it with the code in its friendly form,
    which is the only time anyone sees it."""
    now = now or timezone.now()
    if now >= recording.available_until:
        raise RecordingError(
            _("The access period of this recording has ended: extend it before adding codes.")
        )
    for _attempt in range(3):
        raw = codes.generate_code()
        try:
            with transaction.atomic():
                code = AccessCode.objects.create(
                    recording=recording,
                    label=label,
                    code_hash=codes.hash_code(raw),
                    created_by=by,
                )
        except IntegrityError:  # pragma: no cover - 140 random bits do not collide
            continue
        return code, codes.friendly(raw)
    raise RecordingError(_("The code could not be created. Try again."))  # pragma: no cover


@transaction.atomic
def revoke_access_code(*, code: AccessCode, by: User, now: dt.datetime | None = None) -> AccessCode:
    code = AccessCode.objects.select_for_update().get(pk=code.pk)
    if code.revoked_at is not None:
        raise RecordingError(_("This code was already revoked."))
    code.revoked_at = now or timezone.now()
    code.revoked_by = by
    code.save(update_fields=["revoked_at", "revoked_by"])
    return code


def exchange_access_code(
    *, session, ip: str, code_text: str, now: dt.datetime | None = None
) -> Recording:
    """Check a typed code and, when it is right, record a grant for its recording in
    the session until the end of the recording's period."""
    now = now or timezone.now()
    window = {"scope": "recording-codes", "ip": ip, "window_seconds": WINDOW_SECONDS, "now": now}
    if not rate_limit.take_slot(limit=WRONG_CODES_PER_HOUR, **window):
        raise TooManyAttempts
    raw = codes.normalise(code_text)
    code = (
        AccessCode.objects.select_related("recording")
        .filter(code_hash=codes.hash_code(raw))
        .first()
        if raw
        else None
    )
    if code is None:
        raise CodeNotValid
    # A real code is not a guess: give the slot back.
    rate_limit.give_back(**window)
    recording = code.recording
    if code.is_revoked:
        raise CodeRevoked
    if now >= recording.available_until:
        raise RecordingGone(_("This code has expired: the recording's access period has ended."))
    if now < recording.available_from:
        raise NotYetAvailable(
            _("This recording can be watched from %(date)s.")
            % {"date": date_format(timezone.localtime(recording.available_from), "DATETIME_FORMAT")}
        )
    if hasattr(session, "cycle_key"):
        # A new session key for the new right, as at sign-in.
        session.cycle_key()
    grants = dict(session.get(GRANTS_KEY) or {})
    grants[str(recording.pk)] = {"code": code.pk, "until": recording.available_until.isoformat()}
    session[GRANTS_KEY] = grants
    return recording
