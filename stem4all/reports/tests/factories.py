"""Surveys, questions, choices and answers for the survey tests."""

import datetime as dt

import factory
from django.utils import timezone

from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory
from stem4all.reports.models import Answer, AnswerChoice, Choice, Question, Response, Survey


class SurveyFactory(factory.django.DjangoModelFactory):
    """An open mentee baseline (opened yesterday, closing in a week)."""

    class Meta:
        model = Survey

    cohort = factory.SubFactory(CohortFactory)
    kind = Survey.Kind.BASELINE
    audience = Survey.Audience.MENTEE
    title_en = factory.Sequence(lambda n: f"Survey {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"question_{n}")
    kind = Question.Kind.SCALE
    text_en = factory.Sequence(lambda n: f"Question {n}?")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.SINGLE)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"choice_{n}")
    label_en = factory.Sequence(lambda n: f"Choice {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    respondent = factory.LazyAttribute(
        lambda o: ParticipationFactory(cohort=o.survey.cohort, role=o.survey.audience).user
    )
    language = "en"


def member(cohort, role=Participation.Role.MENTEE, **user_fields):
    """An accepted participant of the cohort."""
    from stem4all.accounts.tests.factories import UserFactory

    user = UserFactory(**user_fields)
    ParticipationFactory(user=user, cohort=cohort, role=role)
    return user


def answer(survey, respondent, values: dict, *, language="en"):
    """Store a response directly (no window or audience check): ``{key: value}`` with
    an int for a scale, a choice key or list of keys, or a text."""
    response = Response.objects.create(survey=survey, respondent=respondent, language=language)
    for question in survey.questions.all():
        if question.key not in values:
            continue
        value = values[question.key]
        row = Answer.objects.create(
            response=response,
            question=question,
            scale_value=value if isinstance(value, int) else None,
            text=value if question.kind == Question.Kind.TEXT else "",
        )
        if question.has_choices:
            keys = [value] if isinstance(value, str) else list(value)
            for choice in question.choices.filter(key__in=keys):
                AnswerChoice.objects.create(answer=row, choice=choice)
    return response
