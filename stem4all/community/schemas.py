import datetime as dt
from decimal import Decimal

from ninja import Schema


class OrganisationIn(Schema):
    name: str
    kind: str
    description: str = ""
    website: str = ""
    links: str = ""
    contact_name: str
    contact_email: str


class OrganisationCreateIn(OrganisationIn):
    programme_id: int


class OrganisationOut(Schema):
    """What representatives and reviewing staff see, contact person included."""

    id: int
    programme_id: int
    name: str
    slug: str
    kind: str
    description: str
    website: str
    links: str
    contact_name: str
    contact_email: str
    status: str
    decision_reason: str
    logo_url: str | None
    public_url: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_logo_url(obj) -> str | None:
        from django.urls import reverse

        return reverse("community:image", args=[obj.logo.name]) if obj.logo else None

    @staticmethod
    def resolve_public_url(obj) -> str | None:
        return obj.get_absolute_url() if obj.is_approved else None


class ResultIO(Schema):
    label: str
    number: Decimal
    unit: str = ""


class PracticeIn(Schema):
    title: str
    summary: str
    story: str
    links: str = ""
    stem_field: str
    region: str
    results: list[ResultIO] = []


class PhotoOut(Schema):
    id: int
    url: str
    alt_text: str
    caption: str

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("community:image", args=[obj.image.name])


class PracticeOut(Schema):
    id: int
    organisation_id: int
    title: str
    slug: str
    summary: str
    story: str
    links: str
    stem_field: str
    region: str
    status: str
    decision_reason: str
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    url: str
    results: list[ResultIO]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_results(obj) -> list:
        return list(obj.results.all())

    @staticmethod
    def resolve_photos(obj) -> list:
        return list(obj.photos.all())


class PracticeSummaryOut(Schema):
    id: int
    organisation_id: int
    title: str
    status: str
    submitted_at: dt.datetime | None


class DecisionIn(Schema):
    decision: str
    reason: str = ""


class ReviewQueueOut(Schema):
    organisations: list[OrganisationOut]
    practices: list[PracticeSummaryOut]
