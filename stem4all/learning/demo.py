"""Synthetic demo data for the learning library: five lectures on the programme's
topics and three trainings (one past with the demo mentee's attendance, one today,
one next week that is full, with a waitlist). Called by the demo seeding; running it
twice adds nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction

from stem4all.accounts.models import User
from stem4all.programmes.models import Programme

from .models import Lecture, LectureMaterial, LectureProgress, Registration, Topic, Training

ZONE = "Asia/Bishkek"

LECTURES = [
    {
        "title": "Planning a week that leaves room for study",
        "speaker_name": "Aigerim Demo-Speaker",
        "speaker_kind": Lecture.SpeakerKind.GUEST,
        "topic": Topic.TIME_MANAGEMENT,
        "language": "ru",
        "duration_minutes": 45,
        "summary": "Weekly planning, time blocks and saying no without guilt.",
    },
    {
        "title": "Leading a student project team",
        "speaker_name": "Elmira Demo-Expert",
        "speaker_kind": Lecture.SpeakerKind.PARTNER_EXPERT,
        "topic": Topic.LEADERSHIP,
        "stem_field": "software",
        "language": "en",
        "duration_minutes": 60,
        "summary": "Roles, stand-ups and giving feedback in a small engineering team.",
    },
    {
        "title": "Эмоционалдык интеллект жана команда",
        "speaker_name": "Нурзат Demo-Speaker",
        "speaker_kind": Lecture.SpeakerKind.GUEST,
        "topic": Topic.EMOTIONAL_INTELLIGENCE,
        "language": "ky",
        "duration_minutes": 40,
        "summary": "Өз сезимдериңди таануу жана командада пикир алмашуу.",
    },
    {
        "title": "Your first budget as an engineer",
        "speaker_name": "Dinara Demo-Expert",
        "speaker_kind": Lecture.SpeakerKind.PARTNER_EXPERT,
        "topic": Topic.FINANCIAL_LITERACY,
        "language": "ru",
        "duration_minutes": 50,
        "summary": "Salary, savings and a simple monthly budget.",
    },
    {
        "title": "From internship to first job in data science",
        "speaker_name": "Asel Demo-Mentor",
        "speaker_kind": Lecture.SpeakerKind.MENTOR,
        "topic": Topic.CAREERS,
        "stem_field": "data_science",
        "language": "en",
        "duration_minutes": 55,
        "summary": "CVs, portfolios and interviews for junior data roles.",
    },
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zoneinfo.ZoneInfo(ZONE))
    return local.astimezone(dt.UTC)


@transaction.atomic
def seed_learning(
    *, programme: Programme, staff: User, people: dict[str, User], today: dt.date
) -> dict[str, int]:
    """``people`` maps a role name to a demo account; the key ``"mentee"`` (else the
    first one) is the demo mentee who attended the past training. Returns counts."""
    created = {"lectures": 0, "trainings": 0, "registrations": 0}
    lectures = []
    for spec in LECTURES:
        lecture, new = Lecture.objects.get_or_create(
            programme=programme,
            title=spec["title"],
            defaults={**spec, "is_published": True, "created_by": staff},
        )
        lectures.append(lecture)
        if new:
            created["lectures"] += 1
            LectureMaterial.objects.create(
                lecture=lecture, title="Slides", url="https://example.org/demo-slides"
            )

    accounts = [user for user in people.values() if user is not None]
    mentee = people.get("mentee") or (accounts[0] if accounts else None)
    others = [user for user in accounts if user != mentee]

    specs = [
        ("Workshop: public speaking for engineers", today - dt.timedelta(days=14), 15, 20),
        ("Workshop: writing your first CV", today, 17, 25),
        ("Workshop: negotiating an internship offer", today + dt.timedelta(days=7), 18, 2),
    ]
    trainings = []
    for title, day, hour, capacity in specs:
        training, new = Training.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "trainer_name": "Kanykei Demo-Trainer",
                "description": "A hands-on session in small groups.",
                "starts_at": _at(day, hour),
                "time_zone": ZONE,
                "duration_minutes": 90,
                "venue": "Demo Tech Hub, Bishkek",
                "online_link": "https://meet.example.org/demo-training",
                "capacity": capacity,
                "is_published": True,
                "created_by": staff,
            },
        )
        trainings.append((training, new))
        created["trainings"] += int(new)

    past, today_training, next_week = (training for training, _new in trainings)
    if mentee is not None and trainings[0][1]:
        Registration.objects.create(
            training=past,
            user=mentee,
            status=Registration.Status.REGISTERED,
            attended=True,
            attended_at=past.starts_at,
            marked_by=staff,
        )
        LectureProgress.objects.get_or_create(
            user=mentee, lecture=lectures[0], defaults={"saved": True, "watched_at": past.starts_at}
        )
        created["registrations"] += 1
    if mentee is not None and trainings[1][1]:
        Registration.objects.create(
            training=today_training, user=mentee, status=Registration.Status.REGISTERED
        )
        created["registrations"] += 1
    if trainings[2][1]:
        # Two seats taken by others, then the waitlist (the demo mentee among them).
        queue = others[:2] + ([mentee] if mentee is not None else []) + others[2:4]
        for index, user in enumerate(queue):
            seated = index < next_week.capacity
            Registration.objects.create(
                training=next_week,
                user=user,
                status=Registration.Status.REGISTERED if seated else Registration.Status.WAITLISTED,
                position=None if seated else index - next_week.capacity + 1,
            )
            created["registrations"] += 1
    return created
