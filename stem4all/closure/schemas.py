import datetime as dt

from ninja import Schema


class ExitSurveyIn(Schema):
    overall_rating: int | None = None
    goals_met: int | None = None
    would_recommend: bool | None = None
    what_worked: str = ""
    what_to_improve: str = ""
    stay_in_touch: bool = False


class ExitSurveyOut(Schema):
    id: int
    mentorship_id: int
    role: str
    overall_rating: int
    goals_met: int
    would_recommend: bool
    what_worked: str
    what_to_improve: str
    stay_in_touch: bool
    submitted_at: dt.datetime


class CertificateOut(Schema):
    code: str
    display_code: str
    mentee_name: str
    mentor_name: str
    programme_name: str
    cohort_name: str
    started_on: dt.date
    completed_on: dt.date
    issued_at: dt.datetime
    is_revoked: bool
    revoked_at: dt.datetime | None
    verify_url: str
    pdf_url: str
