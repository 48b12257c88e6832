import pytest
from django.urls import reverse

from stem4all.community import services
from stem4all.community.models import PartnerOrganisation, Practice, PracticePhoto

from .factories import (
    PartnerOrganisationFactory,
    PartnerRepresentativeFactory,
    PracticeFactory,
    png_upload,
)

PRACTICE = {
    "title": "Robotics club for girls",
    "summary": "Weekly robotics club.",
    "story": "We started with ten girls and a box of motors.",
    "links": "",
    "stem_field": "electronics",
    "region": "osh",
    "results-TOTAL_FORMS": "3",
    "results-INITIAL_FORMS": "0",
    "results-0-label": "Girls trained",
    "results-0-number": "40",
    "results-0-unit": "people",
    "results-1-label": "Robots built",
    "results-1-number": "12.5",
    "results-1-unit": "",
    "results-2-label": "",
    "results-2-number": "",
    "results-2-unit": "",
}


@pytest.fixture
def organisation(partner, programme):
    organisation = PartnerOrganisationFactory(programme=programme)
    PartnerRepresentativeFactory(organisation=organisation, user=partner)
    return organisation


@pytest.fixture
def draft(organisation):
    return PracticeFactory(
        organisation=organisation, status=Practice.Status.DRAFT, published_at=None
    )


def test_a_representative_writes_a_practice_with_results_in_figures(login, partner, organisation):
    client = login(partner)
    response = client.post(reverse("community:practice_create", args=[organisation.pk]), PRACTICE)

    practice = Practice.objects.get()
    assert response.status_code == 302
    assert practice.status == Practice.Status.DRAFT
    assert practice.slug == "robotics-club-for-girls"
    assert [(r.label, r.display_number, r.unit) for r in practice.results.all()] == [
        ("Girls trained", "40", "people"),
        ("Robots built", "12.5", ""),
    ]
    assert client.get(reverse("community:practice_edit", args=[practice.pk])).status_code == 200


def test_a_result_without_a_number_is_refused_with_a_message(login, partner, organisation):
    client = login(partner)
    data = {**PRACTICE, "results-0-number": ""}
    response = client.post(reverse("community:practice_create", args=[organisation.pk]), data)
    assert response.status_code == 400
    assert "Give the number" in response.content.decode()
    assert not Practice.objects.exists()


def test_editing_keeps_the_public_address(login, partner, draft):
    slug = draft.slug
    client = login(partner)
    client.post(
        reverse("community:practice_edit", args=[draft.pk]), {**PRACTICE, "title": "New title"}
    )
    draft.refresh_from_db()
    assert draft.title == "New title"
    assert draft.slug == slug
    assert draft.get_absolute_url() == f"/community/practices/{slug}/"
    assert str(draft) == f"New title — {draft.organisation.name}"


def test_a_photo_needs_an_alt_text_and_loses_its_metadata(login, partner, draft):
    client = login(partner)
    url = reverse("community:practice_photo_add", args=[draft.pk])
    response = client.post(url, {"image": png_upload(), "alt_text": ""})
    assert response.status_code == 400
    assert not PracticePhoto.objects.exists()

    response = client.post(url, {"image": png_upload(), "alt_text": "Girls soldering"})
    assert response.status_code == 302
    photo = PracticePhoto.objects.get()
    assert photo.image.name.startswith("community/photos/")
    assert photo.alt_text == "Girls soldering"


def test_a_representative_removes_a_photo(login, partner, draft):
    photo = services.add_practice_photo(
        practice=draft, by=partner, image=_clean_png(), alt_text="A photo"
    )
    client = login(partner)
    client.post(reverse("community:practice_photo_remove", args=[draft.pk, photo.pk]))
    assert not PracticePhoto.objects.exists()


def _clean_png():
    from stem4all.core.uploads import validate_image

    return validate_image(png_upload(), folder="community/photos")


def test_submitting_locks_the_practice_until_review(login, partner, draft):
    client = login(partner)
    client.post(reverse("community:practice_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Practice.Status.SUBMITTED

    client.post(reverse("community:practice_edit", args=[draft.pk]), PRACTICE)
    draft.refresh_from_db()
    assert draft.title != PRACTICE["title"]
    with pytest.raises(services.CommunityError):
        services.update_practice(practice=draft, by=partner, title="Sneaky")


def test_staff_approve_a_submitted_practice_and_it_is_published(login, staff, partner, draft):
    services.submit_practice(practice=draft, by=partner)
    client = login(staff)
    assert draft.title in client.get(reverse("community:review")).content.decode()
    url = reverse("community:review_practice", args=[draft.pk])
    assert client.get(url).status_code == 200

    client.post(url, {"decision": "approve"})

    draft.refresh_from_db()
    assert draft.status == Practice.Status.APPROVED
    assert draft.published_at is not None
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_staff_reject_with_a_reason_and_the_partner_can_rework_it(login, staff, partner, draft):
    services.submit_practice(practice=draft, by=partner)
    url = reverse("community:review_practice", args=[draft.pk])
    client = login(staff)
    assert client.post(url, {"decision": "reject"}).status_code == 400
    client.post(url, {"decision": "reject", "reason": "Add the results in figures."})
    draft.refresh_from_db()
    assert draft.status == Practice.Status.REJECTED

    page = login(partner).get(reverse("community:practice_edit", args=[draft.pk]))
    assert "Add the results in figures." in page.content.decode()
    services.update_practice(practice=draft, by=partner, title="Reworked")
    draft.refresh_from_db()
    assert draft.status == Practice.Status.DRAFT


def test_a_practice_of_an_unapproved_organisation_cannot_be_approved(staff, partner, draft):
    PartnerOrganisation.objects.filter(pk=draft.organisation_id).update(
        status=PartnerOrganisation.Status.PENDING
    )
    services.submit_practice(practice=draft, by=partner)
    with pytest.raises(services.CommunityError, match="organisation"):
        services.decide_practice(practice=draft, by=staff, approve=True)


def test_staff_of_another_programme_cannot_approve_a_practice(login, other_staff, partner, draft):
    services.submit_practice(practice=draft, by=partner)
    client = login(other_staff)
    url = reverse("community:review_practice", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    with pytest.raises(services.CommunityError):
        services.decide_practice(practice=draft, by=other_staff, approve=True)
    draft.refresh_from_db()
    assert draft.status == Practice.Status.SUBMITTED


def test_a_draft_cannot_be_approved_without_being_submitted(staff, draft):
    with pytest.raises(services.CommunityError, match="not waiting"):
        services.decide_practice(practice=draft, by=staff, approve=True)


def test_another_partner_cannot_touch_the_practice(login, draft, programme):
    outsider = PartnerRepresentativeFactory(
        organisation=PartnerOrganisationFactory(programme=programme)
    ).user
    client = login(outsider)
    assert client.get(reverse("community:practice_edit", args=[draft.pk])).status_code == 404
    for name in ("community:practice_submit", "community:practice_delete"):
        assert client.post(reverse(name, args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("community:practice_create", args=[draft.organisation_id]), PRACTICE
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == Practice.Status.DRAFT


def test_a_representative_deletes_a_draft_but_not_a_published_practice(login, partner, draft):
    published = PracticeFactory(organisation=draft.organisation)
    client = login(partner)
    client.post(reverse("community:practice_delete", args=[draft.pk]))
    client.post(reverse("community:practice_delete", args=[published.pk]))
    assert list(Practice.objects.all()) == [published]


def test_the_draft_photo_is_served_to_the_representative_but_not_to_the_public(
    login, partner, draft, client
):
    photo = services.add_practice_photo(
        practice=draft, by=partner, image=_clean_png(), alt_text="A photo"
    )
    url = reverse("community:image", args=[photo.image.name])
    assert client.get(url).status_code == 404

    response = login(partner).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
