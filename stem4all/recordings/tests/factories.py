import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from stem4all.programmes.tests.factories import CohortFactory
from stem4all.recordings.models import Recording

# An MP4 starts with a box whose type, at offset 4, is 'ftyp'.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4  # 1036 bytes
WEBM_BYTES = b"\x1a\x45\xdf\xa3" + b"\x00" * 60


class RecordingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recording

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    description = "A recorded session of the cohort."
    external_url = "https://video.example.org/session"
    available_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    available_until = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=29))


class FileRecordingFactory(RecordingFactory):
    external_url = ""
    content_type = "video/mp4"
    file = factory.LazyFunction(lambda: ContentFile(MP4_BYTES, name="session.mp4"))
