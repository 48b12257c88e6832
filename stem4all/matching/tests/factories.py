"""Mentees and mentors in a cohort, ready for the engine, and matching rows."""

import datetime as dt

import factory
from django.utils import timezone

from stem4all.accounts.tests.factories import (
    GuardianConsentFactory,
    LanguageSkillFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
    years_ago,
)
from stem4all.matching.models import MatchingRun, Proposal
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory


def add_languages(user, languages):
    for language, level in languages:
        LanguageSkillFactory(user=user, language=language, level=level)


def make_mentee(
    cohort,
    *,
    languages=(("ky", "native"), ("en", "B2")),
    fields=("data_science",),
    age=20,
    with_consent=None,
    country="KG",
    region="naryn",
    district="at_bashy",
    preferred_mentor_type="any",
    **user_fields,
):
    """An accepted mentee of the cohort. A minor gets a guardian's consent unless
    ``with_consent`` is False."""
    is_minor = age is not None and age < 18
    user = UserFactory(
        date_of_birth=years_ago(age) if age is not None else None,
        country=country,
        region=region if country == "KG" else "",
        district=district if country == "KG" else "",
        **user_fields,
    )
    add_languages(user, languages)
    MenteeProfileFactory(
        user=user,
        education_level="school" if is_minor else "university",
        school_grade=9 if is_minor else None,
        stem_fields=list(fields),
        preferred_mentor_type=preferred_mentor_type,
    )
    if is_minor and with_consent is not False:
        GuardianConsentFactory(mentee=user)
    ParticipationFactory(user=user, cohort=cohort, role=Participation.Role.MENTEE)
    return user


def make_mentor(
    cohort,
    *,
    languages=(("en", "C2"), ("ky", "native")),
    fields=("data_science",),
    capacity=2,
    screening_status="cleared",
    cleared_for_minors=False,
    country="KG",
    region="bishkek",
    district="leninsky",
    **user_fields,
):
    profile = MentorProfileFactory(
        user__country=country,
        user__region=region if country == "KG" else "",
        user__district=district if country == "KG" else "",
        stem_fields=list(fields),
        capacity=capacity,
        screening_status=screening_status,
        is_cleared_for_minors=cleared_for_minors,
        **{f"user__{name}": value for name, value in user_fields.items()},
    )
    add_languages(profile.user, languages)
    ParticipationFactory(user=profile.user, cohort=cohort, role=Participation.Role.MENTOR)
    return profile.user


class MatchingRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingRun

    cohort = factory.SubFactory("stem4all.programmes.tests.factories.CohortFactory")
    mode = MatchingRun.Mode.OPTIMAL
    options = factory.LazyFunction(dict)
    status = MatchingRun.Status.DRAFT


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal waiting for the mentor's answer, made by a re-match (no run)."""

    class Meta:
        model = Proposal

    cohort = factory.SubFactory("stem4all.programmes.tests.factories.CohortFactory")
    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    score = 0.5
    factors = factory.LazyFunction(list)
    status = Proposal.Status.PROPOSED
    respond_by = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    cohort = factory.SubFactory("stem4all.programmes.tests.factories.CohortFactory")
    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
    status = Mentorship.Status.ACTIVE
    started_at = factory.LazyFunction(timezone.now)
