"""Demo data for recordings: one linked recording of a cohort and one access code."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort

from . import services

DEMO_LINK = "https://video.example.org/demo-leadership"


def seed_recordings(*, cohort: Cohort, staff: User, today: dt.date) -> str:
    """Publish the demo recording (for 30 days from the start of ``today``) with one code
    for a partner school; return the code in its friendly form, the only time it exists
    in clear."""
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    recording = services.publish_recording(
        cohort=cohort,
        by=staff,
        title="Leadership in STEM: a conversation with alumnae",
        description=(
            "Three alumnae of the programme talk about leading a team in a lab, a start-up "
            "and a school. Synthetic demo content."
        ),
        external_url=DEMO_LINK,
        available_from=start,
        available_until=start + services.DEFAULT_PERIOD,
    )
    _code, friendly = services.create_access_code(
        recording=recording, by=staff, label="For the partner school in Naryn", now=start
    )
    return friendly
