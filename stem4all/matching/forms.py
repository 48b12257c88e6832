"""Forms of the matching pages; the API validates its input with the same ones."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language, LanguageLevel, StemField
from stem4all.accounts.geography import Region
from stem4all.accounts.models import User
from stem4all.programmes.models import Participation

from .models import MatchingRun, Proposal
from .services import DEFAULT_OPTIONS, LANGUAGE_LEVELS, MAX_RESPONSE_DAYS, MAX_TOP_K


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=MatchingRun.Mode.choices,
        initial=MatchingRun.Mode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    regional_floor_percent = forms.IntegerField(
        label=_("Minimum share of mentees from the regions who get a mentor (%)"),
        help_text=_("Leave empty for no minimum. Mentees from the regions live outside Bishkek."),
        min_value=0,
        max_value=100,
        required=False,
    )
    max_international_percent = forms.IntegerField(
        label=_("Maximum share of pairs with an international mentor (%)"),
        help_text=_("Leave empty for no limit."),
        min_value=0,
        max_value=100,
        required=False,
    )
    spread_load = forms.BooleanField(
        label=_("Spread the load: give every mentor a first mentee before anyone a second"),
        required=False,
    )
    min_language_level = forms.ChoiceField(
        label=_("Lowest language level that counts as a shared working language"),
        choices=[(level, LanguageLevel(level).label) for level in LANGUAGE_LEVELS],
        initial=DEFAULT_OPTIONS["min_language_level"],
    )
    top_k = forms.IntegerField(
        label=_("Candidates kept per mentee and per mentor (large cohorts)"),
        min_value=1,
        max_value=MAX_TOP_K,
        initial=DEFAULT_OPTIONS["top_k"],
    )
    response_days = forms.IntegerField(
        label=_("Days a mentor has to answer a proposal"),
        min_value=1,
        max_value=MAX_RESPONSE_DAYS,
        initial=DEFAULT_OPTIONS["response_days"],
    )

    def options(self) -> dict:
        data = self.cleaned_data

        def share(percent):
            return None if percent is None else percent / 100

        return {
            "regional_floor": share(data["regional_floor_percent"]),
            "max_international_share": share(data["max_international_percent"]),
            "spread_load": data["spread_load"],
            "min_language_level": data["min_language_level"],
            "top_k": data["top_k"],
            "response_days": data["response_days"],
        }


def cohort_people(cohort, role: str):
    return User.objects.filter(
        participations__cohort=cohort,
        participations__role=role,
        participations__status=Participation.Status.ACCEPTED,
    )


class PairForm(forms.Form):
    """A mentee and a mentor of the run's cohort, for a lock, a forbid or an unlock."""

    mentee = forms.ModelChoiceField(label=_("Mentee"), queryset=User.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=User.objects.none())

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = cohort_people(cohort, Participation.Role.MENTEE)
        self.fields["mentor"].queryset = cohort_people(cohort, Participation.Role.MENTOR)


class SwapForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        label=_("Two proposals whose mentors to swap"), queryset=Proposal.objects.none()
    )

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = run.proposals.filter(status=Proposal.Status.DRAFT)

    def clean_proposals(self):
        chosen = list(self.cleaned_data["proposals"])
        if len(chosen) != 2:
            raise forms.ValidationError(_("Choose exactly two proposals to swap."))
        return chosen


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline? Only programme staff see this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why you decline; only programme staff see it."))
        return reason


class MentorFilterForm(forms.Form):
    """Filters on the mentee's 'choose your mentors' page (a GET form)."""

    field = forms.ChoiceField(
        label=_("Field"), choices=[("", _("All fields")), *StemField.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *Language.choices],
        required=False,
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
    mentor_type = forms.ChoiceField(
        label=_("Mentor type"),
        choices=[
            ("", _("Regional and international")),
            ("regional", _("Regional (in Kyrgyzstan)")),
            ("international", _("International")),
        ],
        required=False,
    )


class MentorChoiceForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput)
    rank = forms.TypedChoiceField(
        label=_("Your choice"),
        choices=[(1, _("1st choice")), (2, _("2nd choice")), (3, _("3rd choice"))],
        coerce=int,
        required=False,
    )
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)
