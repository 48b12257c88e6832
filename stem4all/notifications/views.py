"""The viewer's notifications: the list, marking all read, and opening one (marks it
read, then follows its link if the link stays on this site)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import queries, services
from .permissions import get_own_notification, is_safe_link
from .texts import notification_text, notification_title

PAGE_SIZE = 30


def notification_list(request):
    page = Paginator(queries.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for item in page:
        item.text = notification_text(item)
        item.title = notification_title(item)
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def open_notification(request, notification_id: int):
    notification = get_own_notification(request.user, notification_id)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    if is_safe_link(notification.url):
        return redirect(notification.url)
    if notification.url:
        messages.error(request, _("This notification's link does not lead to this site."))
    return redirect("notifications:list")
