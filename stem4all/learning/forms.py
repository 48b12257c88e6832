"""Forms shared by the pages and the API of the learning library."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import Language, StemField
from stem4all.accounts.models import User
from stem4all.meetings.forms import TIME_ZONE_CHOICES, TimeZoneSelect
from stem4all.programmes.models import Cohort, Participation

from .models import MAX_DURATION, MIN_DURATION, Lecture, Topic


def _blank(choices):
    return [("", _("Any"))] + list(choices)


class LectureFilterForm(forms.Form):
    """The library's GET filters; unknown values are ignored, never an error page."""

    topic = forms.ChoiceField(label=_("Topic"), choices=_blank(Topic.choices), required=False)
    field = forms.ChoiceField(
        label=_("STEM field"), choices=_blank(StemField.choices), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=_blank(Language.choices), required=False
    )
    saved = forms.BooleanField(label=_("Only lectures I saved"), required=False)


class LectureForm(forms.ModelForm):
    recording_url = forms.URLField(
        label=_("Link to the recording"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Lecture
        fields = [
            "title",
            "speaker_name",
            "speaker_kind",
            "speaker",
            "summary",
            "topic",
            "stem_field",
            "language",
            "duration_minutes",
            "recording_url",
            "is_published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the programme's accepted mentors can be linked as the speaker.
        self.fields["speaker"].queryset = User.objects.filter(
            participations__cohort__programme=programme,
            participations__role=Participation.Role.MENTOR,
            participations__status=Participation.Status.ACCEPTED,
        ).distinct()
        self.fields["speaker"].help_text = _("Optional: when the speaker is one of our mentors.")


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("or a PDF file"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        from stem4all.core.uploads import validate_pdf

        return validate_pdf(upload, folder="learning/materials")

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file") and not self.errors:
            raise ValidationError(_("Give a link or upload a PDF file."))
        return data


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    trainer_name = forms.CharField(label=_("Trainer"), max_length=200)
    cohort = forms.ModelChoiceField(
        label=_("Only for the cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Everyone in the programme"),
    )
    starts_at_local = forms.DateTimeField(
        label=_("Date and time"),
        help_text=_("The wall-clock time in the time zone below."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        widget=TimeZoneSelect,
        initial="Asia/Bishkek",
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=90
    )
    online_link = forms.URLField(
        label=_("Online link"), required=False, max_length=500, assume_scheme="https"
    )
    venue = forms.CharField(label=_("Venue"), required=False, max_length=300)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=10000, initial=20)
    is_published = forms.BooleanField(label=_("Published"), required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(programme=programme)

    def clean_starts_at_local(self):
        value = self.cleaned_data["starts_at_local"]
        return value.replace(tzinfo=None) if value.tzinfo else value

    def clean(self):
        data = super().clean()
        if not data.get("online_link") and not (data.get("venue") or "").strip():
            raise ValidationError(_("Give an online link or a venue."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The six characters the organisers show at the training."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
