import pytest
from django.urls import reverse

from stem4all.community.models import PartnerOrganisation, Practice

from .factories import (
    PartnerOrganisationFactory,
    PracticeFactory,
    PracticePhotoFactory,
    PracticeResultFactory,
)

Status = Practice.Status


@pytest.fixture
def approved_org(programme):
    return PartnerOrganisationFactory(
        programme=programme, name="Example University", kind=PartnerOrganisation.Kind.UNIVERSITY
    )


def test_the_gallery_is_public_and_shows_only_approved_practices(client, approved_org):
    PracticeFactory(organisation=approved_org, title="Published practice")
    for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED):
        PracticeFactory(organisation=approved_org, title=f"Hidden {status}", status=status)
    pending = PartnerOrganisationFactory(status=PartnerOrganisation.Status.PENDING)
    PracticeFactory(organisation=pending, title="Approved but of a pending partner")

    page = client.get(reverse("community:gallery"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Published practice" in html
    assert "Hidden" not in html
    assert "pending partner" not in html


def test_public_pages_never_show_the_contact_email(client, approved_org):
    practice = PracticeFactory(organisation=approved_org)
    PracticeResultFactory(practice=practice)
    pages = [
        reverse("community:gallery"),
        practice.get_absolute_url(),
        reverse("community:partners"),
        approved_org.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert approved_org.contact_email not in html
        assert approved_org.contact_name not in html


def test_the_practice_page_shows_results_in_figures_and_photos(client, approved_org):
    practice = PracticeFactory(organisation=approved_org, title="Coding camp")
    PracticeResultFactory(practice=practice, label="Girls trained", number=120, unit="people")
    photo = PracticePhotoFactory(practice=practice, alt_text="Girls at laptops")

    html = client.get(practice.get_absolute_url()).content.decode()

    assert "Girls trained" in html
    assert "120 people" in html
    assert 'alt="Girls at laptops"' in html
    image = client.get(reverse("community:image", args=[photo.image.name]))
    assert image.status_code == 200
    assert image["Cache-Control"].startswith("public")


def test_unpublished_practices_and_partners_answer_404_to_the_public(client, programme):
    pending = PartnerOrganisationFactory(status=PartnerOrganisation.Status.PENDING)
    draft = PracticeFactory(status=Status.DRAFT)
    photo = PracticePhotoFactory(practice=draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(reverse("community:image", args=[photo.image.name])).status_code == 404
    assert client.get(reverse("community:image", args=["../../etc/passwd"])).status_code == 404
    assert pending.name not in client.get(reverse("community:partners")).content.decode()


def test_the_gallery_filters_by_kind_field_and_region(client, approved_org):
    company = PartnerOrganisationFactory(kind=PartnerOrganisation.Kind.COMPANY)
    PracticeFactory(
        organisation=approved_org, title="Uni physics Naryn", stem_field="physics", region="naryn"
    )
    PracticeFactory(organisation=approved_org, title="Uni software Bishkek")
    PracticeFactory(
        organisation=company, title="Company physics Naryn", stem_field="physics", region="naryn"
    )
    url = reverse("community:gallery")

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {
            t
            for t in ("Uni physics Naryn", "Uni software Bishkek", "Company physics Naryn")
            if t in html
        }

    assert titles(kind="university") == {"Uni physics Naryn", "Uni software Bishkek"}
    assert titles(field="physics") == {"Uni physics Naryn", "Company physics Naryn"}
    assert titles(kind="university", region="naryn") == {"Uni physics Naryn"}
    assert titles(region="batken") == set()
    # An unknown value is ignored rather than failing the page.
    assert client.get(url, {"kind": "spaceship"}).status_code == 200


def test_the_gallery_is_paginated_with_a_bounded_number_of_queries(
    client, approved_org, django_assert_max_num_queries
):
    for n in range(30):
        practice = PracticeFactory(organisation=approved_org, title=f"Practice number {n}")
        PracticePhotoFactory(practice=practice)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("community:gallery"))
    with django_assert_max_num_queries(6):
        second = client.get(reverse("community:gallery"), {"page": 2})
    assert first.content.decode().count('class="card"') == 12
    assert second.status_code == 200


def test_the_partner_list_uses_a_bounded_number_of_queries(
    client, programme, django_assert_max_num_queries
):
    for _ in range(20):
        PracticeFactory(organisation=PartnerOrganisationFactory(programme=programme))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("community:partners"))
    assert response.status_code == 200


def test_the_review_queue_uses_a_bounded_number_of_queries(
    login, staff, programme, django_assert_max_num_queries
):
    for _ in range(10):
        org = PartnerOrganisationFactory(
            programme=programme, status=PartnerOrganisation.Status.PENDING
        )
        PracticeFactory(organisation=org, status=Status.SUBMITTED)
    client = login(staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("community:review"))
    assert response.content.decode().count("/community/review/practices/") == 10


def test_the_landing_page_links_to_the_gallery(client, cohort):
    assert reverse("community:gallery") in client.get("/").content.decode()
