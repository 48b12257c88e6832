"""A notification's sentence in the active language, rendered from its kind and params.

Nothing translated is stored: the text is rendered when it is shown (page, e-mail), so
a reader who switches language sees every notification in her new language. Params are
plain JSON values; callers pass the ones named below for their kind:

==========================  ==========================================================
kind                        params
==========================  ==========================================================
proposal                    ``cohort``
mentorship_started          ``name`` (the other person), ``cohort``
meeting_proposed            ``name`` (who proposed), ``when`` (ISO date-time)
meeting_accepted            ``name`` (who accepted), ``when``
meeting_reminder            ``name`` (the other person), ``when``
new_message                 ``name`` (the sender)
step_signed_off             ``step`` (the step's title), ``name`` (the mentor)
pulse_due                   ``name`` (the other person)
inactivity_reminder         ``name`` (the other person), ``days``
pair_flagged                ``mentee``, ``mentor``, ``reason`` (a PairFlag reason code)
message_held                ``name`` (the other person)
concern_reported            ``name`` (who it is about, staff only)
exit_survey_due             ``cohort``
training_seat               ``training`` (its title), ``when``
training_reminder           ``training`` (its title), ``when``
award_nominated             ``category``, ``edition``
nomination_reviewed         ``category``, ``nominee``, ``status`` (approved/rejected/merged)
jury_complete               ``category``, ``edition``
award_results               ``edition``
survey_open                 ``cohort``, ``when`` (when it closes, ISO date-time)
survey_reminder             ``cohort``, ``when`` (when it closes)
==========================  ==========================================================

A missing param never breaks a page: the kind's general sentence is shown instead.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Notification

Kind = Notification.Kind

# kind -> (sentence with named placeholders, sentence without any)
TEXTS = {
    Kind.PROPOSAL: (
        _("A mentee in %(cohort)s is proposed to you. Please accept or decline."),
        _("A mentee is proposed to you. Please accept or decline."),
    ),
    Kind.MENTORSHIP_STARTED: (
        _("Your mentorship with %(name)s in %(cohort)s has started."),
        _("Your mentorship has started."),
    ),
    Kind.MEETING_PROPOSED: (
        _("%(name)s proposed a meeting (%(when)s)."),
        _("A meeting was proposed to you."),
    ),
    Kind.MEETING_ACCEPTED: (
        _("%(name)s accepted the meeting (%(when)s)."),
        _("Your meeting was accepted."),
    ),
    Kind.MEETING_REMINDER: (
        _("Reminder: you meet %(name)s soon (%(when)s)."),
        _("Reminder: you have a meeting soon."),
    ),
    Kind.NEW_MESSAGE: (
        _("New message from %(name)s."),
        _("You have a new message."),
    ),
    Kind.STEP_SIGNED_OFF: (
        _("%(name)s signed off your roadmap step “%(step)s”."),
        _("A step of your roadmap was signed off."),
    ),
    Kind.PULSE_DUE: (
        _("How is your mentorship with %(name)s going? Please answer a one-minute check-in."),
        _("Please answer a one-minute check-in about your mentorship."),
    ),
    Kind.INACTIVITY_REMINDER: (
        _("You and %(name)s have not met or written for %(days)s days. Time to plan a meeting?"),
        _("It has been a while since your last meeting. Time to plan one?"),
    ),
    Kind.PAIR_FLAGGED: (
        _("The pair %(mentee)s and %(mentor)s needs attention: %(reason)s."),
        _("A mentoring pair needs attention."),
    ),
    Kind.MESSAGE_HELD: (
        _("A message in your conversation with %(name)s is held for review by staff."),
        _("A message is held for review by staff."),
    ),
    Kind.CONCERN_REPORTED: (
        _("A concern was reported about %(name)s."),
        _("A concern was reported."),
    ),
    Kind.EXIT_SURVEY_DUE: (
        _("Your mentorship in %(cohort)s has ended: please tell us how it went."),
        _("Please tell us how your mentorship went."),
    ),
    Kind.TRAINING_SEAT: (
        _("A seat at the training “%(training)s” (%(when)s) is now yours."),
        _("A seat at a training is now yours."),
    ),
    Kind.TRAINING_REMINDER: (
        _("Reminder: the training “%(training)s” starts soon (%(when)s)."),
        _("Reminder: your training starts soon."),
    ),
    Kind.AWARD_NOMINATED: (
        _("You were nominated for “%(category)s” in %(edition)s. Say whether you agree to appear."),
        _("You were nominated for the award. Say whether you agree to appear."),
    ),
    Kind.NOMINATION_REVIEWED: (
        _("Your nomination of %(nominee)s for “%(category)s” was reviewed."),
        _("Your nomination was reviewed."),
    ),
    Kind.JURY_COMPLETE: (
        _("Every jury member has submitted their scores for “%(category)s” in %(edition)s."),
        _("The jury has finished scoring a category."),
    ),
    Kind.AWARD_RESULTS: (
        _("The results of %(edition)s are published."),
        _("The award's results are published."),
    ),
    Kind.SURVEY_OPEN: (
        _(
            "A short survey of %(cohort)s is open for you until %(when)s. "
            "Your answers help us improve the programme."
        ),
        _("A short survey is open for you. Your answers help us improve the programme."),
    ),
    Kind.SURVEY_REMINDER: (
        _("Reminder: the survey of %(cohort)s closes on %(when)s. Please answer it in time."),
        _("Reminder: a survey for you closes soon. Please answer it in time."),
    ),
}


def _placeholders(template: str) -> set[str]:
    # "%(name)s" -> "name"; str.Formatter does not parse %-style, so do it by hand.
    names, rest = set(), template
    while "%(" in rest:
        rest = rest.split("%(", 1)[1]
        name, _sep, rest = rest.partition(")")
        names.add(name)
    return names


def _display(name: str, value) -> str:
    if name == "when" and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        day = parse_date(value)
        if day is not None:
            return date_format(day, "DATE_FORMAT")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if name == "reason" and isinstance(value, str):
        from stem4all.checkins.models import PairFlag

        try:
            return str(PairFlag.Reason(value).label)
        except ValueError:
            return value
    return str(value)


def render_text(kind: str, params: dict | None) -> str:
    """The sentence for a notification of ``kind`` with ``params``, in the active
    language. Unknown kinds and missing params fall back to a general sentence."""
    params = params if isinstance(params, dict) else {}
    texts = TEXTS.get(kind)
    if texts is None:
        try:
            return str(Kind(kind).label)
        except ValueError:
            return gettext("You have a new notification.")
    full, fallback = str(texts[0]), str(texts[1])
    needed = _placeholders(full)
    if any(params.get(name) in (None, "") for name in needed):
        return fallback
    values = {name: _display(name, params[name]) for name in needed}
    try:
        return full % values
    except (KeyError, ValueError, TypeError):
        # A translation with a broken placeholder must not break the page.
        return fallback


def notification_text(notification: Notification) -> str:
    return render_text(notification.kind, notification.params)


def notification_title(notification: Notification) -> str:
    try:
        return str(Kind(notification.kind).label)
    except ValueError:
        return gettext("Notification")


__all__ = ["TEXTS", "notification_text", "notification_title", "render_text"]
