"""People: the user account, mentee and mentor profiles, languages, guardian consent,
personal API tokens, and the audit trail of staff looking at private data."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .choices import AvailabilityWindow, Language, LanguageLevel, StemField
from .geography import DISTRICT_CHOICES, DISTRICT_REGION, HOME_COUNTRY, Country, Region

ADULT_AGE = 18


def years_before(day: dt.date, years: int) -> dt.date:
    """The same date ``years`` earlier; 28 February for a 29 February that has none.
    Whoever was born on or before ``years_before(today, 18)`` is an adult today."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


@deconstructible
class ChoiceListValidator:
    """A JSON list whose items all come from one TextChoices vocabulary."""

    def __init__(self, vocabulary: str):
        self.vocabulary = vocabulary

    def __call__(self, value):
        allowed = set(VOCABULARIES[self.vocabulary].values)
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(_("Choose only from the listed options."))

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and other.vocabulary == self.vocabulary


VOCABULARIES = {"stem_field": StemField, "availability": AvailabilityWindow}
validate_stem_fields = ChoiceListValidator("stem_field")
validate_availability = ChoiceListValidator("availability")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. E-mail is the login; everything else about her is optional until a
    role needs it (a mentee's date of birth, a mentor's country)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    country = models.CharField(
        _("country of residence"), max_length=2, choices=Country.choices, default=HOME_COUNTRY
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    district = models.CharField(_("district"), max_length=30, choices=DISTRICT_CHOICES, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Bishkek", validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Can sign in to the Django admin (programme staff)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.country != HOME_COUNTRY and (self.region or self.district):
            raise ValidationError(
                {"region": _("Region and district are only for people living in Kyrgyzstan.")}
            )
        if self.district and DISTRICT_REGION.get(self.district) != self.region:
            raise ValidationError({"district": _("This district is not in the chosen region.")})
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_minor(self) -> bool:
        age = self.age
        return age is not None and age < ADULT_AGE

    @property
    def is_regional(self) -> bool:
        return self.country == HOME_COUNTRY

    @property
    def lives_outside_bishkek(self) -> bool:
        return self.is_regional and self.region != Region.BISHKEK


class LanguageSkill(models.Model):
    """One language a person works in, with her level (CEFR or native)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    level = models.CharField(_("level"), max_length=8, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["user", "language"]
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="one_level_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.level})"


class MenteeProfile(models.Model):
    class EducationLevel(models.TextChoices):
        SCHOOL = "school", _("School pupil")
        UNIVERSITY = "university", _("University student")
        GRADUATE = "graduate", _("Graduate")
        EARLY_CAREER = "early_career", _("Early career")

    class MentorType(models.TextChoices):
        REGIONAL = "regional", _("A regional mentor (in Kyrgyzstan)")
        INTERNATIONAL = "international", _("An international mentor (abroad)")
        ANY = "any", _("Either")

    class Settlement(models.TextChoices):
        """Where she lives, for the urban/rural breakdown of the reports."""

        CITY = "city", _("A city")
        TOWN = "town", _("A town")
        VILLAGE = "village", _("A village")

    URBAN = (Settlement.CITY, Settlement.TOWN)

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentee_profile")
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices
    )
    school_grade = models.PositiveSmallIntegerField(
        _("school grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
        help_text=_("Only for school pupils: grade 1 to 11."),
    )
    institution = models.CharField(_("school or university"), max_length=200, blank=True)
    settlement = models.CharField(
        _("do you live in a city, a town or a village?"),
        max_length=10,
        choices=Settlement.choices,
        blank=True,
    )
    stem_fields = models.JSONField(
        _("STEM fields of interest"), default=list, blank=True, validators=[validate_stem_fields]
    )
    career_goal = models.TextField(
        _("career goal"),
        max_length=2000,
        blank=True,
        help_text=_("In your own words: where do you want to be in a few years?"),
    )
    preferred_mentor_type = models.CharField(
        _("preferred mentor"), max_length=20, choices=MentorType.choices, default=MentorType.ANY
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month for mentoring"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    availability = models.JSONField(
        _("when you are usually free"), default=list, blank=True, validators=[validate_availability]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentee profile")
        verbose_name_plural = _("mentee profiles")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.education_level == self.EducationLevel.SCHOOL and not self.school_grade:
            raise ValidationError({"school_grade": _("Give the school grade.")})
        if self.education_level != self.EducationLevel.SCHOOL and self.school_grade:
            raise ValidationError({"school_grade": _("A school grade is only for school pupils.")})

    def get_stem_field_labels(self) -> list[str]:
        return [str(StemField(code).label) for code in self.stem_fields]

    def get_availability_labels(self) -> list[str]:
        return [str(AvailabilityWindow(code).label) for code in self.availability]


class MentorProfile(models.Model):
    class ScreeningStatus(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REFERENCES_CHECKED = "references_checked", _("References checked")
        TRAINED = "trained", _("Trained")
        CLEARED = "cleared", _("Cleared to mentor")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_profile")
    organisation = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    stem_fields = models.JSONField(
        _("STEM fields of expertise"), default=list, blank=True, validators=[validate_stem_fields]
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, validators=[MaxValueValidator(60)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees you can take"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    bio = models.TextField(_("short bio"), max_length=3000, blank=True)
    availability = models.JSONField(
        _("when you are usually free"), default=list, blank=True, validators=[validate_availability]
    )
    screening_status = models.CharField(
        _("screening status"),
        max_length=20,
        choices=ScreeningStatus.choices,
        default=ScreeningStatus.APPLIED,
    )
    is_cleared_for_minors = models.BooleanField(
        _("cleared to mentor under-18s"),
        default=False,
        help_text=_("Set by staff after a safeguarding check; requires a cleared mentor."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.is_cleared_for_minors and self.screening_status != self.ScreeningStatus.CLEARED:
            raise ValidationError(
                {"is_cleared_for_minors": _("Only a cleared mentor can be cleared for under-18s.")}
            )

    @property
    def is_regional(self) -> bool:
        """Derived from where she lives: a mentor in Kyrgyzstan is regional."""
        return self.user.is_regional

    def get_stem_field_labels(self) -> list[str]:
        return [str(StemField(code).label) for code in self.stem_fields]

    def get_availability_labels(self) -> list[str]:
        return [str(AvailabilityWindow(code).label) for code in self.availability]


class GuardianConsent(models.Model):
    """A parent's or guardian's consent for an under-18 mentee, recorded by staff.
    Without a current one she cannot be matched or messaged."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        GUARDIAN = "guardian", _("Legal guardian")
        OTHER = "other", _("Other relative")

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", _("Signed paper form")
        IN_PERSON = "in_person", _("In person with staff")
        VIDEO_CALL = "video_call", _("Video call with staff")
        EMAIL = "email", _("E-mail from the guardian")

    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="guardian_consents")
    guardian_name = models.CharField(_("guardian's name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    consent_date = models.DateField(_("date of consent"))
    method = models.CharField(_("how consent was given"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian consent")
        verbose_name_plural = _("guardian consents")
        ordering = ["-consent_date", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.guardian_name} ({self.get_relation_display()}) for {self.mentee}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None


class StaffAccessLog(models.Model):
    """Every time staff open a person's private data, one row: who, whom, what, when."""

    staff = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_accesses")
    action = models.CharField(max_length=100)
    path = models.CharField(max_length=300, blank=True)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("staff access record")
        verbose_name_plural = _("staff access records")
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.staff} {self.action} {self.subject} at {self.accessed_at:%Y-%m-%d %H:%M}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal API token for scripts. Only its SHA-256 is stored; it dies when revoked,
    when the account is deactivated, or when the password changes."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    # The account's session hash when the token was made: a password change alters it.
    auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_key() -> str:
        return "s4a_" + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.auth_hash == self.user.get_session_auth_hash()
