import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from stem4all.accounts.tests.factories import UserFactory
from stem4all.community.models import (
    PartnerOrganisation,
    PartnerRepresentative,
    Practice,
    PracticePhoto,
    PracticeResult,
)
from stem4all.programmes.tests.factories import ProgrammeFactory


def png_upload(name="photo.png", size=(60, 40), colour=(10, 120, 200)):
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "PNG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/png")


class PartnerOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Example Partner {n}")
    slug = factory.Sequence(lambda n: f"example-partner-{n}")
    kind = PartnerOrganisation.Kind.COMPANY
    description = "A synthetic partner organisation."
    contact_name = "Example Contact"
    contact_email = factory.Sequence(lambda n: f"secret-contact-{n}@example.org")
    status = PartnerOrganisation.Status.APPROVED


class PartnerRepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerRepresentative

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    user = factory.SubFactory(UserFactory)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    organisation = factory.SubFactory(PartnerOrganisationFactory)
    title = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    summary = "What the partner did."
    story = "The story of the practice."
    stem_field = "software"
    region = "bishkek"
    status = Practice.Status.APPROVED
    published_at = factory.LazyFunction(timezone.now)


class PracticeResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeResult

    practice = factory.SubFactory(PracticeFactory)
    label = "Girls trained"
    number = Decimal("120")
    unit = "people"


class PracticePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticePhoto

    practice = factory.SubFactory(PracticeFactory)
    image = factory.django.ImageField(filename="0123456789abcdef0123456789abcdef.png")
    alt_text = "Girls at a workbench"
