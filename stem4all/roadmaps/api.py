"""JSON API of the roadmaps app."""

from ninja import Router

router = Router(tags=["roadmaps"])
