from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .choices import AvailabilityWindow, Language, LanguageLevel, StemField
from .geography import DISTRICT_REGION, HOME_COUNTRY
from .models import GuardianConsent, MenteeProfile, MentorProfile, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignupDetailsForm(forms.Form):
    """The fields allauth's sign-up form adds to e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    field_order = ["full_name"]

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"].strip()
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        user.save(update_fields=["full_name", "preferred_language"])


class PersonalDetailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "full_name",
            "preferred_language",
            "date_of_birth",
            "country",
            "region",
            "district",
            "time_zone",
        ]
        widgets = {"date_of_birth": DateInput()}
        help_texts = {
            "region": _("Only if you live in Kyrgyzstan."),
            "district": _("Only if you live in Kyrgyzstan."),
            "date_of_birth": _(
                "Staff and your mentor see it; it decides whether a guardian must consent."
            ),
        }

    def clean(self):
        data = super().clean()
        country, region, district = data.get("country"), data.get("region"), data.get("district")
        if country and country != HOME_COUNTRY and (region or district):
            self.add_error("region", _("Leave region and district empty when you live abroad."))
        elif district and DISTRICT_REGION.get(district) != region:
            self.add_error("district", _("This district is not in the chosen region."))
        return data


class ProfileForm(forms.ModelForm):
    """Both profiles store STEM fields and availability as lists of codes: checkboxes."""

    stem_fields = forms.MultipleChoiceField(
        choices=StemField.choices, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are usually free"),
        choices=AvailabilityWindow.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self._meta.model._meta.get_field("stem_fields")
        self.fields["stem_fields"].label = capfirst(field.verbose_name)


class MenteeProfileForm(ProfileForm):
    class Meta:
        model = MenteeProfile
        fields = [
            "education_level",
            "school_grade",
            "institution",
            "settlement",
            "stem_fields",
            "career_goal",
            "preferred_mentor_type",
            "hours_per_month",
            "availability",
        ]
        widgets = {
            "career_goal": forms.Textarea(attrs={"rows": 4}),
            "preferred_mentor_type": forms.RadioSelect,
        }


class MentorProfileForm(ProfileForm):
    class Meta:
        model = MentorProfile
        fields = [
            "organisation",
            "job_title",
            "stem_fields",
            "years_of_experience",
            "capacity",
            "availability",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


LEVEL_CHOICES = [("", _("I do not speak it")), *LanguageLevel.choices]


class LanguageSkillsForm(forms.Form):
    """One select per language: the level, or empty for 'not spoken'. Works without JS."""

    def __init__(self, *args, initial_levels: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_levels = initial_levels or {}
        for code, label in Language.choices:
            self.fields[f"lang_{code}"] = forms.ChoiceField(
                label=label,
                choices=LEVEL_CHOICES,
                required=False,
                initial=initial_levels.get(code, ""),
            )

    def clean(self):
        data = super().clean()
        if not self.skills():
            raise forms.ValidationError(_("Give at least one language you can work in."))
        return data

    def skills(self) -> list[tuple[str, str]]:
        return [
            (name.removeprefix("lang_"), level)
            for name, level in self.cleaned_data.items()
            if name.startswith("lang_") and level
        ]


class GuardianConsentForm(forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I have seen the guardian's consent and recorded it truthfully."), required=True
    )

    class Meta:
        model = GuardianConsent
        fields = ["guardian_name", "relation", "consent_date", "method"]
        widgets = {"consent_date": DateInput()}

    def clean_consent_date(self):
        from django.utils import timezone

        day = self.cleaned_data["consent_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of consent cannot be in the future."))
        return day


class MentorScreeningForm(forms.ModelForm):
    class Meta:
        model = MentorProfile
        fields = ["screening_status", "is_cleared_for_minors"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'report script'."),
    )
