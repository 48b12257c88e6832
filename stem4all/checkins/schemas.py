import datetime as dt

from ninja import Field, Schema

from stem4all.mentorships.schemas import PersonOut


class PulseOut(Schema):
    id: int
    mentorship_id: int
    round: int
    due_on: dt.date
    score: int | None
    comment: str
    answered_at: dt.datetime | None


class PulseAnswerIn(Schema):
    score: int | None = None
    comment: str = ""


class FlagOut(Schema):
    id: int
    mentorship_id: int
    reason: str
    details: dict
    created_at: dt.datetime
    resolved_at: dt.datetime | None


class PairHealthOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    status: str
    started_at: dt.datetime
    last_meeting_at: dt.datetime | None
    last_message_at: dt.datetime | None
    steps_done: int
    steps_total: int
    latest_pulse_score: int | None
    open_flags: list[FlagOut] = Field(default_factory=list)
