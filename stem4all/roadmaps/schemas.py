import datetime as dt

from ninja import Schema


class CommentOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    text: str
    created_at: dt.datetime

    @staticmethod
    def resolve_author_name(obj) -> str:
        return obj.author.full_name if obj.author else ""


class StepOut(Schema):
    id: int
    position: int
    title: str
    description: str
    due_on: dt.date | None
    status: str
    link: str
    signed_off_by_id: int | None
    signed_off_at: dt.datetime | None
    copied_from_template_id: int | None
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.all())


class ProgressOut(Schema):
    done: int
    total: int
    percent: int


class RoadmapOut(Schema):
    mentorship_id: int
    mentorship_status: str
    is_read_only: bool
    career_goal: str
    progress: ProgressOut
    steps: list[StepOut]


class GoalIn(Schema):
    career_goal: str = ""


class StepIn(Schema):
    title: str = ""
    description: str = ""
    due_on: str | None = None
    link: str = ""


class StepUpdateIn(StepIn):
    status: str = ""


class StepPatchIn(Schema):
    title: str | None = None
    description: str | None = None
    due_on: str | None = None
    link: str | None = None
    status: str | None = None


class MoveIn(Schema):
    direction: str | None = None
    position: int | None = None


class CommentIn(Schema):
    text: str = ""


class TemplateStepOut(Schema):
    id: int
    position: int
    title: str
    description: str
    due_offset_days: int | None


class TemplateOut(Schema):
    id: int
    programme_id: int
    title: str
    summary: str
    career_goal: str
    language: str
    is_published: bool
    steps: list[TemplateStepOut]

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())
