import datetime as dt

from ninja import Schema


class LanguageSkillSchema(Schema):
    language: str
    level: str


class MenteeProfileSchema(Schema):
    education_level: str
    school_grade: int | None = None
    institution: str = ""
    settlement: str = ""
    stem_fields: list[str] = []
    career_goal: str = ""
    preferred_mentor_type: str = "any"
    hours_per_month: int = 4
    availability: list[str] = []


class MentorProfileSchema(Schema):
    organisation: str
    job_title: str
    stem_fields: list[str] = []
    years_of_experience: int = 0
    capacity: int = 2
    availability: list[str] = []
    bio: str = ""


class MentorProfileOut(MentorProfileSchema):
    screening_status: str
    is_cleared_for_minors: bool
    is_regional: bool


class MentorCardOut(Schema):
    id: int
    full_name: str
    organisation: str
    job_title: str
    stem_fields: list[str]
    bio: str
    is_regional: bool


class PersonalDetailsIn(Schema):
    full_name: str
    preferred_language: str = "en"
    date_of_birth: dt.date | None = None
    country: str = "KG"
    region: str = ""
    district: str = ""
    time_zone: str = "Asia/Bishkek"


class MeOut(PersonalDetailsIn):
    id: int
    email: str
    is_minor: bool
    can_be_matched_or_contacted: bool
    languages: list[LanguageSkillSchema]
    mentee_profile: MenteeProfileSchema | None
    mentor_profile: MentorProfileOut | None


class PersonOut(Schema):
    """What the viewer may see: the full record, or only a mentor's card."""

    access: str
    full: MeOut | None = None
    card: MentorCardOut | None = None


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]
