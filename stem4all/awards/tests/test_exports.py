"""Exports for award staff: nominations, votes per nominee and jury scores, as CSV and
XLSX; who may download them and when; no e-mail inside; formulas neutralised."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import exports
from stem4all.awards.models import Nomination, Phase, VoteVoiding
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.awards.tests.test_results import cast, score
from stem4all.core import exports as core_exports


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.BEFORE_RESULTS)


@pytest.fixture
def data(edition, staff, mentor):
    category = CategoryFactory(edition=edition, name="Best mentor")
    criterion = JuryCriterionFactory(category=category, name="Impact", weight=3)
    nominee = NominationFactory(
        category=category,
        nominee_user__full_name="=cmd|' /C calc'!A0",
        nominated_by__email="nominator-secret@example.org",
        statement="+She taught everyone.",
    )
    other = NominationFactory(category=category, nominee_user__full_name="Bermet Plain")
    NominationFactory(
        category=category, status=Nomination.Status.REJECTED, nominee_user__full_name="Rejected"
    )
    cast(nominee)
    cast(nominee)
    voided = cast(other)
    VoteVoiding.objects.create(
        vote=voided,
        reason="A bot",
        requested_by=staff,
        confirmed_by=UserFactory(),
        confirmed_at=edition.jury_open_at,
    )
    score(nominee, mentor, {criterion: 7})
    score(other, mentor, {criterion: 4}, submitted=False)
    return category


def url(edition, what, fmt):
    return reverse("awards:export", args=[edition.slug, what, fmt])


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()], workbook


def test_csv_cells_that_look_like_formulas_get_an_apostrophe():
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert core_exports.csv_safe(text) == "'" + text
    assert core_exports.csv_safe("Plain") == "Plain"
    assert core_exports.csv_safe(7) == "7"
    assert core_exports.csv_safe(None) == ""


def test_the_nominations_export_has_the_statement_and_no_email(login, edition, data, staff):
    response = login(staff).get(url(edition, "nominations", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "@example.org" not in body
    rows = csv_rows(response)
    assert rows[0] == [
        "Category",
        "Nominee",
        "Kind",
        "Status",
        "Nominated at",
        "Statement length",
        "Statement",
    ]
    first = rows[1]
    assert first[1] == "'=cmd|' /C calc'!A0"
    assert first[2] == "person" and first[3] == "Approved"
    assert first[5] == str(len("+She taught everyone."))
    assert first[6] == "'+She taught everyone."
    assert len(rows) == 4  # the rejected nomination is listed too


def test_the_votes_export_counts_standing_all_and_voided(login, edition, data, staff):
    rows = csv_rows(login(staff).get(url(edition, "votes", "csv")))
    assert rows[0] == ["Category", "Nominee", "Standing votes", "All votes cast", "Voided"]
    counts = {row[1]: row[2:] for row in rows[1:]}
    assert counts["'=cmd|' /C calc'!A0"] == ["2", "2", "0"]
    assert counts["Bermet Plain"] == ["0", "1", "1"]


def test_the_jury_export_lists_every_score_with_its_weight(login, edition, data, staff, mentor):
    rows = csv_rows(login(staff).get(url(edition, "jury", "csv")))
    assert rows[0][:6] == ["Category", "Nominee", "Jury member", "Criterion", "Weight", "Score"]
    assert [row[2:6] for row in rows[1:]] == [
        [mentor.full_name, "Impact", "3", "7"],
        [mentor.full_name, "Impact", "3", "4"],
    ]
    assert rows[1][6] != "" and rows[2][6] == ""  # the draft has no submission time


def test_xlsx_exports_open_and_keep_formula_text_as_text(login, edition, data, staff):
    response = login(staff).get(url(edition, "nominations", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == core_exports.XLSX_TYPE
    rows, workbook = xlsx_rows(response)
    assert rows[1][1] == "=cmd|' /C calc'!A0"
    assert workbook.active.cell(row=2, column=2).data_type == "s"
    votes, _workbook = xlsx_rows(login(staff).get(url(edition, "votes", "xlsx")))
    assert votes[1][2:] == [2, 2, 0]
    jury, _workbook = xlsx_rows(login(staff).get(url(edition, "jury", "xlsx")))
    assert jury[1][4:6] == [3, 7]


def test_only_the_editions_award_staff_export(
    login, edition, data, mentee, other_staff, jury_member
):
    for person in (mentee, other_staff, jury_member):
        assert login(person).get(url(edition, "nominations", "csv")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, edition, data):
    response = client.get(url(edition, "votes", "csv"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_unknown_export_or_format_is_not_found(login, edition, data, staff):
    client = login(staff)
    assert client.get(url(edition, "emails", "csv")).status_code == 404
    assert client.get(url(edition, "votes", "pdf")).status_code == 404
    assert client.get(url(edition, "votes", "csv").replace(edition.slug, "nope")).status_code == 404


def test_jury_scores_wait_for_the_jury_to_close_and_votes_for_voting(login, programme, staff):
    jury = EditionFactory(programme=programme, phase=Phase.JURY)
    voting = EditionFactory(programme=programme, phase=Phase.VOTING)
    client = login(staff)
    assert client.get(url(jury, "jury", "csv")).status_code == 404
    assert client.get(url(jury, "votes", "csv")).status_code == 200
    assert client.get(url(voting, "votes", "xlsx")).status_code == 404
    assert client.get(url(voting, "nominations", "xlsx")).status_code == 200


def test_the_preview_page_links_every_export(login, edition, data, staff):
    page = login(staff).get(reverse("awards:results_preview", args=[edition.slug]))
    content = page.content.decode()
    for what in exports.EXPORTS:
        for fmt in core_exports.FORMATS:
            assert url(edition, what, fmt) in content


def test_exports_take_few_queries(login, edition, data, staff, django_assert_max_num_queries):
    client = login(staff)
    for what in exports.EXPORTS:
        with django_assert_max_num_queries(12):
            assert client.get(url(edition, what, "csv")).status_code == 200
