"""Forms shared by the peer group pages and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language
from stem4all.accounts.geography import Region
from stem4all.meetings.forms import MeetingTimeForm
from stem4all.programmes.models import Programme

from .models import MAX_MEMBER_LIMIT, PeerGroup


class PeerGroupForm(forms.ModelForm):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), empty_label=None
    )

    class Meta:
        model = PeerGroup
        fields = [
            "programme",
            "topic",
            "description",
            "region",
            "language",
            "rhythm",
            "member_limit",
            "access",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (
            programmes if programmes is not None else Programme.objects.none()
        )
        self.fields["member_limit"].min_value = 2
        self.fields["member_limit"].max_value = MAX_MEMBER_LIMIT
        self.fields["member_limit"].widget.attrs.update({"min": 2, "max": MAX_MEMBER_LIMIT})
        self.fields["region"].choices = [("", _("Any region (online)")), *Region.choices]

    def clean_member_limit(self):
        value = self.cleaned_data.get("member_limit")
        if value is not None and not 2 <= value <= MAX_MEMBER_LIMIT:
            raise forms.ValidationError(
                _("A limit is between 2 and %(max)s members.") % {"max": MAX_MEMBER_LIMIT}
            )
        return value


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Topic"), required=False, max_length=100)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any")), *Region.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *Language.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "q": self.cleaned_data["q"].strip(),
            "region": self.cleaned_data["region"],
            "language": self.cleaned_data["language"],
        }


class GroupMeetingForm(MeetingTimeForm):
    """The same fields and checks as a pair's meeting proposal."""
