from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Mentorship


class EndEarlyForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the mentorship end early?"),
        help_text=_("Programme staff read this; the other person is told only that it ended."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the mentorship ends early."))
        return reason


class MentorshipFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Mentorship.Status.choices],
        required=False,
    )
