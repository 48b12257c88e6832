from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Participation


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to take part, and what do you hope to achieve?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        min_length=20,
    )
    agrees_to_privacy = forms.BooleanField(
        label=_(
            "I agree that programme staff see my application and profile to screen and match me."
        ),
        required=True,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Participation.Status.ACCEPTED, _("Accept")),
            (Participation.Status.WAITLISTED, _("Put on the waitlist")),
            (Participation.Status.REJECTED, _("Do not accept")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (shown to the applicant; required when not accepting)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == Participation.Status.REJECTED
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Give a reason when an application is not accepted."))
        return data


class ParticipantFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Participation.Role.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Participation.Status.choices],
        required=False,
    )
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


class PhaseForm(forms.Form):
    expected_phase = forms.CharField(widget=forms.HiddenInput)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("At most 5 MB. The first row holds the column names."),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file; import nothing"), required=False, initial=True
    )
