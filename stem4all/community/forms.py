"""Forms of the community, shared by the pages and the JSON API."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from stem4all.accounts.choices import StemField
from stem4all.accounts.geography import Region
from stem4all.core.uploads import validate_image

from .models import PartnerOrganisation, Practice
from .services import MAX_RESULTS


class ImageUploadField(forms.FileField):
    """A file field whose cleaned value is the checked, re-encoded ``ContentFile``."""

    def __init__(self, *, folder: str, **kwargs):
        self.folder = folder
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return None
        return validate_image(upload, folder=self.folder)


def _https_by_default(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    logo = ImageUploadField(
        label=_("Logo"),
        folder="community/logos",
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = PartnerOrganisation
        formfield_callback = _https_by_default
        fields = [
            "name",
            "kind",
            "description",
            "website",
            "links",
            "contact_name",
            "contact_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact_email": _("Seen only by programme staff and your organisation's people."),
        }

    def clean_links(self):
        return _clean_links(self.cleaned_data["links"])


def _clean_links(text: str) -> str:
    validate = forms.URLField(assume_scheme="https").clean
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        return "\n".join(validate(line) for line in lines)
    except forms.ValidationError:
        raise forms.ValidationError(
            _("Write one full web address per line (https://...).")
        ) from None


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["title", "summary", "story", "links", "stem_field", "region"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 10}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_links(self):
        return _clean_links(self.cleaned_data["links"])


class ResultForm(forms.Form):
    label = forms.CharField(label=_("What was measured"), max_length=150, required=False)
    number = forms.DecimalField(
        label=_("Number"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if data.get("label") and data.get("number") is None:
            self.add_error("number", _("Give the number for this result."))
        if data.get("number") is not None and not data.get("label"):
            self.add_error("label", _("Say what the number measures."))
        return data


ResultFormSet = forms.formset_factory(ResultForm, extra=0, max_num=MAX_RESULTS, absolute_max=50)


def result_formset(data=None, *, practice: Practice | None = None) -> forms.BaseFormSet:
    """Rows for the existing results plus blank ones up to the maximum."""
    initial = []
    if practice is not None:
        initial = [
            {"label": r.label, "number": r.number, "unit": r.unit} for r in practice.results.all()
        ]
    # Two blank rows to add results, at least three rows, at most the maximum.
    rows = min(MAX_RESULTS, max(3, len(initial) + 2))
    initial += [{}] * max(0, rows - len(initial))
    formset = ResultFormSet(data, initial=initial, prefix="results")
    formset.extra = 0
    return formset


def cleaned_results(formset) -> list[tuple]:
    return [
        (row["label"], row["number"], row.get("unit", ""))
        for row in formset.cleaned_data
        if row.get("label")
    ]


class PhotoForm(forms.Form):
    image = ImageUploadField(
        label=_("Photo"),
        folder="community/photos",
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data is removed."),
    )
    alt_text = forms.CharField(
        label=_("Describe the photo for people who cannot see it"), max_length=300
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Do not approve"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required when not approving)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for not approving."))
        return data


class GalleryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", _("All"))] + PartnerOrganisation.Kind.choices,
        required=False,
    )
    field = forms.ChoiceField(
        label=_("STEM field"), choices=[("", _("All"))] + StemField.choices, required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All"))] + Region.choices, required=False
    )
