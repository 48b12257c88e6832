import io

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from pypdf import PdfReader

from stem4all.accounts.models import StaffAccessLog
from stem4all.closure import services
from stem4all.closure.models import Certificate
from stem4all.closure.tests.factories import CertificateFactory, ended_pair
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.mentorships import services as mentorship_services

KYRGYZ_NAME = "Өмүрбүбү Таңатарова"


@pytest.fixture
def completed(cohort, mentee, mentor):
    return ended_pair(cohort, mentee, mentor)


def page_url(mentorship):
    return reverse("closure:certificate", args=[mentorship.pk])


def pdf_url(mentorship):
    return reverse("closure:certificate_pdf", args=[mentorship.pk])


def verify_url(code):
    return reverse("closure:verify", args=[code])


def test_completing_a_mentorship_issues_one_certificate_with_a_snapshot(
    mentee, mentor, cohort, django_capture_on_commit_callbacks
):
    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.complete_mentorship(mentorship=pair, by=mentee)
    certificate = Certificate.objects.get()
    assert (certificate.mentee, certificate.mentorship) == (mentee, pair)
    assert certificate.mentee_name == "Aizada Testova"
    assert certificate.mentor_name == "Elena Testmentor"
    assert certificate.cohort_name == cohort.name
    assert certificate.programme_name == "STEM4ALL Test Programme"
    assert len(certificate.code) >= 22  # 16 random bytes, URL-safe
    mentee.full_name = "Renamed Later"
    mentee.save()
    certificate.refresh_from_db()
    assert certificate.mentee_name == "Aizada Testova"


def test_issuing_twice_keeps_one_certificate(completed):
    first = services.issue_certificate(mentorship=completed)
    second = services.issue_certificate(mentorship=completed)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_no_certificate_for_an_early_end_or_an_active_mentorship(cohort, mentee, mentor, login):
    early = ended_pair(cohort, mentee, mentor, status="ended_early")
    with pytest.raises(services.ClosureError):
        services.issue_certificate(mentorship=early)
    active = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    with pytest.raises(services.ClosureError):
        services.issue_certificate(mentorship=active)
    client = login(mentee)
    page = client.get(page_url(early)).content.decode()
    assert "A certificate is issued when a mentorship is completed as planned." in page
    assert client.get(pdf_url(early)).status_code == 404
    assert not Certificate.objects.exists()


def test_codes_are_unique_and_random(db):
    codes = {CertificateFactory().code for _ in range(5)}
    assert len(codes) == 5


def test_the_mentee_sees_her_certificate_page_with_the_download_link(login, mentee, completed):
    response = login(mentee).get(page_url(completed))
    assert response.status_code == 200
    certificate = Certificate.objects.get()
    page = response.content.decode()
    assert pdf_url(completed) in page
    assert verify_url(certificate.code) in page
    assert "Revoke the certificate" not in page


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_prints_her_kyrgyz_name_and_the_verification_address(
    login, mentee, completed, cohort
):
    mentee.full_name = KYRGYZ_NAME
    mentee.save()
    cohort.programme.organisers = "Test Partner University\nTest Tech Hub"
    cohort.programme.save()
    response = login(mentee).get(pdf_url(completed))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.code}.pdf"'
    )
    text = pdf_text(response.content)
    assert KYRGYZ_NAME in text
    assert "http://testserver" + verify_url(certificate.code) in text.replace("\n", "")
    assert "Elena Testmentor" in text
    assert cohort.name in text
    assert "Test Partner University" in text
    assert "Certificate of completion" in text


def test_the_pdf_page_is_not_blank_where_the_name_is(login, mentee, completed):
    mentee.full_name = KYRGYZ_NAME
    mentee.save()
    content = login(mentee).get(pdf_url(completed)).content
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=1).to_pil().convert("L")
    width, height = image.size
    # The name is printed in large type across the middle of the page.
    band = image.crop((int(width * 0.2), int(height * 0.33), int(width * 0.8), int(height * 0.55)))
    dark = sum(band.histogram()[:100])
    assert dark > 500
    document.close()


def test_the_pdf_is_in_the_mentees_language(login, mentee, completed):
    mentee.preferred_language = "ru"
    mentee.save()
    certificate = services.issue_certificate(mentorship=completed)
    with translation.override("ru"):
        title = translation.gettext("Certificate of completion")
        date = date_format(certificate.completed_on, "DATE_FORMAT")
    text = pdf_text(login(mentee).get(pdf_url(completed)).content)
    assert title in text
    assert date in text  # Russian month names


@pytest.mark.parametrize("who", ["mentor", "stranger", "other_staff"])
def test_only_the_mentee_and_staff_download_the_pdf(request, login, completed, who):
    services.issue_certificate(mentorship=completed)
    client = login(request.getfixturevalue(who))
    assert client.get(pdf_url(completed)).status_code == 404
    assert client.get(page_url(completed)).status_code == 404


def test_staff_download_the_pdf_and_their_access_is_recorded(login, staff, mentee, completed):
    response = login(staff).get(pdf_url(completed))
    assert response.status_code == 200
    assert StaffAccessLog.objects.filter(staff=staff, subject=mentee).exists()


# ---------------------------------------------------------------- verification


def test_the_verify_page_is_public_and_shows_only_name_cohort_and_date(client, completed, mentee):
    certificate = services.issue_certificate(mentorship=completed)
    response = client.get(verify_url(certificate.code))  # not signed in
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate is valid." in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert certificate.mentee_name in page and certificate.cohort_name in page
    assert mentee.email not in page
    assert "Elena Testmentor" not in page
    assert mentee.date_of_birth.isoformat() not in page
    assert str(mentee.date_of_birth.year) not in page


def test_the_printed_code_with_spaces_verifies_too(client, completed):
    certificate = services.issue_certificate(mentorship=completed)
    response = client.get(verify_url(certificate.display_code))
    assert response.status_code == 200


def test_an_unknown_code_gets_the_same_page_with_404(client, db):
    response = client.get(verify_url("not-a-real-code"))
    assert response.status_code == 404
    assert "No valid certificate has this code." in response.content.decode()


def test_staff_revoke_a_certificate_and_it_stops_verifying(login, staff, mentee, completed, client):
    certificate = services.issue_certificate(mentorship=completed)
    staff_client = login(staff)
    revoke = reverse("closure:revoke_certificate", args=[completed.pk])
    refused = staff_client.post(revoke, {"reason": " "})
    assert "Say why the certificate is revoked." in refused.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    response = staff_client.post(revoke, {"reason": "Issued by mistake"}, follow=True)
    assert "The certificate is revoked." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_by == staff
    client.logout()
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 404
    assert "No valid certificate has this code." in response.content.decode()
    assert login(mentee).get(pdf_url(completed)).status_code == 404
    with pytest.raises(services.ClosureError):
        services.revoke_certificate(certificate=certificate, by=staff, reason="Again")


def test_the_mentee_and_other_staff_may_not_revoke(login, mentee, other_staff, completed):
    certificate = services.issue_certificate(mentorship=completed)
    revoke = reverse("closure:revoke_certificate", args=[completed.pk])
    login(mentee).post(revoke, {"reason": "I want to"})
    assert login(other_staff).post(revoke, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert not certificate.is_revoked


# ---------------------------------------------------------------- API


def test_the_api_gives_the_mentee_her_certificate_and_hides_it_from_her_mentor(
    login, mentee, mentor, completed
):
    response = login(mentee).get(f"/api/v1/mentorships/{completed.pk}/certificate")
    assert response.status_code == 200
    data = response.json()
    assert data["mentee_name"] == "Aizada Testova"
    assert data["verify_url"].endswith(verify_url(data["code"]))
    assert login(mentor).get(f"/api/v1/mentorships/{completed.pk}/certificate").status_code == 404
