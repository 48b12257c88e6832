"""Roadmap templates for tests."""

from stem4all.roadmaps.models import RoadmapTemplate, RoadmapTemplateStep


def make_template(programme, *, steps=(("Learn SQL", 14), ("Build a project", 60)), **fields):
    fields.setdefault("title", "Into data engineering")
    fields.setdefault("career_goal", "Become a data engineer")
    fields.setdefault("is_published", True)
    template = RoadmapTemplate.objects.create(programme=programme, **fields)
    for position, (title, offset) in enumerate(steps):
        RoadmapTemplateStep.objects.create(
            template=template, position=position, title=title, due_offset_days=offset
        )
    return template
