import io

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from stem4all.learning import services
from stem4all.learning.models import AttendanceCertificate, Registration

from .factories import RegistrationFactory, TrainingFactory

pytestmark = pytest.mark.django_db

KYRGYZ_NAME = "Өмүрбүбү Саңкыбаева"


def _attend(user, programme, n):
    for _i in range(n):
        RegistrationFactory(
            user=user,
            training=TrainingFactory(programme=programme),
            status=Registration.Status.REGISTERED,
            attended=True,
            attended_at=timezone.now(),
        )


def test_a_certificate_needs_three_attended_trainings_by_default(mentee, programme):
    _attend(mentee, programme, 2)
    with pytest.raises(services.LearningError, match="needs 3 attended trainings; you have 2"):
        services.issue_attendance_certificate(user=mentee, programme=programme)
    _attend(mentee, programme, 1)
    certificate = services.issue_attendance_certificate(user=mentee, programme=programme)
    assert certificate.trainings_count == 3 and certificate.name == mentee.full_name
    assert len(certificate.code) >= 26  # at least 128 random bits in base32
    again = services.issue_attendance_certificate(user=mentee, programme=programme)
    assert again.pk == certificate.pk


def test_the_threshold_is_a_setting(mentee, programme, settings):
    settings.STEM4ALL_ATTENDANCE_CERTIFICATE_TRAININGS = 1
    _attend(mentee, programme, 1)
    assert services.issue_attendance_certificate(user=mentee, programme=programme)


def test_waitlisted_or_unattended_trainings_do_not_count(mentee, programme):
    for status, attended in (("waitlisted", False), ("registered", False), ("cancelled", False)):
        RegistrationFactory(
            user=mentee,
            training=TrainingFactory(programme=programme),
            status=status,
            attended=attended,
        )
    assert services.attended_count(mentee, programme) == 0


def test_the_pdf_prints_a_kyrgyz_name_and_is_not_blank(login, mentee, programme):
    mentee.full_name = KYRGYZ_NAME
    mentee.save()
    _attend(mentee, programme, 3)
    client = login(mentee)
    client.post(reverse("learning:certificate_issue", args=[programme.pk]))
    certificate = AttendanceCertificate.objects.get(user=mentee)
    response = client.get(reverse("learning:certificate_pdf", args=[certificate.code]))
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert KYRGYZ_NAME in text
    assert "Certificate of attendance" in text and certificate.code[:4] in text
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=1).to_pil().convert("L")
    width, height = image.size
    band = image.crop((int(width * 0.2), int(height * 0.33), int(width * 0.8), int(height * 0.55)))
    assert sum(band.histogram()[:100]) > 500
    document.close()


def test_the_public_page_verifies_a_code_without_sign_in(client, mentee, programme):
    _attend(mentee, programme, 3)
    certificate = services.issue_attendance_certificate(user=mentee, programme=programme)
    url = reverse("learning:verify_attendance", args=[certificate.code])
    response = client.get(url)
    assert response.status_code == 200 and mentee.full_name in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    services.revoke_attendance_certificate(certificate=certificate, by=mentee)
    assert client.get(url).status_code == 404
    assert client.get(reverse("learning:verify_attendance", args=["nope"])).status_code == 404


def test_nobody_else_downloads_her_certificate(login, mentee, stranger, other_staff, programme):
    _attend(mentee, programme, 3)
    certificate = services.issue_attendance_certificate(user=mentee, programme=programme)
    url = reverse("learning:certificate_pdf", args=[certificate.code])
    for person in (stranger, other_staff):
        assert login(person).get(url).status_code == 404


def test_a_stranger_cannot_ask_for_a_programmes_certificate(login, stranger, programme):
    response = login(stranger).post(reverse("learning:certificate_issue", args=[programme.pk]))
    assert response.status_code == 404


def test_the_certificates_page_shows_progress(login, mentee, programme):
    _attend(mentee, programme, 1)
    page = login(mentee).get(reverse("learning:certificates")).content.decode()
    assert "You attended 1 trainings; the certificate needs 3." in page
