"""Shapes of the peer groups API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class GroupOut(Schema):
    id: int
    programme_id: int
    kind: str
    topic: str
    region: str
    language: str
    rhythm: str
    description: str
    member_limit: int | None
    access: str
    member_count: int
    conversation_id: int


class MemberOut(Schema):
    user_id: int
    name: str
    joined_at: dt.datetime


class GroupDetailOut(GroupOut):
    members: list[MemberOut]
    is_member: bool


class GroupIn(Schema):
    programme_id: int
    topic: str
    description: str = ""
    region: str = ""
    language: str
    rhythm: str
    member_limit: int | None = None
    access: str = "open"


class MembershipOut(Schema):
    group_id: int
    status: str


class MeetingOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    duration_minutes: int
    online_link: str
    place: str
    agenda: str
    ics_url: str


class MeetingIn(Schema):
    starts_at_local: str
    time_zone: str
    duration_minutes: int = 60
    online_link: str = ""
    place: str = ""
    agenda: str = ""


class AlumniConversionOut(Schema):
    groups_created: list[int]
    members_added: int
    skipped: int
