from django.urls import reverse
from django.utils import timezone

from stem4all.recordings.demo import DEMO_LINK, seed_recordings
from stem4all.recordings.models import AccessCode, Recording


def test_the_demo_recording_opens_with_the_code_it_returns(client, cohort, staff):
    friendly = seed_recordings(cohort=cohort, staff=staff, today=timezone.localdate())
    recording = Recording.objects.get(cohort=cohort)
    assert recording.external_url == DEMO_LINK
    assert AccessCode.objects.filter(recording=recording).count() == 1
    assert client.post(reverse("recordings:enter_code"), {"code": friendly}).status_code == 302
    page = client.get(reverse("recordings:watch", args=[recording.pk]))
    assert DEMO_LINK in page.content.decode()
