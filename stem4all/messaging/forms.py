"""Forms shared by the pages and the JSON API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_MESSAGE_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_MESSAGE_LENGTH,
        error_messages={"required": _("Write a message first.")},
    )


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=_("What worries you?"),
        help_text=_(
            "Only the programme's safeguarding staff read this. The person it is about is "
            "never shown your report."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MESSAGE_LENGTH,
        error_messages={"required": _("Say what worries you.")},
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("release", _("Release: deliver it")), ("reject", _("Reject: do not deliver"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the record"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class CloseConcernForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Write down what was done.")},
    )
