"""Synthetic demo content of the community: three approved partner organisations with
four published practices (results in figures, banners drawn in code) and one practice
waiting for review. All names are invented. Idempotent: a second call finds the
organisations by slug and creates nothing."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from stem4all.core.uploads import random_name

from .models import PartnerOrganisation, PartnerRepresentative, Practice, PracticePhoto

K = PartnerOrganisation.Kind

ORGANISATIONS = [
    {
        "slug": "demo-tech-park-bishkek",
        "name": "Demo Tech Park Bishkek",
        "kind": K.COMPANY,
        "description": "A synthetic technology park hosting start-ups and coding schools.",
        "website": "https://tech-park.example.org",
        "contact_name": "Demo Contact One",
        "contact_email": "partner-contact-1@example.org",
        "colour": (38, 84, 160),
    },
    {
        "slug": "demo-mountain-university",
        "name": "Demo Mountain University",
        "kind": K.UNIVERSITY,
        "description": "An invented university with engineering and geology faculties.",
        "website": "https://mountain-university.example.org",
        "contact_name": "Demo Contact Two",
        "contact_email": "partner-contact-2@example.org",
        "colour": (22, 120, 90),
    },
    {
        "slug": "demo-girls-in-science-foundation",
        "name": "Demo Girls in Science Foundation",
        "kind": K.NGO,
        "description": "A fictional foundation running science clubs in the regions.",
        "website": "https://girls-in-science.example.org",
        "contact_name": "Demo Contact Three",
        "contact_email": "partner-contact-3@example.org",
        "colour": (150, 50, 110),
    },
]

PRACTICES = [
    # (organisation slug, slug, title, field, region, summary, results, status)
    (
        "demo-tech-park-bishkek",
        "demo-coding-summer-camp",
        "Coding summer camp for schoolgirls",
        "software",
        "bishkek",
        "Four weeks of web programming for girls aged 14 to 17, taught by women engineers.",
        [("Girls trained", "120", "people"), ("Finished a project", "87", "%")],
        Practice.Status.APPROVED,
    ),
    (
        "demo-tech-park-bishkek",
        "demo-returnship-for-women-engineers",
        "Returnship for women engineers",
        "data_science",
        "chui",
        "Paid three-month placements for women returning to tech after a career break.",
        [("Placements", "24", "women"), ("Hired afterwards", "17", "women")],
        Practice.Status.APPROVED,
    ),
    (
        "demo-mountain-university",
        "demo-geology-field-school",
        "Geology field school in Naryn",
        "geology",
        "naryn",
        "A week of field work in the mountains for first-year women students.",
        [("Students", "35", "people"), ("Rock samples mapped", "410", "")],
        Practice.Status.APPROVED,
    ),
    (
        "demo-girls-in-science-foundation",
        "demo-village-science-clubs",
        "Science clubs in village schools",
        "physics",
        "issyk_kul",
        "Weekly experiments clubs run by trained teachers in twelve village schools.",
        [("Schools", "12", ""), ("Club members", "260", "girls"), ("Teachers trained", "18", "")],
        Practice.Status.APPROVED,
    ),
    (
        "demo-girls-in-science-foundation",
        "demo-solar-lamp-workshops",
        "Solar lamp workshops",
        "energy",
        "batken",
        "Girls build and repair solar lamps for their families.",
        [("Lamps built", "150", "")],
        Practice.Status.SUBMITTED,
    ),
]

STORY = (
    "This is a synthetic story written for the demo.\n\n"
    "The partner designed the activity with the programme's mentors, ran it with "
    "volunteers and measured what changed for the participants."
)


def banner_png(colour: tuple[int, int, int], *, size=(1200, 400)) -> bytes:
    """A solid-colour banner with a lighter stripe, drawn in code (no downloads)."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 70) for c in colour)
    draw.rectangle([0, size[1] * 2 // 3, size[0], size[1] * 2 // 3 + 24], fill=light)
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def _image(folder: str, colour, size) -> ContentFile:
    content = ContentFile(banner_png(colour, size=size))
    content.name = posixpath.basename(random_name(folder, "png"))
    return content


@transaction.atomic
def seed_community(*, programme, staff, partner_user, today: dt.date) -> dict[str, int]:
    """Create the demo partners and practices; ``partner_user`` represents the first."""
    created = {"organisations": 0, "practices": 0}
    decided_at = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    organisations = {}
    for spec in ORGANISATIONS:
        values = {k: v for k, v in spec.items() if k not in ("slug", "colour")}
        organisation, is_new = PartnerOrganisation.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                **values,
                "programme": programme,
                "status": PartnerOrganisation.Status.APPROVED,
                "decided_by": staff,
                "decided_at": decided_at,
            },
        )
        if is_new:
            logo = _image("community/logos", spec["colour"], (240, 240))
            organisation.logo.save(logo.name, logo, save=True)
            created["organisations"] += 1
        organisations[spec["slug"]] = (organisation, spec["colour"])
    first = organisations[ORGANISATIONS[0]["slug"]][0]
    PartnerRepresentative.objects.get_or_create(organisation=first, user=partner_user)

    for days_ago, row in enumerate(PRACTICES):
        org_slug, slug, title, field, region, summary, results, status = row
        organisation, colour = organisations[org_slug]
        published = status == Practice.Status.APPROVED
        practice, is_new = Practice.objects.get_or_create(
            slug=slug,
            defaults={
                "organisation": organisation,
                "title": title,
                "summary": summary,
                "story": STORY,
                "stem_field": field,
                "region": region,
                "status": status,
                "submitted_at": decided_at - dt.timedelta(days=days_ago + 3),
                "decided_by": staff if published else None,
                "decided_at": decided_at - dt.timedelta(days=days_ago) if published else None,
                "published_at": decided_at - dt.timedelta(days=days_ago) if published else None,
            },
        )
        if not is_new:
            continue
        created["practices"] += 1
        practice.results.bulk_create(
            [
                practice.results.model(
                    practice=practice, label=label, number=Decimal(number), unit=unit, position=i
                )
                for i, (label, number, unit) in enumerate(results)
            ]
        )
        photo = PracticePhoto(
            practice=practice,
            alt_text=f"Banner of the practice {title}",
            caption="Illustration generated for the demo",
        )
        image = _image("community/photos", colour, (1200, 400))
        photo.image.save(image.name, image, save=True)
    return created
