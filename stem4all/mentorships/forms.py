from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MentoringAgreement, Mentorship


class EndEarlyForm(forms.Form):
    cause = forms.ChoiceField(
        label=_("What is the main reason?"),
        help_text=_("Counted, without names, in the programme's reports."),
        choices=Mentorship.EndCause.choices,
        widget=forms.RadioSelect,
    )
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
    attention = forms.BooleanField(label=_("Only pairs that need attention"), required=False)


class PauseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the mentorship pause?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the mentorship pauses."))
        return reason


class AgreementForm(forms.ModelForm):
    class Meta:
        model = MentoringAgreement
        fields = list(MentoringAgreement.EDITABLE_FIELDS)
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 5}),
            "expected_end_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, mentorship: Mentorship, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentorship = mentorship
        # Required here, optional in the table: the row exists before it is complete.
        for name in ("goals", "working_language", "expected_end_on"):
            self.fields[name].required = True

    def clean_goals(self):
        goals = self.cleaned_data["goals"].strip()
        if not goals:
            raise forms.ValidationError(_("Write down at least one goal."))
        return goals

    def clean_expected_end_on(self):
        end = self.cleaned_data["expected_end_on"]
        if end is not None and end <= self.mentorship.started_at.date():
            raise forms.ValidationError(_("The expected end must come after the start."))
        return end
