"""Baseline and endline surveys: who may build and who may answer them, the writes
(building a survey, answering it once), the periodic notifications, and the results
that reports read (each survey's counts, and the paired change from baseline to
endline).

Rules:

- Staff of the cohort's programme build its surveys (``get_cohort_for_staff``).
- Accepted participants of the cohort whose role is the survey's audience answer it,
  once, while it is open: ``[opens_at, closes_at)``, the instant taken inside the
  writing transaction. Anyone else gets 404 (a survey's existence is private).
- Once people have answered, nothing that would change the meaning of their answers
  can change: the survey's kind and audience, an answered question's key and kind,
  an answered question or a chosen choice (neither can be deleted; the database
  restricts it too). Wording, the window and new questions stay possible.
- Results are counts and means only: a cell of one to four people is suppressed
  (``queries.MIN_CELL``); free-text answers are shown to staff without who wrote them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Prefetch, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stem4all.accounts.models import User
from stem4all.core.errors import DomainError
from stem4all.notifications.models import Notification
from stem4all.notifications.services import notify
from stem4all.programmes.models import Cohort, Participation
from stem4all.programmes.permissions import get_cohort_for_staff

from . import queries
from .models import (
    ANSWER_TEXT_MAX,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    AnswerChoice,
    Choice,
    Question,
    Response,
    Survey,
)

REMINDER_DAYS = 3
MEAN_PLACES = Decimal("0.01")


class SurveyError(DomainError):
    """A survey request that the rules refuse; the message is shown to the user."""


# ------------------------------------------------------------------------ permissions


def is_in_audience(user: User, survey: Survey) -> bool:
    """Whether she is an accepted participant of the cohort in the survey's audience."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Participation.objects.filter(
        user=user,
        cohort_id=survey.cohort_id,
        role=survey.audience,
        status=Participation.Status.ACCEPTED,
    ).exists()


def get_survey_for_staff(user: User, survey_id: int) -> Survey:
    """A survey of a cohort the user runs: 404 when there is none, 403 when not hers."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    survey.cohort = get_cohort_for_staff(user, survey.cohort_id)
    return survey


def get_question_for_staff(user: User, question_id: int) -> Question:
    question = Question.objects.select_related("survey").filter(pk=question_id).first()
    if question is None:
        raise Http404
    question.survey.cohort = get_cohort_for_staff(user, question.survey.cohort_id)
    return question


def get_choice_for_staff(user: User, choice_id: int) -> Choice:
    choice = Choice.objects.select_related("question__survey").filter(pk=choice_id).first()
    if choice is None:
        raise Http404
    survey = choice.question.survey
    survey.cohort = get_cohort_for_staff(user, survey.cohort_id)
    return choice


def get_survey_for_respondent(user: User, survey_id: int) -> Survey:
    """A survey she is in the audience of; 404 for anyone else (staff too)."""
    survey = Survey.objects.select_related("cohort__programme").filter(pk=survey_id).first()
    if survey is None or not is_in_audience(user, survey):
        raise Http404
    return survey


# ---------------------------------------------------------------------------- queries


def surveys_of(cohort: Cohort) -> list[Survey]:
    """The cohort's surveys with their numbers of questions and responses (one query)."""
    return list(
        Survey.objects.filter(cohort=cohort).annotate(
            question_count=Count("questions", distinct=True),
            response_count=Count("responses", distinct=True),
        )
    )


def open_surveys_for(user: User, *, now: dt.datetime | None = None) -> list[Survey]:
    """The surveys open now for her (accepted in the cohort, in the audience) that she
    has not answered yet, the soonest to close first; one query."""
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    in_audience = Participation.objects.filter(
        user=user,
        cohort=OuterRef("cohort"),
        role=OuterRef("audience"),
        status=Participation.Status.ACCEPTED,
    )
    answered = Response.objects.filter(survey=OuterRef("pk"), respondent=user)
    return list(
        Survey.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .filter(Exists(in_audience))
        .exclude(Exists(answered))
        .select_related("cohort")
        .order_by("closes_at", "pk")
    )


def response_of(survey: Survey, user: User) -> Response | None:
    return Response.objects.filter(survey=survey, respondent=user).first()


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in order, each with its choices in order (two queries)."""
    return list(
        Question.objects.filter(survey=survey)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
    )


def has_responses(survey: Survey) -> bool:
    return Response.objects.filter(survey_id=survey.pk).exists()


def answered_question_ids(survey: Survey) -> set[int]:
    return set(Answer.objects.filter(question__survey=survey).values_list("question_id", flat=True))


def chosen_choice_ids(question: Question) -> set[int]:
    return set(
        AnswerChoice.objects.filter(choice__question=question).values_list("choice_id", flat=True)
    )


# ---------------------------------------------------------------------------- builder


@contextlib.contextmanager
def _unique(message: str):
    """Refuse with ``message`` what a unique constraint refuses (a duplicate key, a
    second answer); the savepoint keeps the caller's transaction usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise SurveyError(message) from None


def _changes(row, fields: dict, names: tuple[str, ...]) -> bool:
    """Whether ``fields`` would change any of ``names`` of ``row`` (what answers fix)."""
    return any(name in fields and fields[name] != getattr(row, name) for name in names)


def _lock(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _pick(fields: dict, allowed: tuple[str, ...]) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return fields


def _check_window(opens_at, closes_at) -> None:
    if closes_at <= opens_at:
        raise SurveyError(_("A survey must close after it opens."))


@transaction.atomic
def create_survey(*, cohort: Cohort, by: User, **fields) -> Survey:
    """A new survey of the cohort; one baseline and one endline per audience."""
    _pick(fields, Survey.EDITABLE_FIELDS)
    _check_window(fields["opens_at"], fields["closes_at"])
    with _unique(_("This cohort already has a survey of this kind for this audience.")):
        return Survey.objects.create(cohort=cohort, created_by=by, **fields)


@transaction.atomic
def update_survey(*, survey: Survey, **fields) -> Survey:
    """Change a survey; its kind and audience are fixed once someone has answered."""
    _pick(fields, Survey.EDITABLE_FIELDS)
    locked = _lock(survey)
    if _changes(locked, fields, ("kind", "audience")) and has_responses(locked):
        raise SurveyError(
            _(
                "People have already answered this survey: its kind and who answers it "
                "can no longer change."
            )
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_window(locked.opens_at, locked.closes_at)
    with _unique(_("This cohort already has a survey of this kind for this audience.")):
        locked.save()
    return locked


@transaction.atomic
def delete_survey(*, survey: Survey) -> None:
    locked = _lock(survey)
    if has_responses(locked):
        raise SurveyError(_("People have already answered this survey: it cannot be deleted."))
    locked.delete()


def _question_in_use(question: Question) -> bool:
    return Answer.objects.filter(question_id=question.pk).exists()


@transaction.atomic
def add_question(*, survey: Survey, **fields) -> Question:
    """Add a question at the end of the survey (also once people have answered it)."""
    _pick(fields, Question.EDITABLE_FIELDS)
    locked = _lock(survey)
    last = Question.objects.filter(survey=locked).aggregate(last=Max("order"))["last"] or 0
    with _unique(_("Another question of this survey has this key.")):
        return Question.objects.create(survey=locked, order=last + 1, **fields)


@transaction.atomic
def update_question(*, question: Question, **fields) -> Question:
    """Change a question; its key and kind are fixed once someone has answered it.
    A question that stops offering choices loses them."""
    _pick(fields, Question.EDITABLE_FIELDS)
    _lock(question.survey)
    locked = Question.objects.get(pk=question.pk)
    if _changes(locked, fields, ("key", "kind")) and _question_in_use(locked):
        raise SurveyError(
            _(
                "People have already answered this question: its key and kind of answer "
                "can no longer change. You can still correct its wording."
            )
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    with _unique(_("Another question of this survey has this key.")):
        locked.save()
    if not locked.has_choices:
        Choice.objects.filter(question=locked).delete()
    return locked


def _move(rows: list, row_pk: int, direction: str) -> list:
    """Swap the row with its neighbour and number them all 1, 2, 3...; returns the
    rows whose order changed."""
    index = next(i for i, row in enumerate(rows) if row.pk == row_pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rows):
        return []
    rows[index], rows[other] = rows[other], rows[index]
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.order != position:
            row.order = position
            changed.append(row)
    return changed


@transaction.atomic
def move_question(*, question: Question, direction: str) -> None:
    """Move a question one place ``up`` or ``down`` (nothing at either end)."""
    locked = _lock(question.survey)
    rows = list(Question.objects.filter(survey=locked).order_by("order", "pk"))
    Question.objects.bulk_update(_move(rows, question.pk, direction), ["order"])


@transaction.atomic
def delete_question(*, question: Question) -> None:
    _lock(question.survey)
    if _question_in_use(question):
        raise SurveyError(_("People have already answered this question: it cannot be deleted."))
    Question.objects.filter(pk=question.pk).delete()


@transaction.atomic
def add_choice(*, question: Question, **fields) -> Choice:
    _pick(fields, Choice.EDITABLE_FIELDS)
    _lock(question.survey)
    if not question.has_choices:
        raise SurveyError(_("Only a question with one or several choices has answer choices."))
    last = Choice.objects.filter(question=question).aggregate(last=Max("order"))["last"] or 0
    with _unique(_("Another answer of this question has this key.")):
        return Choice.objects.create(question=question, order=last + 1, **fields)


def _choice_in_use(choice: Choice) -> bool:
    return AnswerChoice.objects.filter(choice_id=choice.pk).exists()


@transaction.atomic
def update_choice(*, choice: Choice, **fields) -> Choice:
    """Change an answer choice; its key is fixed once someone has chosen it."""
    _pick(fields, Choice.EDITABLE_FIELDS)
    _lock(choice.question.survey)
    locked = Choice.objects.get(pk=choice.pk)
    if _changes(locked, fields, ("key",)) and _choice_in_use(locked):
        raise SurveyError(
            _(
                "People have already chosen this answer: its key can no longer change. "
                "You can still correct its wording."
            )
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    with _unique(_("Another answer of this question has this key.")):
        locked.save()
    return locked


@transaction.atomic
def move_choice(*, choice: Choice, direction: str) -> None:
    _lock(choice.question.survey)
    rows = list(Choice.objects.filter(question_id=choice.question_id).order_by("order", "pk"))
    Choice.objects.bulk_update(_move(rows, choice.pk, direction), ["order"])


@transaction.atomic
def delete_choice(*, choice: Choice) -> None:
    _lock(choice.question.survey)
    if _choice_in_use(choice):
        raise SurveyError(_("People have already chosen this answer: it cannot be deleted."))
    Choice.objects.filter(pk=choice.pk).delete()


# -------------------------------------------------------------------------- answering


def _window_error(survey: Survey, now: dt.datetime) -> str | None:
    if now < survey.opens_at:
        return _("This survey is not open yet. It opens on %(when)s.") % {
            "when": _local(survey.opens_at)
        }
    if now >= survey.closes_at:
        return _("This survey closed on %(when)s. Thank you for your interest.") % {
            "when": _local(survey.closes_at)
        }
    return None


def _local(moment: dt.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _answer_of(question: Question, value) -> tuple[Answer | None, list[Choice]]:
    """The answer row (None when skipped) and its chosen choices, or SurveyError."""
    if question.has_choices and not question.choices.all():
        return None, []  # no choice to offer yet: the form leaves it out too
    if value in (None, "", [], ()):
        if question.is_required:
            raise SurveyError(_("Please answer every required question."))
        return None, []
    answer = Answer(question=question)
    if question.kind == Question.Kind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SurveyError(_("Choose a number from 1 to 5."))
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise SurveyError(_("Choose a number from 1 to 5."))
        answer.scale_value = value
        return answer, []
    if question.kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > ANSWER_TEXT_MAX:
            raise SurveyError(_("An answer is too long."))
        if not text:
            return _answer_of(question, None)
        answer.text = text
        return answer, []
    keys = [value] if question.kind == Question.Kind.SINGLE else list(value)
    by_key = {choice.key: choice for choice in question.choices.all()}
    if any(key not in by_key for key in keys):
        raise SurveyError(_("Choose one of the answers shown."))
    return answer, [by_key[key] for key in dict.fromkeys(keys)]


@transaction.atomic
def submit_response(
    *, survey: Survey, respondent: User, answers: dict, now: dt.datetime | None = None
) -> Response:
    """Record her answers (``{question key: value}``: an int 1-5, a choice key, a list
    of choice keys, a text; skipped optional questions left out or empty), once, while
    the survey is open. A second submission, also at the same instant, is refused."""
    now = now or timezone.now()  # inside the transaction: the close is exact
    survey = Survey.objects.select_related("cohort").get(pk=survey.pk)
    if not is_in_audience(respondent, survey):
        raise SurveyError(_("This survey is for other participants of the cohort."))
    refusal = _window_error(survey, now)
    if refusal:
        raise SurveyError(refusal)
    already = _("You have already answered this survey. Thank you!")
    if Response.objects.filter(survey=survey, respondent=respondent).exists():
        raise SurveyError(already)
    questions = questions_of(survey)
    unknown = set(answers) - {question.key for question in questions}
    if unknown:
        raise SurveyError(_("Some answers are for questions this survey does not have."))
    rows = [(q, *_answer_of(q, answers.get(q.key))) for q in questions]
    with _unique(already):
        response = Response.objects.create(
            survey=survey,
            respondent=respondent,
            language=(get_language() or "en").split("-")[0],
            submitted_at=now,
        )
    kept = [(answer, chosen) for _q, answer, chosen in rows if answer is not None]
    for answer, _chosen in kept:
        answer.response = response
    Answer.objects.bulk_create([answer for answer, _chosen in kept])
    AnswerChoice.objects.bulk_create(
        [AnswerChoice(answer=answer, choice=choice) for answer, chosen in kept for choice in chosen]
    )
    return response


# ---------------------------------------------------------------------- notifications


def send_survey_notifications(now: dt.datetime | None = None) -> int:
    """Tell the audience of every open survey that it is open, and remind once, in the
    last ``REMINDER_DAYS`` days, those who have not answered. Idempotent: each is keyed
    by the survey (``survey-open:<id>``, ``survey-reminder:<id>``), and people already
    told are left out before ``notify`` is called. Returns the notifications created."""
    now = now or timezone.now()
    sent = 0
    for survey in Survey.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related(
        "cohort"
    ):
        reminding = now >= survey.closes_at - dt.timedelta(days=REMINDER_DAYS)
        if reminding:
            kind, key = Notification.Kind.SURVEY_REMINDER, f"survey-reminder:{survey.pk}"
        else:
            kind, key = Notification.Kind.SURVEY_OPEN, f"survey-open:{survey.pk}"
        people = (
            User.objects.filter(
                is_active=True,
                participations__cohort_id=survey.cohort_id,
                participations__role=survey.audience,
                participations__status=Participation.Status.ACCEPTED,
            )
            .exclude(Exists(Response.objects.filter(survey=survey, respondent=OuterRef("pk"))))
            .exclude(Exists(Notification.objects.filter(recipient=OuterRef("pk"), key=key)))
            .distinct()
            .order_by("pk")
        )
        url = reverse("reports:survey_answer", args=[survey.pk])
        params = {"cohort": survey.cohort.name, "when": survey.closes_at.isoformat()}
        for person in people:
            if notify(recipient=person, kind=kind, key=key, url=url, params=params):
                sent += 1
    return sent


# ---------------------------------------------------------------------------- results


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(MEAN_PLACES, ROUND_HALF_UP)


@dataclasses.dataclass(frozen=True)
class ChangeRow:
    key: str
    label: str
    respondents: int | None  # who answered both times; None when suppressed
    baseline_mean: Decimal | None
    endline_mean: Decimal | None
    change: Decimal | None

    @property
    def cells(self) -> tuple:
        return (self.respondents, self.baseline_mean, self.endline_mean, self.change)


# From an endline answer to the same person's baseline answer to the same question.
BEFORE = "response__respondent__survey_responses__answers__"
BEFORE_VALUE = f"{BEFORE}scale_value"


def _paired_answers(cohort: Cohort, audience: str):
    """The scale questions asked in both the cohort's baseline and endline for
    ``audience`` (endline questions, in order) and the endline answers to them, each
    joined to the same person's baseline answer to the question of the same key (one
    at most: one response per survey, one question per key), in one filter() so that
    the join is shared by the conditions and the figures. Two queries."""
    scale = Question.Kind.SCALE
    # One survey of each kind per cohort and audience (a unique constraint).
    ids = dict(Survey.objects.filter(cohort=cohort, audience=audience).values_list("kind", "pk"))
    baseline, endline = ids.get(Survey.Kind.BASELINE), ids.get(Survey.Kind.ENDLINE)
    if baseline is None or endline is None:
        return [], Answer.objects.none()
    endline_questions = list(
        Question.objects.filter(
            survey_id=endline,
            kind=scale,
            key__in=Question.objects.filter(survey_id=baseline, kind=scale).values("key"),
        ).order_by("order", "pk")
    )
    answers = Answer.objects.filter(
        question__in=[question.pk for question in endline_questions],
        scale_value__isnull=False,
        response__respondent__survey_responses__survey_id=baseline,
        **{
            f"{BEFORE}question__key": F("question__key"),
            f"{BEFORE}question__kind": scale,
            f"{BEFORE_VALUE}__isnull": False,
        },
    )
    return endline_questions, answers


@dataclasses.dataclass(frozen=True)
class GroupChange:
    key: str
    label: str
    respondents: int | None  # people who answered both; None when suppressed
    baseline_mean: Decimal | None  # over every paired answer of the group
    endline_mean: Decimal | None
    change: Decimal | None

    @property
    def cells(self) -> tuple:
        return (self.respondents, self.baseline_mean, self.endline_mean, self.change)


def change_by_group(cohort: Cohort) -> dict[str, list[GroupChange]]:
    """The mentees' paired change averaged over every scale question, per group of
    each of their dimensions (region, urban/rural, age, education): three queries for
    all of them. A respondent is in one group of each dimension, so the people add up
    across the combinations of groups; a group of fewer than MIN_CELL is not shown."""
    _questions, answers = _paired_answers(cohort, Survey.Audience.MENTEE)
    rows = queries.by_every_dimension(
        answers,
        {"mentee": "response__respondent"},
        people=Count("response__respondent", distinct=True),
        answers=Count("pk"),
        baseline=Sum(BEFORE_VALUE),
        endline=Sum("scale_value"),
    )
    result = {}
    for key, dimension in queries.DIMENSIONS.items():
        if dimension.of != "mentee":
            continue
        groups = queries.totals(rows, key)
        result[key] = []
        for value, label in [*dimension.choices, ("", _("Not given"))]:
            if value not in groups:
                continue
            group = groups[value]
            people = queries.suppressed(group["people"])
            if not people:
                result[key].append(GroupChange(value, str(label), people, None, None, None))
                continue
            before = _mean(Decimal(group["baseline"]) / group["answers"])
            after = _mean(Decimal(group["endline"]) / group["answers"])
            result[key].append(
                GroupChange(value, str(label), people, before, after, after - before)
            )
    return result


def paired_change(cohort: Cohort, *, audience: str = Survey.Audience.MENTEE) -> list[ChangeRow]:
    """For each 1-5 question asked in both the cohort's baseline and endline (the same
    key), the people who answered it both times, their mean at baseline and at
    endline, and the change. Only people who answered both count: the change is that
    of the same people, not of two different crowds. Three queries, whatever the size;
    fewer than ``MIN_CELL`` people suppress the row's figures."""
    endline_questions, answers = _paired_answers(cohort, audience)
    pairs = (
        answers.values("question__key")
        .annotate(people=Count("pk"), baseline=Avg(BEFORE_VALUE), endline=Avg("scale_value"))
        .order_by()
    )
    figures = {row["question__key"]: row for row in pairs}
    rows = []
    for question in endline_questions:
        row = figures.get(question.key, {"people": 0, "baseline": None, "endline": None})
        people = queries.suppressed(row["people"])
        if not people:
            rows.append(ChangeRow(question.key, question.text, people, None, None, None))
            continue
        baseline, endline = _mean(row["baseline"]), _mean(row["endline"])
        rows.append(
            ChangeRow(question.key, question.text, people, baseline, endline, endline - baseline)
        )
    return rows


@dataclasses.dataclass(frozen=True)
class ResultCell:
    label: str
    count: int | None  # suppressed below MIN_CELL


@dataclasses.dataclass(frozen=True)
class QuestionResult:
    key: str
    label: str
    kind: str
    answered: int | None  # people who answered it; suppressed below MIN_CELL
    mean: Decimal | None  # 1-5 questions only
    cells: list[ResultCell]  # per choice, or per value 1..5
    texts: list[str]  # free-text answers, without who wrote them, sorted

    @property
    def kind_label(self) -> str:
        return str(Question.Kind(self.kind).label)


@dataclasses.dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    responses: int  # for staff running the survey: how many have answered
    questions: list[QuestionResult]


def survey_results(survey: Survey) -> SurveyResults:
    """Each question's figures: people who answered, the mean of a 1-5 question, the
    count per value or choice (cells under ``MIN_CELL`` suppressed) and the free texts
    without names. Seven queries, whatever the number of answers."""
    responses = Response.objects.filter(survey=survey).count()
    questions = questions_of(survey)
    answers = Answer.objects.filter(response__survey=survey)
    per_question = {
        row["question"]: row
        for row in answers.values("question").annotate(n=Count("pk"), mean=Avg("scale_value"))
    }
    per_value = {
        (row["question"], row["scale_value"]): row["n"]
        for row in answers.filter(scale_value__isnull=False)
        .values("question", "scale_value")
        .annotate(n=Count("pk"))
    }
    per_choice = {
        row["choice"]: row["n"]
        for row in AnswerChoice.objects.filter(answer__response__survey=survey)
        .values("choice")
        .annotate(n=Count("answer", distinct=True))
    }
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("question", "text")
        .values_list("question", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        figures = per_question.get(question.pk, {"n": 0, "mean": None})
        answered = queries.suppressed(figures["n"])
        cells: list[ResultCell] = []
        mean = None
        if question.kind == Question.Kind.SCALE:
            mean = _mean(figures["mean"]) if answered else None
            cells = [
                ResultCell(str(value), queries.suppressed(per_value.get((question.pk, value), 0)))
                for value in range(SCALE_MIN, SCALE_MAX + 1)
            ]
        elif question.has_choices:
            cells = [
                ResultCell(choice.label, queries.suppressed(per_choice.get(choice.pk, 0)))
                for choice in question.choices.all()
            ]
        results.append(
            QuestionResult(
                key=question.key,
                label=question.text,
                kind=question.kind,
                answered=answered,
                mean=mean,
                cells=cells,
                texts=texts.get(question.pk, []),
            )
        )
    return SurveyResults(survey=survey, responses=responses, questions=results)


def results_table(survey: Survey) -> tuple[list[str], list[list]]:
    """The survey's results as one table for download: a row per question, one per
    value or choice, one per free-text answer. No names; suppressed cells are empty."""
    header = [_("Key"), _("Question"), _("Answer"), _("People"), _("Mean (1-5)")]
    rows: list[list] = []
    for result in survey_results(survey).questions:
        rows.append([result.key, result.label, "", result.answered, result.mean])
        rows.extend(
            [result.key, result.label, cell.label, cell.count, None] for cell in result.cells
        )
        rows.extend([result.key, result.label, text, None, None] for text in result.texts)
    return header, rows


def change_table(cohort: Cohort, audience: str) -> tuple[list[str], list[list]]:
    header = [
        _("Key"),
        _("Question"),
        _("People who answered both times"),
        _("Baseline mean (1-5)"),
        _("Endline mean (1-5)"),
        _("Change"),
    ]
    rows = [[row.key, row.label, *row.cells] for row in paired_change(cohort, audience=audience)]
    return header, rows


__all__ = [
    "ChangeRow",
    "QuestionResult",
    "SurveyError",
    "SurveyResults",
    "add_choice",
    "add_question",
    "create_survey",
    "delete_choice",
    "delete_question",
    "delete_survey",
    "get_survey_for_respondent",
    "get_survey_for_staff",
    "move_choice",
    "move_question",
    "open_surveys_for",
    "paired_change",
    "send_survey_notifications",
    "submit_response",
    "survey_results",
    "update_choice",
    "update_question",
    "update_survey",
]
