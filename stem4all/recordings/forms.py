"""Forms of the recordings pages, shared with the JSON API.

An uploaded video is checked here by its extension AND by its first bytes (an MP4
has an 'ftyp' box at offset 4, a WebM starts with the EBML magic 1A 45 DF A3), and
against ``STEM4ALL_RECORDING_MAX_BYTES``."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stem4all.learning.models import Training
from stem4all.programmes.models import Cohort

from .models import AccessCode, Recording

DEFAULT_MAX_BYTES = 2 * 1024**3
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm"}
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def max_recording_bytes() -> int:
    return int(getattr(settings, "STEM4ALL_RECORDING_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff_video_type(head: bytes) -> str:
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return ""


def check_video_upload(upload) -> str:
    """The content type of an acceptable video upload, or a ValidationError."""
    suffix = PurePath(upload.name or "").suffix.lower()
    declared = VIDEO_TYPES.get(suffix)
    if declared is None:
        raise forms.ValidationError(_("Upload an MP4 or WebM video (.mp4 or .webm)."))
    limit = max_recording_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniffed = sniff_video_type(head)
    if not sniffed:
        raise forms.ValidationError(
            _("This file is not an MP4 or WebM video, whatever its name says.")
        )
    if sniffed != declared:
        raise forms.ValidationError(
            _("The file's content does not match its name: rename it to .mp4 or .webm.")
        )
    return sniffed


class RecordingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    file = forms.FileField(
        label=_("Video file"),
        required=False,
        help_text=_("MP4 or WebM. Leave empty to give a link instead."),
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm,.mp4,.webm"}),
    )
    external_url = forms.URLField(
        label=_("Or a link to the video"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Shown only to the people who may watch."),
    )
    training = forms.ModelChoiceField(
        label=_("Recording of the training"),
        queryset=Training.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Choose a training of this programme.")},
    )
    available_from = forms.DateTimeField(
        label=_("Available from"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    available_until = forms.DateTimeField(
        label=_("Available until"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Access codes expire at this moment too."),
    )

    def __init__(
        self, *args, cohort: Cohort | None = None, recording: Recording | None = None, **kwargs
    ):
        self.recording = recording
        self.content_type = ""
        super().__init__(*args, **kwargs)
        cohort = cohort or (recording.cohort if recording else None)
        if cohort is not None:
            self.fields["training"].queryset = Training.objects.filter(
                programme_id=cohort.programme_id
            ).order_by("-starts_at")
        self.fields["file"].help_text = _(
            "MP4 or WebM, at most %(limit)s. Leave empty to give a link instead."
        ) % {"limit": filesizeformat(max_recording_bytes())}
        if recording is not None:
            self.fields["file"].help_text = _("Leave empty to keep the current video or link.")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.content_type = check_video_upload(upload)
        return upload

    def clean_external_url(self):
        url = (self.cleaned_data.get("external_url") or "").strip()
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Give an https:// link."))
        return url

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            self.add_error("available_until", _("The access period must end after it starts."))
        file, url = data.get("file"), data.get("external_url")
        if file and url:
            raise forms.ValidationError(_("Give either a video file or a link, not both."))
        if not file and not url and self.recording is None and "file" not in self.errors:
            raise forms.ValidationError(_("Upload a video file or give a link to the video."))
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["content_type"] = self.content_type
        if not data.get("file"):
            data["file"] = None
        return data


class AccessCodeForm(forms.ModelForm):
    class Meta:
        model = AccessCode
        fields = ["label"]
        error_messages = {"label": {"required": _("Say who the code is for.")}}

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Say who the code is for."))
        return label


class EnterCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Access code"),
        max_length=80,
        help_text=_("The code you were given, for example ABCD-EFGH-…"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the access code you were given.")},
    )
