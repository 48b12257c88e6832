"""Each indicator against a small cohort counted by hand, small-cell suppression, who
may see a report, and the downloads (no personal data in any cell)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.geography import Region
from stem4all.accounts.tests.factories import UserFactory
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.models import Meeting
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory
from stem4all.reports import queries
from stem4all.roadmaps.models import RoadmapStep

from .conftest import mentee_in

DAY = dt.timedelta(days=1)


def values(cohort):
    return {indicator.key: indicator.value for indicator in queries.cohort_indicators(cohort)}


def test_every_indicator_matches_the_count_by_hand(counted):
    assert values(counted) == {
        "applicants": 12,
        "accepted": 10,
        "mentors": 6,
        "matched": 10,
        "matched_share": Decimal("100.0"),
        "days_to_match": Decimal("4.0"),
        "active_pairs": 5,
        "meetings": 3,
        "meeting_hours": Decimal("2.5"),
        "steps_done": 4,
        "attendances": 7,
        "training_people": 6,
        "certificates": 5,
        "pulse": Decimal("4.2"),
        # 4 completed and 1 ended early are cells under 5: their shares are not shown.
        "completion": None,
        "ended_early": None,
        "voters": 0,
        "votes": 0,
    }


def test_the_indicators_take_the_same_number_of_queries_for_a_bigger_cohort(
    counted, django_assert_num_queries
):
    with django_assert_num_queries(6):
        queries.cohort_indicators(counted)
    for _i in range(10):
        mentee = mentee_in(counted)
        MentorshipFactory(cohort=counted, mentee=mentee)
    with django_assert_num_queries(6):
        queries.cohort_indicators(counted)


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (6, 6)])
def test_a_cell_of_one_to_four_people_is_suppressed(count, shown):
    assert queries.suppressed(count) == shown


def test_a_share_built_on_a_suppressed_cell_is_suppressed_too():
    assert queries.percent(None, 10) is None
    assert queries.percent(5, None) is None
    assert queries.percent(5, 0) is None
    assert queries.percent(5, 8) == Decimal("62.5")


def test_a_small_cohort_shows_no_count_of_people(db):
    cohort = CohortFactory()
    for _i in range(3):
        mentee_in(cohort)
    shown = values(cohort)
    assert shown["accepted"] is None and shown["applicants"] is None
    assert shown["matched_share"] is None


def test_the_regions_are_counted_and_the_small_ones_suppressed(counted):
    rows = {row.key: row for row in queries.breakdown(counted, "regions")}
    assert set(rows) == {Region.NARYN, Region.BISHKEK}
    # Naryn: pairs 0-5 (pair 0 has the meetings and the steps; pair 5 completed and has
    # one certificate, a cell under 5). Bishkek: four people, so every cell is hidden.
    # Naryn's five check-ins scored 3, 4, 4, 5, 5: 4.2.
    assert rows[Region.NARYN].cells == (
        6,
        6,
        Decimal("100.0"),
        3,
        Decimal("2.5"),
        4,
        None,
        None,
        Decimal("4.2"),
    )
    assert rows[Region.BISHKEK].cells == (None,) * 9


def test_staff_see_the_report_and_others_do_not(client, login, counted, other_staff, mentee):
    staff = UserFactory(is_staff=True)
    ParticipationFactory(user=staff, cohort=counted, role=Participation.Role.STAFF)
    url = reverse("reports:cohort", args=[counted.pk])
    page = login(staff).get(url)
    assert page.status_code == 200
    assert "Mentees matched" in page.content.decode()
    for person, status in ((other_staff, 403), (mentee, 403)):
        assert login(person).get(url).status_code == status
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    assert login(staff).get(reverse("reports:cohort", args=[999999])).status_code == 404


def test_the_downloads_hold_no_name_or_contact(login, counted):
    staff = UserFactory(is_staff=True)
    ParticipationFactory(user=staff, cohort=counted, role=Participation.Role.STAFF)
    client = login(staff)
    people = Participation.objects.filter(cohort=counted).select_related("user")
    private = set()
    for participation in people:
        user = participation.user
        private |= {user.full_name, user.email, str(user.date_of_birth)}
    cells = []
    tables = ["indicators", "monthly", "funnel", "end_reasons", "survey_groups"]
    tables += list(queries.DIMENSIONS)
    for table in tables:
        text = client.get(reverse("reports:table", args=[counted.pk, table, "csv"]))
        cells += [
            cell
            for row in csv.reader(io.StringIO(text.content.decode("utf-8-sig")))
            for cell in row
        ]
        book = openpyxl.load_workbook(
            io.BytesIO(
                client.get(reverse("reports:table", args=[counted.pk, table, "xlsx"])).content
            )
        )
        cells += [str(c) for row in book.active.iter_rows(values_only=True) for c in row]
    assert "Mentees matched" in cells and "Naryn region" in cells
    assert not private & set(cells)
    assert (
        client.get(reverse("reports:table", args=[counted.pk, "people", "csv"])).status_code == 404
    )


def test_a_sheet_name_with_characters_a_spreadsheet_refuses_is_cleaned():
    from stem4all.core.exports import xlsx_bytes

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("Cohort: 2027/A [pilot]?", ["a"], [])))
    assert book.active.title == "Cohort  2027 A  pilot"


def test_education_and_age_bands_are_grouped_in_the_database(counted, django_assert_num_queries):
    from stem4all.accounts.models import MenteeProfile
    from stem4all.accounts.tests.factories import MenteeProfileFactory, years_ago

    mentees = [
        p.user
        for p in Participation.objects.filter(
            cohort=counted, role=Participation.Role.MENTEE, status=Participation.Status.ACCEPTED
        ).select_related("user")
    ]
    for user in mentees[:5]:
        MenteeProfileFactory(user=user, education_level=MenteeProfile.EducationLevel.UNIVERSITY)
        user.date_of_birth = years_ago(20)
        user.save(update_fields=["date_of_birth"])
    for user in mentees[5:]:
        user.date_of_birth = years_ago(16)
        user.save(update_fields=["date_of_birth"])
    with django_assert_num_queries(3):  # every dimension at once
        education = {row.key: row.cells for row in queries.breakdown(counted, "education")}
    # The first five pairs are active (pair 0 met three times, 2.5 h, 4 steps; its one
    # certificate is revoked); the last five hold 4 completions, 1 early end and 5
    # certificates. A completion share of 4 of 5 ended pairs is built on a small cell.
    first = (5, 5, Decimal("100.0"), 3, Decimal("2.5"), 4, 0, None, Decimal("4.2"))
    last = (5, 5, Decimal("100.0"), 0, Decimal("0.0"), 0, 5, None, None)  # no check-in
    assert education == {"university": first, "": last}  # no profile: not given
    ages = {row.key: row.cells for row in queries.breakdown(counted, "ages")}
    assert ages == {"18_24": first, "under_18": last}


def test_a_funder_reads_her_cohorts_report_and_its_downloads(login, counted, funder):
    client = login(funder)
    assert client.get(reverse("reports:cohort", args=[counted.pk])).status_code == 200
    for table in ("indicators", "regions"):
        url = reverse("reports:table", args=[counted.pk, table, "xlsx"])
        assert client.get(url).status_code == 200
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("reports:cohort", args=[counted.pk]) in dashboard


def test_a_funder_sees_nothing_but_reports(login, counted, funder):
    client = login(funder)
    other = CohortFactory(programme=counted.programme)
    assert client.get(reverse("reports:cohort", args=[other.pk])).status_code == 403
    for url in (
        reverse("programmes:staff_cohort", args=[counted.pk]),
        reverse("mentorships:staff_mentorships", args=[counted.pk]),
        reverse("matching:cohort_matching", args=[counted.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_a_funder_does_not_take_part_in_the_award(counted, funder):
    from stem4all.awards.permissions import is_award_participant
    from stem4all.awards.tests.factories import EditionFactory

    assert not is_award_participant(funder, EditionFactory(programme=counted.programme))


def test_urban_and_rural_as_she_said_or_from_the_two_cities(counted):
    from stem4all.accounts.models import MenteeProfile
    from stem4all.accounts.tests.factories import MenteeProfileFactory

    accepted = Participation.objects.filter(
        cohort=counted, role=Participation.Role.MENTEE, status=Participation.Status.ACCEPTED
    ).order_by("pk")
    users = [p.user for p in accepted.select_related("user")]
    # Six in Naryn: five say village, one gave nothing (so: not given); four in
    # Bishkek gave nothing (so: the city counts as urban), and one more says town.
    for user in users[:5]:
        MenteeProfileFactory(user=user, settlement=MenteeProfile.Settlement.VILLAGE)
    town = mentee_in(counted, Region.CHUI)
    MenteeProfileFactory(user=town, settlement=MenteeProfile.Settlement.TOWN)
    rows = {row.key: row for row in queries.breakdown(counted, "settlement")}
    assert (rows["rural"].people, rows["urban"].people, rows[""].people) == (5, 5, None)
    assert (rows["rural"].matched, rows["urban"].matched) == (5, None)


def test_regional_and_international_mentors(counted):
    mentors = Participation.objects.filter(cohort=counted, role=Participation.Role.MENTOR)
    abroad = [p.user_id for p in mentors.order_by("pk")[:1]]
    from stem4all.accounts.models import User

    User.objects.filter(pk__in=abroad).update(country="DE", region="")
    rows = {row.key: row for row in queries.breakdown(counted, "mentors")}
    # Six mentors, one abroad: five regional. Mentor 0 has pairs 0 and 6 (one
    # certificate); the regional five have the other eight pairs.
    assert (rows["regional"].people, rows["regional"].matched) == (5, 5)
    assert (rows["international"].people, rows["international"].matched) == (None, None)
    assert rows["international"].meetings is None  # a cell this small says nothing
    # Pair 0's meetings are the international mentor's; pair 6's certificate too, so
    # the regional five have 0 meetings and 4 certificates (a hidden cell).
    assert (rows["regional"].meetings, rows["regional"].certificates) == (0, None)
    header = queries.breakdown_columns(queries.DIMENSIONS["mentors"])
    assert header[:3] == ["Mentor", "Mentors accepted", "Mentors with a mentee"]


def test_the_funnel_counts_each_stage(counted):
    stages = {i.key: i.value for i in queries.funnel(counted)}
    # One mentee (pair 0) met her mentor: a cell of one. Four completed.
    assert stages == {"applied": 12, "accepted": 10, "matched": 10, "met": None, "completed": None}
    pairs = list(Mentorship.objects.filter(cohort=counted).order_by("pk"))
    for pair in pairs[1:5]:
        MeetingFactory(mentorship=pair, outcome="happened", duration_minutes=45)
    pairs[9].status = Mentorship.Status.COMPLETED
    pairs[9].save(update_fields=["status"])
    stages = {i.key: i.value for i in queries.funnel(counted)}
    assert (stages["met"], stages["completed"]) == (5, 5)


def test_the_months_hold_the_pairs_meetings_and_steps_of_each_month(counted):
    pairs = list(Mentorship.objects.filter(cohort=counted).order_by("pk"))
    june = timezone.make_aware(dt.datetime(2026, 6, 10, 12))
    july = timezone.make_aware(dt.datetime(2026, 7, 3, 12))
    counted.starts_on, counted.ends_on = dt.date(2026, 5, 20), dt.date(2026, 8, 31)
    counted.save(update_fields=["starts_on", "ends_on"])
    Mentorship.objects.filter(pk__in=[p.pk for p in pairs[:6]]).update(started_at=june)
    Mentorship.objects.filter(pk__in=[p.pk for p in pairs[6:]]).update(started_at=july)
    Meeting.objects.filter(mentorship=pairs[0]).update(starts_at=july)
    RoadmapStep.objects.filter(status="done").update(signed_off_at=june)
    months = {row.month: row for row in queries.monthly(counted)}
    assert list(months) == [dt.date(2026, m, 1) for m in (5, 6, 7, 8)]
    june_row, july_row = months[dt.date(2026, 6, 1)], months[dt.date(2026, 7, 1)]
    assert (june_row.new_pairs, june_row.meetings, june_row.steps_done) == (6, 0, 4)
    assert (july_row.new_pairs, july_row.meetings, july_row.hours) == (None, 3, Decimal("2.5"))
    assert months[dt.date(2026, 5, 1)].new_pairs == 0


def test_early_endings_are_counted_by_reason_and_small_reasons_hidden(counted):
    cohort = counted
    for _i in range(5):
        MentorshipFactory(cohort=cohort, status=Mentorship.Status.ENDED_EARLY, end_cause="time")
    MentorshipFactory(cohort=cohort, status=Mentorship.Status.ENDED_EARLY, end_cause="fit")
    reasons = dict(queries.end_reasons(cohort))
    assert reasons == {
        "Not enough time (studies, work or family)": 5,
        "Not a good fit": None,
        "Not recorded": None,  # the fixture's one early end has no reason
    }


def test_the_api_gives_the_same_figures_with_small_cells_as_null(login, counted, funder):
    from stem4all.accounts.services import create_api_token

    url = f"/api/v1/reports/cohorts/{counted.pk}"
    data = login(funder).get(url).json()
    figures = {row["key"]: row["value"] for row in data["indicators"]}
    assert figures["accepted"] == 10 and figures["meeting_hours"] == 2.5
    assert figures["completion"] is None and data["min_cell"] == 5
    regions = {d["key"]: d for d in data["breakdowns"]}["regions"]
    naryn = {row["key"]: row for row in regions["rows"]}["naryn"]
    assert (naryn["people"], naryn["hours"], naryn["certificates"]) == (6, 2.5, None)
    assert [s["key"] for s in data["funnel"]][:3] == ["applied", "accepted", "matched"]
    assert "@" not in str(data)
    _token, key = create_api_token(user=funder, name="script")
    by_token = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert by_token.status_code == 200
    other = CohortFactory(programme=counted.programme)
    assert login(funder).get(f"/api/v1/reports/cohorts/{other.pk}").status_code == 403
    assert login(funder).get("/api/v1/reports/cohorts/999999").status_code == 404


def test_a_mentee_matched_twice_counts_once_in_every_table(counted):
    """Her pair ended early and she was matched again, with a mentor abroad: two
    pairs, one mentee, in the totals, in her region and for each kind of mentor."""
    from stem4all.accounts.tests.factories import UserFactory

    ended = Mentorship.objects.get(cohort=counted, status=Mentorship.Status.ENDED_EARLY)
    abroad = UserFactory(country="DE", region="")
    ParticipationFactory(user=abroad, cohort=counted, role=Participation.Role.MENTOR)
    MentorshipFactory(cohort=counted, mentee=ended.mentee, mentor=abroad)
    assert values(counted)["matched"] == 10
    regions = {row.key: row for row in queries.breakdown(counted, "regions")}
    assert regions[Region.NARYN].matched == 6  # she lives in Bishkek: hidden there
    stages = {i.key: i.value for i in queries.funnel(counted)}
    assert stages["matched"] == 10
    mentors = {row.key: row for row in queries.breakdown(counted, "mentors")}
    assert mentors["regional"].matched == 6  # the six mentors of the fixture
