import datetime as dt

from ninja import Field, Schema


class PersonOut(Schema):
    id: int
    full_name: str


class EventOut(Schema):
    from_status: str
    to_status: str
    actor_id: int | None
    reason: str
    created_at: dt.datetime


class AgreementOut(Schema):
    goals: str
    meeting_frequency: str
    meeting_mode: str
    working_language: str
    expected_end_on: dt.date | None
    mentee_confirmed_at: dt.datetime | None
    mentor_confirmed_at: dt.datetime | None
    is_confirmed: bool
    updated_at: dt.datetime


class MentorshipOut(Schema):
    id: int
    cohort_id: int
    cohort_name: str = Field(..., alias="cohort.name")
    mentee: PersonOut
    mentor: PersonOut
    status: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


class MentorshipDetailOut(MentorshipOut):
    end_reason: str
    end_cause: str
    events: list[EventOut]
    agreement: AgreementOut | None

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_agreement(obj):
        from .models import MentoringAgreement

        return MentoringAgreement.objects.filter(mentorship=obj).first()


class ReasonIn(Schema):
    reason: str = ""


class EndIn(ReasonIn):
    # The main reason counted in the reports; one of Mentorship.EndCause.
    cause: str = "other"


class AgreementIn(Schema):
    goals: str = ""
    meeting_frequency: str = ""
    meeting_mode: str = ""
    working_language: str = ""
    expected_end_on: str | None = None
