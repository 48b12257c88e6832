import datetime as dt

from ninja import Field, Schema


class ProgrammeOut(Schema):
    id: int
    name: str
    slug: str


class CohortOut(Schema):
    id: int
    name: str
    slug: str
    programme: ProgrammeOut
    phase: str
    mentoring_language: str
    starts_on: dt.date
    ends_on: dt.date
    applications_close_on: dt.date | None
    is_accepting_applications: bool


class ApplicationIn(Schema):
    role: str
    motivation: str
    agrees_to_privacy: bool


class ParticipationOut(Schema):
    id: int
    cohort_id: int
    role: str
    status: str
    motivation: str
    decision_reason: str
    created_at: dt.datetime


class ParticipantOut(ParticipationOut):
    user_id: int
    full_name: str = Field(..., alias="user.full_name")
    email: str = Field(..., alias="user.email")


class DecisionIn(Schema):
    decision: str
    reason: str = ""
