"""The learning library of a programme: recorded lectures with their materials and
each person's progress, live trainings with registration, a waitlist and attendance,
and the certificate of attendance anyone can verify by its code."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language, StemField
from stem4all.accounts.models import validate_time_zone

MIN_DURATION = 5
MAX_DURATION = 600
# Check-in codes avoid letters and digits that look alike (0/O, 1/I/L, 5/S, 2/Z, 8/B).
CHECKIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CHECKIN_CODE_LENGTH = 6


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


def new_attendance_code() -> str:
    # 20 random bytes (160 bits) as 32 lowercase base32 characters.
    return base64.b32encode(secrets.token_bytes(20)).decode().lower()


class Topic(models.TextChoices):
    TIME_MANAGEMENT = "time_management", _("Time management")
    LEADERSHIP = "leadership", _("Leadership")
    EMOTIONAL_INTELLIGENCE = "emotional_intelligence", _("Emotional intelligence")
    CRITICAL_THINKING = "critical_thinking", _("Critical thinking")
    FINANCIAL_LITERACY = "financial_literacy", _("Financial literacy")
    ENGLISH = "english", _("English")
    CAREERS = "careers", _("Careers")
    OTHER = "other", _("Other")


class Lecture(models.Model):
    class SpeakerKind(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        PARTNER_EXPERT = "partner_expert", _("Partner's expert")
        GUEST = "guest", _("Guest")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="lectures",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    speaker_name = models.CharField(_("speaker"), max_length=200)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("speaker's account (a mentor)"),
    )
    speaker_kind = models.CharField(
        _("the speaker is"), max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.GUEST
    )
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    stem_field = models.CharField(
        _("STEM field"), max_length=30, choices=StemField.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION)],
    )
    recording_url = models.URLField(_("link to the recording"), max_length=500, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "is_published"], name="lecture_published"),
        ]

    def __str__(self) -> str:
        return self.title


class LectureMaterial(models.Model):
    lecture = models.ForeignKey(
        Lecture, on_delete=models.CASCADE, related_name="materials", verbose_name=_("lecture")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("PDF file"), upload_to="learning/materials/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lecture material")
        verbose_name_plural = _("lecture materials")
        ordering = ["lecture", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="", file=""), name="lecture_material_has_link_or_file"
            )
        ]

    def __str__(self) -> str:
        return self.title


class LectureProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lecture_progress"
    )
    lecture = models.ForeignKey(Lecture, on_delete=models.CASCADE, related_name="progress")
    saved = models.BooleanField(_("saved"), default=False)
    watched_at = models.DateTimeField(_("watched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lecture progress")
        verbose_name_plural = _("lecture progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lecture"], name="one_progress_per_lecture")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.lecture_id}"


class Training(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("programme"),
    )
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("only for the cohort"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    trainer_name = models.CharField(_("trainer"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)],
    )
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    is_published = models.BooleanField(_("published"), default=False)
    checkin_code = models.CharField(
        _("check-in code"), max_length=CHECKIN_CODE_LENGTH, default=new_checkin_code
    )
    # Bumped when the time changes: calendars and reminders pick up the new version.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(online_link="", venue=""), name="training_has_link_or_venue"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="training_capacity"),
        ]
        indexes = [
            models.Index(fields=["programme", "is_published", "starts_at"], name="training_list"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def local_start(self, time_zone: str | None = None) -> dt.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(time_zone or self.time_zone))


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    LIVE_STATUSES = (Status.REGISTERED, Status.WAITLISTED)

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("training")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    position = models.PositiveIntegerField(_("place on the waitlist"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    attended_at = models.DateTimeField(_("attended at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance marked by"),
    )
    failed_checkins = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["training", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "user"],
                condition=models.Q(status__in=["registered", "waitlisted"]),
                name="one_live_registration_per_training",
            ),
            models.UniqueConstraint(
                fields=["training", "position"],
                condition=models.Q(status="waitlisted"),
                name="distinct_waitlist_positions",
            ),
        ]
        indexes = [
            models.Index(fields=["training", "status"], name="registration_status"),
            models.Index(fields=["user", "attended"], name="registration_attended"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.training_id}: {self.status}"


class AttendanceCertificate(models.Model):
    """Snapshot of a person's attendance when the certificate was issued: later
    renames or changes to trainings do not alter what was certified."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_certificates",
        verbose_name=_("person"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="attendance_certificates",
        verbose_name=_("programme"),
    )
    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_attendance_code
    )
    issued_at = models.DateTimeField(_("issued at"))
    trainings_count = models.PositiveIntegerField(_("trainings attended"))
    name = models.CharField(_("name"), max_length=200)
    programme_name = models.CharField(_("programme name"), max_length=200)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_attendance_certificate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.programme_name} ({self.code})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def display_code(self) -> str:
        return " ".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
