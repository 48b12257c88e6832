"""The unread count shown next to "Notifications" in the navigation."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .models import Notification

        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    # Lazy: one query, and only on pages that show the navigation.
    return {"unread_notifications": SimpleLazyObject(count)}
