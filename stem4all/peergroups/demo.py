"""Demo peer groups for the seeded programme (synthetic data): two groups with the
demo mentee and the demo minor (who has a guardian's consent) as members, and an
upcoming group meeting. Called by the demo seeding with the people it made."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from stem4all.accounts.choices import Language
from stem4all.accounts.geography import Region
from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort

from . import services
from .models import PeerGroup, PeerGroupMember

DEMO_GROUPS = [
    {
        "topic": "Data science in Kyrgyz",
        "description": (
            "We learn data science together in Kyrgyz: one small dataset a month, "
            "a notebook each, and we compare what we found."
        ),
        "region": "",
        "language": Language.KYRGYZ,
        "rhythm": PeerGroup.Rhythm.FORTNIGHTLY,
        "member_limit": 12,
    },
    {
        "topic": "Women in engineering — Osh",
        "description": (
            "Engineering students and pupils in and around Osh: visits to workshops, "
            "project evenings and help with university applications."
        ),
        "region": Region.OSH,
        "language": Language.KYRGYZ,
        "rhythm": PeerGroup.Rhythm.MONTHLY,
        "member_limit": None,
    },
]


def _ensure_member(group: PeerGroup, user: User) -> None:
    if not PeerGroupMember.objects.filter(group=group, user=user).exists():
        services.join_group(group=group, user=user)


@transaction.atomic
def seed_peer_groups(*, cohort: Cohort, people: dict[str, User], today: dt.date) -> list[PeerGroup]:
    """Idempotent: seeding twice finds the same groups."""
    mentee, minor = people["mentee"], people["minor"]
    groups = []
    for spec, organiser in zip(DEMO_GROUPS, (mentee, minor), strict=True):
        group = PeerGroup.objects.filter(programme=cohort.programme, topic=spec["topic"]).first()
        if group is None:
            group = services.create_group(
                creator=organiser,
                programme=cohort.programme,
                access=PeerGroup.Access.OPEN,
                **spec,
            )
        for person in (mentee, minor):
            _ensure_member(group, person)
        groups.append(group)
    first = groups[0]
    if not first.meetings.exists():
        day = today + dt.timedelta(days=(3 - today.weekday()) % 7 or 7)  # next Thursday
        services.propose_group_meeting(
            group=first,
            by=mentee,
            starts_at_local=dt.datetime.combine(day, dt.time(18, 0)),
            time_zone="Asia/Bishkek",
            duration_minutes=60,
            online_link="https://meet.example.org/data-science-ky",
            agenda="Cleaning a small table of weather data from Naryn; bring questions.",
        )
    return groups
