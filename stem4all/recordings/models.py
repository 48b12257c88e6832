"""Recordings of a cohort's sessions, watched by its participants or by whoever holds
an access code that staff handed out (a school, a partner organisation).

An access code is stored only as the SHA-256 of its normalised form: it carries 140
random bits, so a fast hash is enough and a leaked table reveals no code. A code
expires with its recording's access period and can be revoked at any time.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.programmes.models import Cohort


def recording_upload_to(instance: Recording, filename: str) -> str:
    # A random name: the uploader's file name may say who is in the video, and a
    # guessable name would matter if the directory were ever served by mistake.
    suffix = PurePath(filename).suffix.lower()
    return f"recordings/{uuid.uuid4().hex}{suffix}"


class Recording(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="recordings", verbose_name=_("cohort")
    )
    training = models.ForeignKey(
        "learning.Training",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recordings",
        verbose_name=_("recording of the training"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    file = models.FileField(_("video file"), upload_to=recording_upload_to, blank=True)
    content_type = models.CharField(_("video type"), max_length=40, blank=True)
    external_url = models.URLField(_("link to the video"), max_length=500, blank=True)
    available_from = models.DateTimeField(_("available from"))
    available_until = models.DateTimeField(_("available until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        ordering = ["-available_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (~models.Q(file="") & models.Q(external_url=""))
                    | (models.Q(file="") & ~models.Q(external_url=""))
                ),
                name="recording_file_or_link",
            ),
            models.CheckConstraint(
                condition=models.Q(available_until__gt=models.F("available_from")),
                name="recording_period_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "available_from"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    def is_available_at(self, now) -> bool:
        return self.available_from <= now < self.available_until


class AccessCode(models.Model):
    recording = models.ForeignKey(
        Recording, on_delete=models.CASCADE, related_name="codes", verbose_name=_("recording")
    )
    label = models.CharField(
        _("who the code is for"),
        max_length=200,
        help_text=_("For example: for the school in Naryn."),
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expires_at(self):
        """A code lives exactly as long as its recording's access period."""
        return self.recording.available_until
