"""Reads about notifications, always the viewer's own."""

from __future__ import annotations

from django.db.models import QuerySet

from stem4all.accounts.models import User

from .models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
