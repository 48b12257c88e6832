"""The donor report: asked for by the programme's staff, made in the background (the
immediate task backend here), a PDF whose text holds the cohort's figures in the chosen
language, "not shown" for small cells, and nobody's name or contact."""

import datetime as dt
import io
import itertools
import re
from decimal import Decimal

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from stem4all.accounts.geography import Region
from stem4all.accounts.tests.factories import UserFactory
from stem4all.closure.tests.factories import CertificateFactory
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory
from stem4all.reports import pdf as donor_pdf
from stem4all.reports import queries, services, tasks
from stem4all.reports.models import DonorReport
from stem4all.roadmaps.models import Roadmap, RoadmapStep

DAY = dt.timedelta(days=1)
KYRGYZ_COHORT = "Когорта Өнүгүү Ңамыс"
NUMBERS = itertools.count(1)


def person(cohort, role, region=Region.NARYN, status=Participation.Status.ACCEPTED):
    number = next(NUMBERS)
    user = UserFactory(
        full_name=f"Privatename{number} Surnameova",
        email=f"private{number}@example.org",
        region=region,
    )
    participation = ParticipationFactory(user=user, cohort=cohort, role=role, status=status)
    # She applied 70 days ago, ten days before her pair started.
    Participation.objects.filter(pk=participation.pk).update(created_at=timezone.now() - 70 * DAY)
    return user


@pytest.fixture
def small_cohort(cohort):
    """In the personas' cohort (its staff may ask): six accepted mentees in Naryn and
    three in Talas, two who only applied, five mentors; eight pairs (three active, five
    completed); seven meetings of 90 minutes held; three roadmap steps done; five
    certificates."""
    today = timezone.localdate()
    cohort.starts_on, cohort.ends_on = today - 100 * DAY, today + 60 * DAY
    cohort.save()
    programme = cohort.programme
    programme.funders = "Test Funder Agency\nGovernment of Testland"
    programme.save()
    mentees = [person(cohort, Participation.Role.MENTEE) for _i in range(6)]
    mentees += [person(cohort, Participation.Role.MENTEE, Region.TALAS) for _i in range(3)]
    for _i in range(2):
        person(cohort, Participation.Role.MENTEE, status=Participation.Status.APPLIED)
    mentors = [person(cohort, Participation.Role.MENTOR) for _i in range(5)]
    statuses = [Mentorship.Status.ACTIVE] * 3 + [Mentorship.Status.COMPLETED] * 5
    pairs = [
        MentorshipFactory(
            cohort=cohort,
            mentee=mentee,
            mentor=mentors[i % 5],
            status=status,
            started_at=timezone.now() - 60 * DAY,
        )
        for i, (mentee, status) in enumerate(zip(mentees, statuses, strict=False))
    ]
    for i in range(7):
        MeetingFactory(
            mentorship=pairs[i % 3],
            duration_minutes=90,
            outcome="happened",
            starts_at=timezone.now() - (50 - i) * DAY,
        )
    roadmap = Roadmap.objects.create(mentorship=pairs[0])
    for position, status in enumerate(["done"] * 3 + ["planned"]):
        RoadmapStep.objects.create(
            roadmap=roadmap, position=position, title=f"Private step {position}", status=status
        )
    for pair in pairs[3:8]:
        CertificateFactory(mentorship=pair)
    return cohort


def indicator_values(cohort):
    return {i.key: i.value for i in queries.cohort_indicators(cohort)}


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace collapsed (table cells may wrap)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def ask(client, cohort, language="en", capture=None):
    url = reverse("reports:donor_request", args=[cohort.pk])
    if capture is None:
        return client.post(url, {"language": language}, follow=True)
    with capture(execute=True):
        return client.post(url, {"language": language}, follow=True)


def download(client, report):
    return client.get(reverse("reports:donor_download", args=[report.pk]))


@pytest.fixture
def made(login, staff, small_cohort, django_capture_on_commit_callbacks):
    """Ask for a report in ``language`` and return (report, PDF bytes)."""

    def _made(language="en"):
        client = login(staff)
        ask(client, small_cohort, language, django_capture_on_commit_callbacks)
        report = DonorReport.objects.filter(language=language).latest("pk")
        assert report.status == DonorReport.Status.READY, report.error
        response = download(client, report)
        assert response.status_code == 200
        return report, response.content

    return _made


def test_the_small_cohort_is_counted_as_by_hand(small_cohort):
    shown = indicator_values(small_cohort)
    assert (shown["applicants"], shown["accepted"], shown["mentors"]) == (11, 9, 5)
    assert (shown["matched"], shown["meetings"], shown["certificates"]) == (8, 7, 5)
    assert str(shown["meeting_hours"]) == "10.5"
    assert shown["steps_done"] == 3
    assert shown["days_to_match"] == Decimal("10.0")
    assert shown["active_pairs"] is None  # three: too few to show
    assert (shown["completion"], shown["ended_early"]) == (Decimal("100.0"), Decimal("0.0"))
    talas = next(r for r in queries.breakdown(small_cohort, "regions") if r.key == Region.TALAS)
    assert talas.people is None


def test_a_staff_request_makes_a_ready_pdf_with_the_cohorts_figures(made, small_cohort):
    report, content = made("en")
    assert report.finished_at is not None and report.error == ""
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert small_cohort.name in text
    assert small_cohort.programme.name in text
    assert "Test Funder Agency" in text and "Government of Testland" in text
    assert "Impact report" in text
    for indicator in queries.cohort_indicators(small_cohort):
        # Each indicator's row in the table of all indicators: its label, then its value.
        assert f"{indicator.label} {donor_pdf.indicator_text(indicator)}" in text, indicator
    assert "Mentees accepted 9" in text
    assert "Hours of mentoring meetings 10.5 h" in text
    assert "Certificates of completion 5" in text


def test_the_figures_take_the_same_number_of_queries_for_a_bigger_cohort(small_cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            donor_pdf.gather_figures(small_cohort)
        return len(context.captured_queries)

    before = count()
    for _i in range(8):
        mentee = person(small_cohort, Participation.Role.MENTEE, Region.CHUI)
        pair = MentorshipFactory(cohort=small_cohort, mentee=mentee)
        MeetingFactory(mentorship=pair, outcome="happened")
    assert count() == before


def test_the_pdf_is_a4_portrait_with_several_numbered_pages(made):
    _report, content = made("en")
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 4
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last


def test_suppressed_values_are_printed_as_not_shown(made):
    _report, content = made("en")
    text = pdf_text(content)
    assert "Active pairs not shown" in text
    assert re.search(r"Talas region( not shown)+", text)
    assert "A count of fewer than 5 people" in text


def test_the_pdf_holds_no_name_or_contact_of_the_participants(made, small_cohort):
    _report, content = made("en")
    text = pdf_text(content)
    people = Participation.objects.filter(cohort=small_cohort).select_related("user")
    assert people.count() > 15
    for participation in people:
        user = participation.user
        assert user.full_name not in text
        assert user.email not in text
    assert "Privatename" not in text and "@example.org" not in text
    assert "Private step" not in text


@pytest.mark.parametrize("language", ["ru", "ky"])
def test_the_pdf_is_in_the_chosen_language_with_cyrillic_text(made, small_cohort, language):
    small_cohort.name = KYRGYZ_COHORT
    small_cohort.save()
    report, content = made(language)
    assert report.language == language
    text = pdf_text(content)
    with translation.override(language):
        accepted = translation.gettext("Mentees accepted")
        not_shown = translation.gettext("not shown")
    assert accepted != "Mentees accepted"  # translated in the catalogue
    assert accepted in text and not_shown in text
    assert KYRGYZ_COHORT in text
    assert "Mentees accepted" not in text


def test_the_survey_change_of_the_same_mentees_is_printed_without_free_texts(made, small_cohort):
    from stem4all.reports.models import Question
    from stem4all.reports.tests.factories import QuestionFactory, SurveyFactory, answer

    mentees = [
        p.user
        for p in Participation.objects.filter(
            cohort=small_cohort, role=Participation.Role.MENTEE, status="accepted"
        ).select_related("user")
    ]
    surveys = {}
    for kind in ("baseline", "endline"):
        survey = SurveyFactory(cohort=small_cohort, kind=kind, audience="mentee")
        QuestionFactory(survey=survey, key="conf", text_en="Confidence in a STEM career")
        QuestionFactory(survey=survey, key="eng", text_en="Speaking English at work")
        QuestionFactory(survey=survey, key="says", kind=Question.Kind.TEXT, text_en="Anything?")
        surveys[kind] = survey
    for i, mentee in enumerate(mentees[:5]):
        answer(surveys["baseline"], mentee, {"conf": [1, 2, 3, 3, 4][i], "eng": 2})
        end = {"conf": [3, 3, 4, 5, 5][i], "says": f"My secret story {i}"}
        if i < 4:  # four people answered both times: suppressed
            end["eng"] = 4
        answer(surveys["endline"], mentee, end)
    _report, content = made("en")
    text = pdf_text(content)
    # 2.60 -> 4.00 for the five who answered both times.
    assert "Confidence in a STEM career +1.4 n = 5" in text
    assert "Speaking English at work not shown" in text
    assert "My secret story" not in text and "Anything?" not in text
    # The same five, by group: nine paired answers, 21 at baseline and 36 at endline.
    assert "Mentees' change by group, across every question" in text
    # 2.33 and 4.00, rounded half up (+1.67 is +1.7, not cut to +1.6).
    assert "Mentees by region: Naryn region 5 2.3 4.0 +1.7" in text


def test_the_pages_are_drawn_not_blank(made):
    _report, content = made("en")
    document = pypdfium2.PdfDocument(content)
    try:
        for index in range(len(document)):
            image = document[index].render(scale=0.5).to_pil().convert("L")
            assert sum(image.histogram()[:128]) > 200, f"page {index + 1} looks blank"
    finally:
        document.close()


def test_the_download_is_an_attachment_named_after_the_cohort_language_and_date(
    login, staff, made, small_cohort
):
    report, _content = made("ru")
    response = download(login(staff), report)
    assert response["Content-Type"] == "application/pdf"
    date = timezone.localdate(report.finished_at).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="impact-report-{small_cohort.slug}-ru-{date}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_list_shows_past_reports_and_defaults_to_her_language(
    login, staff, made, small_cohort, django_assert_max_num_queries
):
    made("en")
    DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="ky")
    staff.preferred_language = "ru"
    staff.save()
    client = login(staff)
    url = reverse("reports:donor_list", args=[small_cohort.pk])
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert staff.full_name in page
    with translation.override("ru"):  # the page is in her language
        words = [translation.gettext(w) for w in ("Ready", "Queued", "Kyrgyz")]
    assert all(word in page for word in words), words
    assert reverse("reports:donor_download", args=[DonorReport.objects.get(language="en").pk]) in (
        page
    )
    assert '<option value="ru" selected>' in page
    assert f'href="{url}"' in page  # the refresh link
    assert 'style="' not in page and "<script>" not in page


# ---------------------------------------------------------------- refusals


@pytest.fixture
def funder(small_cohort):
    user = UserFactory(full_name="Test Funder")
    ParticipationFactory(user=user, cohort=small_cohort, role=Participation.Role.FUNDER)
    return user


@pytest.mark.parametrize("who", ["mentee", "funder", "other_staff", "mentor"])
def test_only_the_programmes_staff_may_ask_see_or_download(
    request, login, staff, small_cohort, made, who
):
    report, _content = made("en")
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("reports:donor_list", args=[small_cohort.pk])).status_code == 403
    url = reverse("reports:donor_request", args=[small_cohort.pk])
    assert client.post(url, {"language": "en"}).status_code == 403
    assert download(client, report).status_code == 403
    assert DonorReport.objects.count() == 1


def test_someone_signed_out_is_sent_to_sign_in(client, made, small_cohort):
    report, _content = made("en")
    client.logout()
    for response in (
        client.get(reverse("reports:donor_list", args=[small_cohort.pk])),
        client.post(reverse("reports:donor_request", args=[small_cohort.pk]), {"language": "en"}),
        download(client, report),
    ):
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert DonorReport.objects.count() == 1


def test_a_report_not_ready_is_not_downloaded(login, staff, small_cohort):
    queued = DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="en")
    assert download(login(staff), queued).status_code == 404
    assert login(staff).get(reverse("reports:donor_download", args=[999999])).status_code == 404


def test_a_request_must_be_a_post_in_a_known_language(login, staff, small_cohort):
    client = login(staff)
    url = reverse("reports:donor_request", args=[small_cohort.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"language": "fr"}, follow=True)
    assert "Choose the language of the report." in response.content.decode()
    assert not DonorReport.objects.exists()


def test_a_second_request_while_one_is_queued_is_refused(login, staff, small_cohort):
    DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="ru")
    response = ask(login(staff), small_cohort, "ru")
    assert "already being made" in response.content.decode()
    assert DonorReport.objects.filter(language="ru").count() == 1
    with pytest.raises(services.DonorReportError):
        services.request_donor_report(cohort=small_cohort, by=staff, language="ru")


def test_another_language_or_a_finished_report_does_not_block_a_request(
    staff, small_cohort, django_capture_on_commit_callbacks
):
    DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_donor_report(cohort=small_cohort, by=staff, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_donor_report(cohort=small_cohort, by=staff, language="en")
    again.refresh_from_db()
    assert again.status == DonorReport.Status.READY
    assert DonorReport.objects.filter(language="en", status="ready").count() == 2


def test_a_report_queued_too_long_is_marked_failed_and_may_be_asked_again(
    login, staff, small_cohort
):
    lost = DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="ky")
    url = reverse("reports:donor_list", args=[small_cohort.pk])
    assert "Being made" in login(staff).get(url).content.decode()
    DonorReport.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - services.STALE_AFTER - DAY / 24
    )
    assert "This is taking too long" in login(staff).get(url).content.decode()
    later = timezone.now() + services.STALE_AFTER + DAY / 24
    services.request_donor_report(cohort=small_cohort, by=staff, language="ky", now=later)
    lost.refresh_from_db()
    assert lost.status == DonorReport.Status.FAILED and lost.error
    assert DonorReport.objects.filter(language="ky", status="queued").count() == 1


# ---------------------------------------------------------------- the task


def test_a_failure_marks_the_report_failed_with_a_short_error(
    login, staff, small_cohort, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(cohort):
        raise ValueError("no figures " + "x" * 1000)

    monkeypatch.setattr(donor_pdf, "build_donor_pdf", broken)
    response = ask(login(staff), small_cohort, "en", django_capture_on_commit_callbacks)
    report = DonorReport.objects.get()
    assert report.status == DonorReport.Status.FAILED
    assert report.error.startswith("ValueError: no figures")
    assert len(report.error) <= tasks.ERROR_LENGTH
    assert report.finished_at is not None and report.pdf is None
    assert "donor report" in caplog.text
    page = login(staff).get(reverse("reports:donor_list", args=[small_cohort.pk]))
    assert "It could not be made" in page.content.decode()
    assert response.status_code == 200
    # A failed report does not block a new request.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_donor_report(cohort=small_cohort, by=staff, language="en")
    assert DonorReport.objects.filter(status="ready").count() == 1


def test_running_the_task_twice_does_not_rebuild_a_ready_report(staff, small_cohort, monkeypatch):
    report = DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="en")
    calls = []
    real = donor_pdf.build_donor_pdf

    def counting(cohort):
        calls.append(cohort.pk)
        return real(cohort)

    monkeypatch.setattr(donor_pdf, "build_donor_pdf", counting)
    tasks.build_donor_report.call(report_id=report.pk)
    first = DonorReport.objects.get(pk=report.pk)
    tasks.build_donor_report.call(report_id=report.pk)
    second = DonorReport.objects.get(pk=report.pk)
    assert calls == [small_cohort.pk]
    assert bytes(first.pdf) == bytes(second.pdf)
    assert first.finished_at == second.finished_at
    tasks.build_donor_report.call(report_id=999999)  # gone: nothing to do


def test_the_task_builds_in_the_reports_language(staff, small_cohort):
    report = DonorReport.objects.create(cohort=small_cohort, requested_by=staff, language="ru")
    tasks.build_donor_report.call(report_id=report.pk)
    report.refresh_from_db()
    with translation.override("ru"):
        title = translation.gettext("Mentoring meetings held")
    assert title in pdf_text(bytes(report.pdf))
    assert translation.get_language() == "en"  # the override did not leak


# ---------------------------------------------------------------- races


def test_two_staff_asking_at_once_queue_one_report(postgres_only, run_concurrently, monkeypatch):
    cohort = CohortFactory()
    staff = UserFactory(is_staff=True)
    ParticipationFactory(user=staff, cohort=cohort, role=Participation.Role.STAFF)
    # Leave the reports queued: the race is about the request, not the building.
    monkeypatch.setattr(tasks, "enqueue_donor_report", lambda report_id: None)

    def ask_once(_i):
        return services.request_donor_report(cohort=cohort, by=staff, language="en").pk

    results, errors = run_concurrently(ask_once, n=6)
    assert len(results) == 1
    assert len(errors) == 5
    assert all(isinstance(error, services.DonorReportError) for error in errors)
    assert DonorReport.objects.filter(cohort=cohort).count() == 1
