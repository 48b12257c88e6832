import datetime as dt

from ninja import Schema


class RecordingIn(Schema):
    title: str
    description: str = ""
    external_url: str
    training_id: int | None = None
    available_from: dt.datetime | None = None
    available_until: dt.datetime | None = None


class RecordingOut(Schema):
    id: int
    cohort_id: int
    title: str
    description: str
    kind: str
    training_id: int | None
    available_from: dt.datetime
    available_until: dt.datetime
    watch_url: str


class AccessCodeIn(Schema):
    label: str


class AccessCodeOut(Schema):
    id: int
    recording_id: int
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    expires_at: dt.datetime


class NewAccessCodeOut(AccessCodeOut):
    code: str


class CodeExchangeIn(Schema):
    code: str


class GrantOut(Schema):
    recording_id: int
    until: dt.datetime
    watch_url: str


class DetailOut(Schema):
    detail: str
