import datetime as dt

from django.urls import reverse

from stem4all.community.demo import seed_community
from stem4all.community.models import PartnerOrganisation, Practice, PracticePhoto


def test_the_demo_seeds_approved_partners_and_practices_once(client, programme, staff, partner):
    today = dt.date(2026, 3, 1)
    created = seed_community(programme=programme, staff=staff, partner_user=partner, today=today)
    again = seed_community(programme=programme, staff=staff, partner_user=partner, today=today)

    assert created == {"organisations": 3, "practices": 5}
    assert again == {"organisations": 0, "practices": 0}
    assert PartnerOrganisation.objects.filter(status="approved").count() == 3
    assert Practice.objects.filter(status=Practice.Status.APPROVED).count() == 4
    assert Practice.objects.filter(status=Practice.Status.SUBMITTED).count() == 1
    assert PracticePhoto.objects.count() == 5
    assert all(p.results.exists() for p in Practice.objects.all())
    assert partner.partner_representations.get().organisation.name == "Demo Tech Park Bishkek"

    gallery = client.get(reverse("community:gallery")).content.decode()
    assert gallery.count('class="card"') == 4
    assert "partner-contact-1@example.org" not in gallery
    photo = PracticePhoto.objects.filter(practice__status="approved").first()
    assert client.get(reverse("community:image", args=[photo.image.name])).status_code == 200
