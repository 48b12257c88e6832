from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RoadmapStep, RoadmapTemplate, RoadmapTemplateStep


class GoalForm(forms.Form):
    career_goal = forms.CharField(
        label=_("Career goal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: become a data engineer at a Bishkek fintech by 2026."),
    )


class StepForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    link = forms.URLField(
        label=_("Link to a lecture or training"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )


class StepUpdateForm(StepForm):
    status = forms.ChoiceField(label=_("Status"), choices=RoadmapStep.Status.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MoveToForm(forms.Form):
    position = forms.IntegerField(label=_("New position (0 is first)"), min_value=0)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = RoadmapTemplate
        fields = ["title", "summary", "career_goal", "language"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "career_goal": forms.Textarea(attrs={"rows": 2}),
        }


class TemplateStepForm(forms.ModelForm):
    class Meta:
        model = RoadmapTemplateStep
        fields = ["title", "description", "due_offset_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_due_offset_days(self):
        days = self.cleaned_data["due_offset_days"]
        if days is not None and days > 3650:
            raise forms.ValidationError(_("Choose at most ten years (3650 days)."))
        return days
