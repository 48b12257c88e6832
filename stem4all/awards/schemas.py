"""API schemas for the award."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class NominationIn(Schema):
    nominee_id: int
    statement: str


class NominationResponseIn(Schema):
    answer: str
    shows_meetings: bool = False
    shows_roadmap_steps: bool = False
    shows_trainings: bool = False


class NominationReviewIn(Schema):
    decision: str
    reason: str = ""
    merge_into: int | None = None


class NominationSummaryOut(Schema):
    """A row of the staff's list (from a Nomination): no statement, no evidence."""

    id: int
    category_id: int
    category: str
    nominee_kind: str
    nominee_name: str
    status: str
    is_public: bool
    has_nominee_consent: bool
    merged_into_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_nominee_kind(obj) -> str:
        return obj.category.nominee_kind


class NominationOut(Schema):
    """What the nomination page shows. Only those who may see a nomination get it, and
    one not public only the nominee, the nominator and the award staff see."""

    id: int
    category_id: int
    category: str
    nominee_kind: str
    nominee_name: str
    status: str
    is_public: bool
    has_nominee_consent: bool
    merged_into_id: int | None
    created_at: dt.datetime
    edition_id: int
    url: str
    statements: list[str]
    shows_meetings: bool
    shows_roadmap_steps: bool
    shows_trainings: bool
    evidence: dict
    rejection_reason: str


class VoteOut(Schema):
    receipt: str
    category: int
    nomination: int
    cast_at: dt.datetime
    sequence: int


class MyVoteOut(VoteOut):
    edition: int
    edition_name: str
    category_name: str
    nominee: str
    status: str
    counts: bool


class ReceiptIn(Schema):
    receipt: str


class ReceiptOut(Schema):
    receipt: str
    edition: str
    category: str
    nominee: str
    cast_at: dt.datetime
    status: str
    status_label: str
    counts: bool


class VoteRefusalOut(Schema):
    detail: str


class ClusterOut(Schema):
    network: str
    voters: int
    votes: int
    median_signup_seconds: int | None
    shared_browser_share: float
    burst: int
    flagged: int


class FlaggedVoteOut(Schema):
    id: int
    receipt: str
    voter_account: int
    category_id: int
    nomination_id: int
    network: str
    cast_at: dt.datetime
    signup_seconds: int
    signals: list[str]
    voiding_id: int | None = None
    voiding_confirmed: bool = False


class AnomalyReportOut(Schema):
    edition_id: int
    votes_checked: int
    clusters: list[ClusterOut]
    flagged: list[FlaggedVoteOut]


class VoidingIn(Schema):
    reason: str = ""


class VoidingOut(Schema):
    id: int
    vote_id: int
    receipt: str
    reason: str
    requested_by_id: int
    requested_at: dt.datetime
    confirmed_by_id: int | None
    confirmed_at: dt.datetime | None


class JuryFinalistOut(Schema):
    nomination_id: int
    nominee_name: str
    is_conflicted: bool
    sheet_id: int | None
    submitted_at: dt.datetime | None


class JuryAssignmentOut(Schema):
    id: int
    category_id: int
    category: str
    edition_id: int
    edition: str
    is_chair: bool
    finalists: list[JuryFinalistOut]


class CriterionScoreIn(Schema):
    criterion_id: int
    score: int


class JuryScoreIn(Schema):
    scores: list[CriterionScoreIn] = []
    comment: str = ""
    submit: bool = False


class CriterionScoreOut(Schema):
    criterion_id: int
    criterion: str
    weight: int
    score: int


class JuryScoreOut(Schema):
    id: int
    nomination_id: int
    juror_id: int
    juror_name: str
    scores: list[CriterionScoreOut]
    comment: str
    submitted_at: dt.datetime | None
    weighted_score: Decimal | None


class ReasonIn(Schema):
    reason: str = ""


class ConflictOut(Schema):
    id: int
    nomination_id: int
    reason: str
    declared_at: dt.datetime


class JurySeatIn(Schema):
    juror_id: int
    is_chair: bool = False


class JurySeatOut(Schema):
    id: int
    category_id: int
    juror_id: int
    juror_name: str
    is_chair: bool


class ResultOut(Schema):
    nomination_id: int
    nominee: str
    votes: int
    is_finalist: bool
    public_share: Decimal | None
    jury_score: Decimal | None
    jury_sheets: int
    final_score: Decimal | None
    rank: int | None
    is_winner: bool


class CategoryResultsOut(Schema):
    id: int
    name: str
    winner_nomination_id: int | None
    results: list[ResultOut]


class EditionResultsOut(Schema):
    edition_id: int
    name: str
    published: bool
    published_at: dt.datetime | None
    winner_method: str
    public_weight_percent: int
    jury_weight_percent: int
    finalists_per_category: int
    finalist_rule: str
    tie_rule: str
    categories: list[CategoryResultsOut]


class AwardCategoryOut(Schema):
    id: int
    edition_id: int
    name: str
    slug: str
    description: str
    nominee_kind: str
    outside_bishkek_only: bool
    organisation_kind: str
    position: int


class EditionSummaryOut(Schema):
    id: int
    programme_id: int
    name: str
    slug: str
    year: int
    phase: str
    url: str
    nominations_open_at: dt.datetime
    nominations_close_at: dt.datetime
    voting_open_at: dt.datetime
    voting_close_at: dt.datetime
    jury_open_at: dt.datetime
    jury_close_at: dt.datetime
    results_at: dt.datetime
    results_published_at: dt.datetime | None

    @staticmethod
    def resolve_phase(obj) -> str:
        return obj.phase_at()

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class EditionDetailOut(EditionSummaryOut):
    description: str
    public_may_nominate: bool
    votes_changeable: bool
    finalists_per_category: int
    winner_method: str
    public_weight_percent: int
    categories: list[AwardCategoryOut]

    @staticmethod
    def resolve_categories(obj) -> list:
        return sorted(obj.categories.all(), key=lambda c: (c.position, c.pk))


class EditionIn(Schema):
    """Times with an offset are taken as they are; times without one are read in
    ``time_zone``."""

    name: str
    slug: str
    year: int
    description: str = ""
    time_zone: str = "Asia/Bishkek"
    nominations_open_at: dt.datetime
    nominations_close_at: dt.datetime
    voting_open_at: dt.datetime
    voting_close_at: dt.datetime
    jury_open_at: dt.datetime
    jury_close_at: dt.datetime
    results_at: dt.datetime
    public_may_nominate: bool = False
    votes_changeable: bool = True
    finalists_per_category: int = 3
    winner_method: str = "combined"
    public_weight_percent: int = 30


class EditionPatchIn(Schema):
    """Only the fields sent change."""

    name: str | None = None
    slug: str | None = None
    year: int | None = None
    description: str | None = None
    time_zone: str = "Asia/Bishkek"
    nominations_open_at: dt.datetime | None = None
    nominations_close_at: dt.datetime | None = None
    voting_open_at: dt.datetime | None = None
    voting_close_at: dt.datetime | None = None
    jury_open_at: dt.datetime | None = None
    jury_close_at: dt.datetime | None = None
    results_at: dt.datetime | None = None
    public_may_nominate: bool | None = None
    votes_changeable: bool | None = None
    finalists_per_category: int | None = None
    winner_method: str | None = None
    public_weight_percent: int | None = None


class AwardCategoryIn(Schema):
    name: str
    slug: str
    description: str = ""
    nominee_kind: str
    outside_bishkek_only: bool = False
    organisation_kind: str = ""


class AwardCategoryMoveIn(Schema):
    direction: str
