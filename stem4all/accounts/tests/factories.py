import datetime as dt

import factory
from django.utils import timezone

from stem4all.accounts.models import (
    GuardianConsent,
    LanguageSkill,
    MenteeProfile,
    MentorProfile,
    User,
)

PASSWORD = "correct-horse-battery-staple"


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    date_of_birth = factory.LazyFunction(lambda: years_ago(25))
    country = "KG"
    region = "naryn"
    district = "at_bashy"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary e-mail, as allauth expects for sign-in."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class LanguageSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageSkill

    user = factory.SubFactory(UserFactory)
    language = "en"
    level = "B2"


class MenteeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeProfile

    user = factory.SubFactory(UserFactory)
    education_level = MenteeProfile.EducationLevel.UNIVERSITY
    stem_fields = factory.LazyFunction(lambda: ["data_science"])
    career_goal = "Become a data engineer at a Bishkek fintech."
    availability = factory.LazyFunction(lambda: ["weekday_evening"])


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory, region="bishkek", district="leninsky")
    organisation = "Example Tech"
    job_title = "Data engineer"
    stem_fields = factory.LazyFunction(lambda: ["data_science", "software"])
    years_of_experience = 8
    capacity = 2
    screening_status = MentorProfile.ScreeningStatus.CLEARED


class GuardianConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianConsent

    mentee = factory.SubFactory(UserFactory)
    guardian_name = "Test Guardian"
    relation = GuardianConsent.Relation.MOTHER
    consent_date = factory.LazyFunction(timezone.localdate)
    method = GuardianConsent.Method.SIGNED_FORM
