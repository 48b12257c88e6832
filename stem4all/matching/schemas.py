import datetime as dt

from ninja import Field, Schema

from .explanations import describe_factors, describe_unmatched


class RunIn(Schema):
    mode: str = "optimal"
    regional_floor_percent: int | None = None
    max_international_percent: int | None = None
    spread_load: bool = False
    min_language_level: str = "B1"
    top_k: int = 50
    response_days: int = 7


class FiguresOut(Schema):
    mentees: int
    left_out: int
    matched: int
    matched_percent: int | None
    from_regions: int
    from_regions_matched: int
    regional_matched_percent: int | None
    regional_share_percent: int | None
    international: int
    international_percent: int | None
    locked: int
    average_score: float | None
    mentors: int
    free_places: int
    load: list[tuple[int, int]]


class RunOut(Schema):
    id: int
    cohort_id: int
    mode: str
    status: str
    options: dict
    summary: dict
    created_at: dt.datetime
    published_at: dt.datetime | None


class PairRuleOut(Schema):
    mentee_id: int
    mentor_id: int
    kind: str


class RunDetailOut(RunOut):
    figures: FiguresOut
    rules: list[PairRuleOut]


class ProposalOut(Schema):
    id: int
    run_id: int | None
    cohort_id: int
    mentee_id: int
    mentee_name: str = Field(..., alias="mentee.full_name")
    mentor_id: int
    mentor_name: str = Field(..., alias="mentor.full_name")
    score: float
    is_locked: bool
    status: str
    respond_by: dt.datetime | None
    factors: list[dict]
    reasons: list[str]

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return describe_factors(obj.factors)


class UnmatchedOut(Schema):
    mentee_id: int
    mentee_name: str = Field(..., alias="mentee.full_name")
    reason: str
    eligible_mentors: int
    explanation: str

    @staticmethod
    def resolve_explanation(obj) -> str:
        return describe_unmatched(obj.reason, obj.eligible_mentors)


class PairIn(Schema):
    mentee_id: int
    mentor_id: int


class SwapIn(Schema):
    proposal_a: int
    proposal_b: int


class PublishOut(Schema):
    run: RunOut
    proposed: int
    superseded: int


class RematchOut(Schema):
    proposal: ProposalOut | None
    unmatched_reason: str | None
    explanation: str | None


class LanguageOut(Schema):
    language: str
    level: str


class MenteeCardOut(Schema):
    """What a mentor sees of a mentee proposed to her: nothing private."""

    id: int
    full_name: str
    fields: list[str]
    career_goal: str
    region: str
    country: str
    languages: list[LanguageOut]
    is_minor: bool


class MentorProposalOut(Schema):
    id: int
    cohort_id: int
    cohort_name: str = Field(..., alias="cohort.name")
    status: str
    respond_by: dt.datetime | None
    score: float
    reasons: list[str]
    mentee: MenteeCardOut

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return describe_factors(obj.factors)

    @staticmethod
    def resolve_mentee(obj) -> dict:
        mentee = obj.mentee
        profile = getattr(mentee, "mentee_profile", None)
        return {
            "id": mentee.pk,
            "full_name": mentee.full_name,
            "fields": list(profile.stem_fields) if profile else [],
            "career_goal": profile.career_goal if profile else "",
            "region": mentee.region,
            "country": mentee.country,
            "languages": [
                {"language": skill.language, "level": skill.level}
                for skill in mentee.languages.all()
            ],
            "is_minor": mentee.is_minor,
        }


class DeclineIn(Schema):
    reason: str = ""


class MentorshipOut(Schema):
    id: int
    cohort_id: int
    mentee_id: int
    mentor_id: int
    status: str
    started_at: dt.datetime


class MentorCardOut(Schema):
    id: int
    full_name: str
    job_title: str
    organisation: str
    fields: list[str]
    bio: str
    is_regional: bool


class MatchStatusOut(Schema):
    cohort_id: int
    cohort_name: str
    state: str
    mentorship_id: int | None
    mentor: MentorCardOut | None


class MentorOptionOut(Schema):
    """A mentor the mentee may choose, with why she fits her."""

    mentor: MentorCardOut
    score: float
    reasons: list[str]
    free_places: int
    my_rank: int | None


class MentorChoicesIn(Schema):
    mentor_ids: list[int]  # best first, at most three
