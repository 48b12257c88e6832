"""The default baseline and endline surveys of a cohort, added by staff in one click.

Mentees answer the same 1-5 questions at the start and at the end (STEM
self-efficacy, the intention to study or work in STEM, confidence in English,
leadership, financial literacy), so that the paired change shows what moved; at the
end they also rate their mentor. Mentors answer a short survey at both ends
(confidence as a mentor) and rate the programme at the end.

The texts are written here in English with gettext and stored in each language by
rendering them under ``translation.override``: a text not yet translated is stored
empty and falls back to English. Adding the set twice adds nothing: a survey the
cohort already has (of the same kind and audience) is left as staff made it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.models import User
from stem4all.programmes.models import Cohort

from .models import SURVEY_LANGUAGES, Choice, Question, Survey

# Each survey is open two weeks either side of the start (baseline) or the end
# (endline) of the mentoring; staff can change the windows.
WINDOW_DAYS = 14

Kind = Question.Kind
AGREE = (_("Strongly disagree"), _("Strongly agree"))
CONFIDENT = (_("Not at all confident"), _("Very confident"))
LIKELY = (_("Very unlikely"), _("Very likely"))
SATISFIED = (_("Very dissatisfied"), _("Very satisfied"))


@dataclasses.dataclass(frozen=True)
class DefaultQuestion:
    key: str
    kind: str
    text: Promise
    scale: tuple[Promise, Promise] | None = None
    choices: tuple[tuple[str, Promise], ...] = ()
    is_required: bool = True


STEM_SELF_EFFICACY = (
    DefaultQuestion(
        "stem_solve_problems",
        Kind.SCALE,
        _("I can solve a hard problem in science, technology, engineering or mathematics."),
        AGREE,
    ),
    DefaultQuestion(
        "stem_learn_skills",
        Kind.SCALE,
        _("I can learn a new technical skill on my own."),
        AGREE,
    ),
    DefaultQuestion(
        "stem_explain_work",
        Kind.SCALE,
        _("I can explain my studies or my work in STEM to other people."),
        AGREE,
    ),
    DefaultQuestion(
        "stem_belong",
        Kind.SCALE,
        _("I feel that I belong in STEM."),
        AGREE,
    ),
)

MENTEE_COMMON = (
    *STEM_SELF_EFFICACY,
    DefaultQuestion(
        "stem_plan",
        Kind.SINGLE,
        _("What do you plan to do in the next two years?"),
        choices=(
            ("study_stem", _("Study a STEM subject")),
            ("work_stem", _("Work in a STEM job")),
            ("study_work_stem", _("Both study and work in STEM")),
            ("other_field", _("Study or work in another field")),
            ("not_sure", _("I am not sure yet")),
        ),
    ),
    DefaultQuestion(
        "stem_intention",
        Kind.SCALE,
        _("How likely are you to study or work in STEM in the next two years?"),
        LIKELY,
    ),
    DefaultQuestion(
        "english_confidence",
        Kind.SCALE,
        _("How confident are you speaking English at a meeting for your studies or work?"),
        CONFIDENT,
    ),
    DefaultQuestion(
        "leadership",
        Kind.SCALE,
        _("I am ready to lead a team or a project."),
        AGREE,
    ),
    DefaultQuestion(
        "financial_literacy",
        Kind.SCALE,
        _("I know how to plan a budget and save money for my goals."),
        AGREE,
    ),
)

MENTEE_ENDLINE_ONLY = (
    DefaultQuestion(
        "mentor_satisfaction",
        Kind.SCALE,
        _("How satisfied are you with your mentor?"),
        SATISFIED,
    ),
    DefaultQuestion(
        "mentor_feedback",
        Kind.TEXT,
        _("What helped you most in your mentoring, and what could be better?"),
        is_required=False,
    ),
)

MENTOR_COMMON = (
    DefaultQuestion(
        "mentor_confidence",
        Kind.SCALE,
        _("How confident are you in your skills as a mentor?"),
        CONFIDENT,
    ),
    DefaultQuestion(
        "mentor_goal_setting",
        Kind.SCALE,
        _("I know how to help a mentee set a career goal and plan the steps to reach it."),
        AGREE,
    ),
)

MENTOR_BASELINE_ONLY = (
    DefaultQuestion(
        "mentor_experience",
        Kind.SINGLE,
        _("Have you been a mentor before?"),
        choices=(
            ("first_time", _("No, this is my first time")),
            ("informal", _("Yes, informally")),
            ("programme", _("Yes, in a mentoring programme")),
        ),
    ),
)

MENTOR_ENDLINE_ONLY = (
    DefaultQuestion(
        "programme_satisfaction",
        Kind.SCALE,
        _("How satisfied are you with the programme overall?"),
        SATISFIED,
    ),
    DefaultQuestion(
        "mentor_again",
        Kind.SINGLE,
        _("Would you be a mentor again in a future cohort?"),
        choices=(
            ("yes", _("Yes")),
            ("maybe", _("Maybe")),
            ("no", _("No")),
        ),
    ),
    DefaultQuestion(
        "programme_feedback",
        Kind.TEXT,
        _("What should we improve in the programme?"),
        is_required=False,
    ),
)

DEFAULT_SET = {
    (Survey.Kind.BASELINE, Survey.Audience.MENTEE): (
        _("Survey at the start: mentees"),
        MENTEE_COMMON,
    ),
    (Survey.Kind.ENDLINE, Survey.Audience.MENTEE): (
        _("Survey at the end: mentees"),
        MENTEE_COMMON + MENTEE_ENDLINE_ONLY,
    ),
    (Survey.Kind.BASELINE, Survey.Audience.MENTOR): (
        _("Survey at the start: mentors"),
        MENTOR_COMMON + MENTOR_BASELINE_ONLY,
    ),
    (Survey.Kind.ENDLINE, Survey.Audience.MENTOR): (
        _("Survey at the end: mentors"),
        MENTOR_COMMON + MENTOR_ENDLINE_ONLY,
    ),
}


def in_each_language(field: str, text: Promise | str) -> dict[str, str]:
    """``{field_en: ..., field_ru: ..., field_ky: ...}``: the text rendered in each
    language, empty where it is not translated yet (so that it falls back to English
    and a later translation shows in the builder as missing, not as English)."""
    with translation.override("en"):
        english = str(text)
    values = {f"{field}_en": english}
    for language in SURVEY_LANGUAGES[1:]:
        with translation.override(language):
            rendered = str(text)
        values[f"{field}_{language}"] = "" if rendered == english else rendered
    return values


def default_window(cohort: Cohort, kind: str) -> tuple[dt.datetime, dt.datetime]:
    """Two weeks either side of the start (baseline) or end (endline) of mentoring."""
    day = cohort.starts_on if kind == Survey.Kind.BASELINE else cohort.ends_on
    middle = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return middle - dt.timedelta(days=WINDOW_DAYS), middle + dt.timedelta(days=WINDOW_DAYS)


def _add_questions(survey: Survey, questions) -> None:
    new_questions, new_choices = [], []
    for order, item in enumerate(questions, start=1):
        fields = in_each_language("text", item.text)
        if item.scale is not None:
            fields |= in_each_language("scale_low", item.scale[0])
            fields |= in_each_language("scale_high", item.scale[1])
        question = Question(
            survey=survey,
            order=order,
            key=item.key,
            kind=item.kind,
            is_required=item.is_required,
            **fields,
        )
        new_questions.append(question)
        new_choices.extend(
            Choice(question=question, order=position, key=key, **in_each_language("label", label))
            for position, (key, label) in enumerate(item.choices, start=1)
        )
    Question.objects.bulk_create(new_questions)
    for choice in new_choices:
        choice.question_id = choice.question.pk
    Choice.objects.bulk_create(new_choices)


@transaction.atomic
def add_default_surveys(*, cohort: Cohort, by: User | None) -> tuple[list[Survey], list[Survey]]:
    """Add the default baseline and endline surveys the cohort does not have yet.
    Returns (surveys added, surveys that were there already and were left as they are)."""
    # Two staff clicking at once: the cohort's row lock makes the second see the first's.
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    existing = {
        (survey.kind, survey.audience): survey for survey in Survey.objects.filter(cohort=cohort)
    }
    added, kept = [], []
    for (kind, audience), (title, questions) in DEFAULT_SET.items():
        if (kind, audience) in existing:
            kept.append(existing[(kind, audience)])
            continue
        opens_at, closes_at = default_window(cohort, kind)
        survey = Survey.objects.create(
            cohort=cohort,
            kind=kind,
            audience=audience,
            opens_at=opens_at,
            closes_at=closes_at,
            created_by=by,
            **in_each_language("title", title),
        )
        _add_questions(survey, questions)
        added.append(survey)
    return added, kept
