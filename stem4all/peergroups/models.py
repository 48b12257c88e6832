"""Peer groups: mentees and alumni of one programme who meet around a topic, with a
group conversation (a messaging ``Conversation`` of kind GROUP), members and group
meetings. Alumni groups are made by staff from a finished cohort, one per region.

A group and its member list are private to the programme's accepted participants and
its staff.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language
from stem4all.accounts.geography import Region

MAX_MEMBER_LIMIT = 500


class PeerGroup(models.Model):
    class Kind(models.TextChoices):
        PEER = "peer", _("Peer group")
        ALUMNI = "alumni", _("Alumni group")

    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    class Access(models.TextChoices):
        OPEN = "open", _("Open: anyone in the programme can join")
        BY_REQUEST = "by_request", _("By request: the organiser accepts members")

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="peer_groups",
        verbose_name=_("programme"),
    )
    # The cohort it was made from (the creator's, or the finished cohort of an alumni
    # group); the conversation's staff scope and moderators are found through it.
    cohort = models.ForeignKey(
        "programmes.Cohort",
        on_delete=models.CASCADE,
        related_name="peer_groups",
        verbose_name=_("cohort"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PEER)
    topic = models.CharField(_("topic"), max_length=200)
    region = models.CharField(
        _("region"),
        max_length=20,
        choices=Region.choices,
        blank=True,
        help_text=_("Leave empty for a group open to every region (online)."),
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    rhythm = models.CharField(
        _("meeting rhythm"), max_length=20, choices=Rhythm.choices, default=Rhythm.MONTHLY
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    member_limit = models.PositiveSmallIntegerField(
        _("member limit"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    access = models.CharField(
        _("who can join"), max_length=20, choices=Access.choices, default=Access.OPEN
    )
    conversation = models.OneToOneField(
        "messaging.Conversation",
        on_delete=models.PROTECT,
        related_name="peer_group",
        verbose_name=_("conversation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["topic", "pk"]
        constraints = [
            # Converting a cohort twice (or by two staff at once) makes one set.
            models.UniqueConstraint(
                fields=["cohort", "region"],
                condition=models.Q(kind="alumni"),
                name="one_alumni_group_per_cohort_region",
            ),
            models.CheckConstraint(
                condition=models.Q(member_limit__isnull=True) | models.Q(member_limit__gte=2),
                name="peer_group_limit_at_least_two",
            ),
        ]
        indexes = [models.Index(fields=["programme", "topic"], name="peergroup_programme_topic")]

    def __str__(self) -> str:
        return self.topic


class PeerGroupMember(models.Model):
    """A person in a group. A request to join a by-request group waits as REQUESTED.
    Leaving keeps the row (``left_at``) so an alumni conversion does not add her back."""

    class Status(models.TextChoices):
        MEMBER = "member", _("Member")
        REQUESTED = "requested", _("Asked to join")

    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="peer_group_memberships",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.MEMBER
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None and self.status == self.Status.MEMBER


class GroupMeeting(models.Model):
    group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("group")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    # The zone the organiser chose: the wall time she typed is shown back in it.
    time_zone = models.CharField(_("time zone"), max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    online_link = models.URLField(_("online link"), blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def local_start(self, zone: str) -> dt.datetime:
        try:
            return self.starts_at.astimezone(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return self.starts_at
