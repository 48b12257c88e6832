import pytest
from django.urls import reverse

from stem4all.community import services
from stem4all.community.models import PartnerOrganisation, PartnerRepresentative
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

from .factories import PartnerOrganisationFactory, PartnerRepresentativeFactory, png_upload

FORM = {
    "name": "Example Robotics School",
    "kind": "company",
    "description": "Robotics for girls.",
    "website": "robotics.example.org",
    "links": "https://social.example.org/robotics",
    "contact_name": "Example Person",
    "contact_email": "robotics-contact@example.org",
}


@pytest.fixture
def organisation(partner, programme):
    organisation = PartnerOrganisationFactory(
        programme=programme, status=PartnerOrganisation.Status.PENDING
    )
    PartnerRepresentativeFactory(organisation=organisation, user=partner)
    return organisation


def test_a_partner_creates_her_organisation_and_becomes_its_representative(
    login, partner, programme
):
    client = login(partner)
    response = client.post(
        reverse("community:organisation_create"),
        {**FORM, "programme": programme.pk, "logo": png_upload("logo.png")},
    )

    organisation = PartnerOrganisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:organisation", args=[organisation.pk])
    assert organisation.status == PartnerOrganisation.Status.PENDING
    assert organisation.programme == programme
    assert organisation.website == "https://robotics.example.org"
    assert organisation.slug == "example-robotics-school"
    assert organisation.logo.name.startswith("community/logos/")
    assert len(organisation.logo.name.rsplit("/", 1)[1]) == len("0" * 32 + ".png")
    assert PartnerRepresentative.objects.filter(organisation=organisation, user=partner).exists()


def test_a_logo_that_is_not_an_image_is_refused_with_a_message(login, partner, programme):
    client = login(partner)
    fake = png_upload("logo.png")
    fake.file.seek(0)
    fake.file.write(b"not a picture at all")
    fake.file.truncate()
    fake.file.seek(0)
    fake.size = len(b"not a picture at all")

    response = client.post(
        reverse("community:organisation_create"), {**FORM, "programme": programme.pk, "logo": fake}
    )

    assert response.status_code == 400
    assert "not a JPEG, PNG or WebP image" in response.content.decode()
    assert not PartnerOrganisation.objects.exists()


def test_a_stranger_cannot_create_an_organisation(login, stranger, programme):
    client = login(stranger)
    response = client.post(reverse("community:organisation_create"), {**FORM})
    assert response.status_code == 302
    assert not PartnerOrganisation.objects.exists()
    with pytest.raises(services.CommunityError):
        services.create_partner_organisation(programme=programme, by=stranger, **FORM)


def test_a_mentee_or_a_partner_not_yet_accepted_cannot_create_one(mentee, programme, cohort):
    applicant = ParticipationFactory(
        cohort=cohort, role=Participation.Role.PARTNER, status=Participation.Status.APPLIED
    ).user
    for person in (mentee, applicant):
        with pytest.raises(services.CommunityError):
            services.create_partner_organisation(programme=programme, by=person, **FORM)


def test_a_partner_cannot_create_an_organisation_in_another_programme(partner, other_staff):
    other_programme = other_staff.participations.get().cohort.programme
    with pytest.raises(services.CommunityError):
        services.create_partner_organisation(programme=other_programme, by=partner, **FORM)


def test_the_representative_edits_her_organisation(login, partner, organisation):
    client = login(partner)
    response = client.post(
        reverse("community:organisation_edit", args=[organisation.pk]),
        {**FORM, "name": "Renamed Partner"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Renamed Partner"


def test_a_partner_cannot_open_or_edit_another_partners_organisation(login, partner, programme):
    other = PartnerOrganisationFactory(programme=programme)
    PartnerRepresentativeFactory(organisation=other)
    client = login(partner)

    for name in ("community:organisation", "community:organisation_edit"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    response = client.post(
        reverse("community:organisation_edit", args=[other.pk]), {**FORM, "name": "Hijacked"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "Hijacked"
    with pytest.raises(services.CommunityError):
        services.update_partner_organisation(organisation=other, by=partner, name="Hijacked")


def test_staff_see_the_contact_and_approve_the_organisation(login, staff, organisation):
    client = login(staff)
    assert organisation.name in client.get(reverse("community:review")).content.decode()
    page = client.get(reverse("community:review_organisation", args=[organisation.pk]))
    assert organisation.contact_email in page.content.decode()

    response = client.post(
        reverse("community:review_organisation", args=[organisation.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == PartnerOrganisation.Status.APPROVED
    assert organisation.decided_by == staff


def test_rejecting_needs_a_reason_and_the_partner_sees_it(login, staff, partner, organisation):
    client = login(staff)
    url = reverse("community:review_organisation", args=[organisation.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()

    client.post(url, {"decision": "reject", "reason": "The website does not open."})
    organisation.refresh_from_db()
    assert organisation.status == PartnerOrganisation.Status.REJECTED

    page = login(partner).get(reverse("community:organisation", args=[organisation.pk]))
    assert "The website does not open." in page.content.decode()


def test_editing_a_rejected_organisation_sends_it_back_for_review(partner, staff, organisation):
    services.decide_partner_organisation(
        organisation=organisation, by=staff, approve=False, reason="Incomplete."
    )
    services.update_partner_organisation(organisation=organisation, by=partner, name="Fixed")
    organisation.refresh_from_db()
    assert organisation.status == PartnerOrganisation.Status.PENDING


def test_staff_of_another_programme_cannot_review_or_approve(login, other_staff, organisation):
    client = login(other_staff)
    url = reverse("community:review_organisation", args=[organisation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    assert organisation.name not in client.get(reverse("community:review")).content.decode()
    with pytest.raises(services.CommunityError):
        services.decide_partner_organisation(
            organisation=organisation, by=other_staff, approve=True
        )
    organisation.refresh_from_db()
    assert organisation.status == PartnerOrganisation.Status.PENDING


def test_a_partner_cannot_approve_her_own_organisation(login, partner, organisation):
    client = login(partner)
    url = reverse("community:review_organisation", args=[organisation.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    organisation.refresh_from_db()
    assert organisation.status == PartnerOrganisation.Status.PENDING


def test_an_organisation_is_decided_only_once(staff, organisation):
    services.decide_partner_organisation(organisation=organisation, by=staff, approve=True)
    with pytest.raises(services.CommunityError, match="already been reviewed"):
        services.decide_partner_organisation(
            organisation=organisation, by=staff, approve=False, reason="Changed my mind."
        )


def test_my_organisations_lists_only_mine(login, partner, organisation, programme):
    PartnerOrganisationFactory(programme=programme, name="Someone Else's Partner")
    page = login(partner).get(reverse("community:my_organisations")).content.decode()
    assert organisation.name in page
    assert "Someone Else" not in page


def test_the_review_queue_is_for_staff_only(login, partner, mentee):
    for person in (partner, mentee):
        client = login(person)
        assert client.get(reverse("community:review")).status_code == 403
        assert client.get("/api/v1/community/review").status_code == 403
