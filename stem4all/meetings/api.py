"""JSON API of the meetings app."""

from ninja import Router

router = Router(tags=["meetings"])
