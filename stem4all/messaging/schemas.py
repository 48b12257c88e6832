import datetime as dt

from ninja import Schema


class ConversationOut(Schema):
    id: int
    kind: str
    title: str
    mentorship_id: int | None
    unread: int
    last_message_at: dt.datetime | None


class MessageOut(Schema):
    id: int
    conversation_id: int
    sender_id: int
    sender_name: str
    text: str
    status: str
    created_at: dt.datetime
    is_read: bool


class MessagePageOut(Schema):
    messages: list[MessageOut]
    has_earlier: bool
    can_post: bool
    posting_closed_reason: str


class MessageIn(Schema):
    text: str


class ConcernIn(Schema):
    text: str
    message_id: int | None = None
    person_id: int | None = None


class ConcernReceiptOut(Schema):
    detail: str
    created_at: dt.datetime


class ModerationIn(Schema):
    note: str = ""


class HeldMessageOut(Schema):
    id: int
    conversation_id: int
    conversation_kind: str
    cohort_id: int | None
    sender_id: int
    sender_name: str
    text: str
    created_at: dt.datetime


class ModeratedOut(Schema):
    id: int
    status: str
    moderated_by_id: int | None
    moderated_at: dt.datetime | None
    moderation_note: str


class ConcernOut(Schema):
    id: int
    status: str
    reporter_id: int | None
    about_user_id: int | None
    message_id: int | None
    cohort_id: int | None
    text: str
    created_at: dt.datetime
    handled_by_id: int | None
    handled_at: dt.datetime | None
    outcome_note: str


class CloseConcernIn(Schema):
    note: str
