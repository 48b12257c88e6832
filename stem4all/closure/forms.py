"""Forms of the closure pages, shared with the JSON API."""

from django import forms
from django.utils.translation import gettext_lazy as _

RATING_CHOICES = [(i, str(i)) for i in range(1, 6)]
YES_NO = [(True, _("Yes")), (False, _("No"))]


def _rating(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a number from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 to 5."),
        },
    )


class ExitSurveyForm(forms.Form):
    overall_rating = _rating(
        _("How was the mentorship overall?"), _("1 is very poor, 5 is excellent.")
    )
    goals_met = _rating(
        _("How far did you reach the goals of your agreement?"),
        _("1 is not at all, 5 is fully."),
    )
    would_recommend = forms.NullBooleanField(
        error_messages={"required": _("Answer yes or no.")},
        label=_("Would you recommend the programme to a friend?"),
        widget=forms.RadioSelect(choices=YES_NO),
    )
    what_worked = forms.CharField(
        label=_("What worked well?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    what_to_improve = forms.CharField(
        label=_("What should we improve?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    stay_in_touch = forms.BooleanField(
        label=_("Yes, add me to the alumni group of my cohort to stay in touch"),
        help_text=_("Mentees and mentors of your cohort talk there. You can leave at any time."),
        required=False,
    )

    def clean_would_recommend(self):
        value = self.cleaned_data["would_recommend"]
        if value is None:
            raise forms.ValidationError(_("Answer yes or no."))
        return value


class RevokeCertificateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the certificate revoked?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why the certificate is revoked.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the certificate is revoked."))
        return reason
