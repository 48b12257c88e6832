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
    lecture = forms.ChoiceField(label=_("A lecture of your programme"), required=False)
    training = forms.ChoiceField(label=_("A training of your programme"), required=False)

    def __init__(self, *args, mentorship=None, learning=None, **kwargs):
        """``learning`` is ``learning_options(mentorship)``, read once for a page of
        forms; without it (and without a pair) no lecture or training can be chosen."""
        super().__init__(*args, **kwargs)
        if learning is None and mentorship is None:
            # Without a pair (the API) the fields are absent: an edit keeps them.
            del self.fields["lecture"], self.fields["training"]
            learning = ([], [])
        elif learning is None:
            learning = learning_options(mentorship)
        self._learning = {
            "lecture": {str(item.pk): item for item in learning[0]},
            "training": {str(item.pk): item for item in learning[1]},
        }
        for name, items in self._learning.items():
            if name not in self.fields:
                continue
            self.fields[name].choices = [("", "—")] + [
                (pk, str(item)) for pk, item in items.items()
            ]

    def _chosen(self, name):
        value = self.cleaned_data.get(name)
        return self._learning[name].get(str(value)) if value else None

    def clean_lecture(self):
        return self._chosen("lecture")

    def clean_training(self):
        return self._chosen("training")


def learning_options(mentorship) -> tuple[list, list]:
    """The published lectures and trainings of the pair's programme."""
    from stem4all.learning.models import Lecture, Training

    programme_id = mentorship.cohort.programme_id
    lectures = Lecture.objects.filter(programme_id=programme_id, is_published=True)
    trainings = Training.objects.filter(programme_id=programme_id, is_published=True)
    return list(lectures.order_by("title", "pk")), list(trainings.order_by("-starts_at", "pk"))


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
