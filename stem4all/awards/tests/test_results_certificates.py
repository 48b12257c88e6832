"""Winners' certificates: who may download the PDF, what it says (Kyrgyz letters
included), and the public check page that shows only the name, category, edition and
year."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import Category, Phase, Result
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.awards.tests.test_results import score
from stem4all.community.tests.factories import (
    PartnerOrganisationFactory,
    PartnerRepresentativeFactory,
    PracticeFactory,
)

KYRGYZ_NAME = "Айгүл Өмүрбекова"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def win(edition, **nomination):
    """Publish ``edition`` with one scored nomination, the winner; its result."""
    category = CategoryFactory(edition=edition, name="Mentor of the year")
    criterion = JuryCriterionFactory(category=category)
    winner = NominationFactory(category=category, **nomination)
    NominationFactory(category=category)
    score(winner, UserFactory(), {criterion: 9})
    return category, winner


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.BEFORE_RESULTS, name="Award 2026")


@pytest.fixture
def published(edition, mentee, staff):
    mentee.full_name = KYRGYZ_NAME
    mentee.save()
    category, winner = win(edition, nominee_user=mentee)
    services.publish_results(edition=edition, by=staff)
    return Result.objects.get(nomination=winner)


def test_the_winner_downloads_her_certificate_with_her_name_in_kyrgyz(login, mentee, published):
    response = login(mentee).get(reverse("awards:certificate", args=[published.certificate_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert KYRGYZ_NAME in text
    assert "Mentor of the year" in text
    assert "Award 2026" in text and "2026" in text
    verify = reverse("awards:verify", args=[published.certificate_code])
    assert "http://testserver" + verify in text.replace("\n", "")


def test_award_staff_download_it_and_nobody_else_does(
    login, published, staff, other_staff, mentor, stranger
):
    url = reverse("awards:certificate", args=[published.certificate_code])
    assert login(staff).get(url).status_code == 200
    for person in (other_staff, mentor, stranger):
        assert login(person).get(url).status_code == 404


def test_a_wrong_code_or_a_loser_has_no_certificate(login, mentee, published):
    client = login(mentee)
    assert client.get(reverse("awards:certificate", args=["nope"])).status_code == 404
    loser = Result.objects.exclude(pk=published.pk).get()
    assert loser.certificate_code == ""


def test_a_representative_of_the_winning_organisation_downloads_its_certificate(
    login, edition, staff, stranger, programme
):
    organisation = PartnerOrganisationFactory(programme=programme, name="Kyrgyz Code School")
    representative = PartnerRepresentativeFactory(organisation=organisation).user
    _category, winner = win(
        edition, nominee_user=None, nominee_organisation=organisation, nominee_consented_at=None
    )
    Category.objects.filter(pk=winner.category_id).update(nominee_kind="organisation")
    services.publish_results(edition=edition, by=staff)
    code = Result.objects.get(nomination=winner).certificate_code
    url = reverse("awards:certificate", args=[code])
    response = login(representative).get(url)
    assert response.status_code == 200
    assert "Kyrgyz Code School" in pdf_text(response.content)
    assert login(stranger).get(url).status_code == 404


def test_the_organisation_behind_a_winning_practice_downloads_its_certificate(
    login, edition, staff, programme
):
    practice = PracticeFactory(organisation__programme=programme, title="Girls Who Solder")
    representative = PartnerRepresentativeFactory(organisation=practice.organisation).user
    _category, winner = win(
        edition, nominee_user=None, nominee_practice=practice, nominee_consented_at=None
    )
    services.publish_results(edition=edition, by=staff)
    code = Result.objects.get(nomination=winner).certificate_code
    response = login(representative).get(reverse("awards:certificate", args=[code]))
    assert response.status_code == 200
    assert "Girls Who Solder" in pdf_text(response.content)


def test_anyone_checks_a_certificate_and_sees_only_name_category_edition_and_year(
    client, published, mentee
):
    response = client.get(reverse("awards:verify", args=[published.certificate_code]))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    for shown in (KYRGYZ_NAME, "Mentor of the year", "Award 2026", "2026"):
        assert shown in page
    assert mentee.email not in page
    assert "90.00" not in page


def test_checking_a_wrong_code_says_so(client, published):
    response = client.get(reverse("awards:verify", args=["abcdef"]))
    assert response.status_code == 404
    assert "No award certificate has this code." in response.content.decode()


def test_the_check_page_hides_the_name_of_a_minor_without_guardian_consent(
    client, edition, staff, minor_mentee
):
    from django.utils import timezone

    from stem4all.accounts.models import GuardianConsent

    _category, winner = win(edition, nominee_user=minor_mentee)
    services.publish_results(edition=edition, by=staff)
    GuardianConsent.objects.filter(mentee=minor_mentee).update(revoked_at=timezone.now())
    code = Result.objects.get(nomination=winner).certificate_code
    response = client.get(reverse("awards:verify", args=[code]))
    assert response.status_code == 200
    assert minor_mentee.full_name not in response.content.decode()
