"""Forms for proposing, logging and rating meetings."""

from __future__ import annotations

import functools
import zoneinfo

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import MAX_DURATION, MIN_DURATION, Meeting

TIME_ZONE_CHOICES = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


@functools.cache
def _zone_options() -> dict[str, str]:
    return {
        zone: format_html('<option value="{}">{}</option>', zone, zone)
        for zone, _ in TIME_ZONE_CHOICES
    }


class TimeZoneSelect(forms.Select):
    """The ~600 IANA zones. Django's Select renders every option through a template,
    which cost a meetings page about 100 ms; this renders the fixed list once per
    process and marks the chosen zone."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = str(value) if value else ""
        options = [
            html.replace("<option ", "<option selected ", 1) if zone == chosen else html
            for zone, html in _zone_options().items()
        ]
        # Each option was escaped by format_html above.
        options_html = mark_safe("".join(options))  # noqa: S308
        return format_html("<select{}>{}</select>", flatatt(final), options_html)


class MeetingTimeForm(forms.Form):
    starts_at_local = forms.DateTimeField(
        label=_("Date and time"),
        help_text=_("The wall-clock time in the time zone below."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES, widget=TimeZoneSelect
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=60
    )
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_starts_at_local(self):
        # A local wall time: the chosen time zone, not the server's, gives it meaning.
        value = self.cleaned_data["starts_at_local"]
        return value.replace(tzinfo=None) if value.tzinfo else value

    def clean(self):
        data = super().clean()
        if not data.get("online_link") and not (data.get("place") or "").strip():
            raise forms.ValidationError(_("Give an online link or a place."))
        return data


class LogMeetingForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Did the meeting happen?"),
        choices=[
            (Meeting.Outcome.HAPPENED, _("It happened")),
            (Meeting.Outcome.MISSED, _("It was missed")),
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes for both of you"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_note = forms.CharField(
        label=_("Private note (only you can read it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the meeting? (1 = not at all, 5 = very)"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PrivateNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note (only you can read it)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
