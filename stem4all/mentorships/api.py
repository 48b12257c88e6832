"""JSON API of the mentorships app."""

from ninja import Router

router = Router(tags=["mentorships"])
