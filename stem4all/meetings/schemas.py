import datetime as dt

from ninja import Schema


class MeetingOut(Schema):
    id: int
    mentorship_id: int
    proposed_by_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    duration_minutes: int
    online_link: str
    place: str
    agenda: str
    status: str
    sequence: int
    replaces_id: int | None
    responded_by_id: int | None
    responded_at: dt.datetime | None
    outcome: str
    outcome_notes: str
    logged_at: dt.datetime | None


class MeetingDetailOut(MeetingOut):
    replaced_by_id: int | None = None
    my_feedback_given: bool = False
    my_private_note: str = ""


class MeetingIn(Schema):
    starts_at_local: str
    time_zone: str
    duration_minutes: int | None = 60
    online_link: str = ""
    place: str = ""
    agenda: str = ""


class LogIn(Schema):
    outcome: str
    notes: str = ""
    private_note: str = ""


class FeedbackIn(Schema):
    rating: int | None = None
    comment: str = ""


class PrivateNoteIn(Schema):
    text: str = ""


class PrivateNoteOut(Schema):
    text: str
