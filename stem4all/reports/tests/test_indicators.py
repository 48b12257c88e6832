"""Each indicator against a small cohort counted by hand, small-cell suppression, who
may see a report, and the downloads (no personal data in any cell)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.geography import Region
from stem4all.accounts.tests.factories import UserFactory
from stem4all.checkins.tests.factories import PulseCheckFactory
from stem4all.closure.tests.factories import CertificateFactory
from stem4all.learning.models import Registration
from stem4all.learning.tests.factories import TrainingFactory
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.models import Meeting
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory
from stem4all.reports import queries
from stem4all.roadmaps.models import Roadmap, RoadmapStep

DAY = dt.timedelta(days=1)


def mentee_in(cohort, region=Region.NARYN, status=Participation.Status.ACCEPTED, applied=None):
    user = UserFactory(region=region)
    participation = ParticipationFactory(
        user=user, cohort=cohort, role=Participation.Role.MENTEE, status=status
    )
    if applied is not None:
        Participation.objects.filter(pk=participation.pk).update(created_at=applied)
    return user


@pytest.fixture
def counted(db):
    """Ten accepted mentees (six in Naryn, four in Bishkek), two who only applied, six
    mentors; ten pairs (five active, four completed, one ended early), each started
    four days after her application; three meetings held (60, 60 and 30 minutes) and
    one missed; four roadmap steps done and one planned; six mentees at a training
    (one of them twice) and one registered who did not come; five certificates and one
    revoked; five check-ins scored 3, 4, 4, 5, 5 and one unanswered."""
    cohort = CohortFactory()
    start = timezone.now() - 30 * DAY
    mentees = [mentee_in(cohort, Region.NARYN, applied=start) for _i in range(6)]
    mentees += [mentee_in(cohort, Region.BISHKEK, applied=start) for _i in range(4)]
    for _i in range(2):
        mentee_in(cohort, status=Participation.Status.APPLIED)
    mentors = [UserFactory() for _i in range(6)]
    for mentor in mentors:
        ParticipationFactory(user=mentor, cohort=cohort, role=Participation.Role.MENTOR)
    statuses = [Mentorship.Status.ACTIVE] * 5 + [Mentorship.Status.COMPLETED] * 4
    statuses += [Mentorship.Status.ENDED_EARLY]
    pairs = [
        MentorshipFactory(
            cohort=cohort,
            mentee=mentee,
            mentor=mentors[i % 6],
            status=status,
            started_at=start + 4 * DAY,
        )
        for i, (mentee, status) in enumerate(zip(mentees, statuses, strict=True))
    ]
    for minutes in (60, 60, 30):
        MeetingFactory(mentorship=pairs[0], duration_minutes=minutes, outcome="happened")
    MeetingFactory(mentorship=pairs[1], outcome=Meeting.Outcome.MISSED)
    roadmap = Roadmap.objects.create(mentorship=pairs[0])
    for position, status in enumerate(["done"] * 4 + ["planned"]):
        RoadmapStep.objects.create(
            roadmap=roadmap, position=position, title=f"Step {position}", status=status
        )
    training, second = (TrainingFactory(programme=cohort.programme) for _i in range(2))
    for mentee in mentees[:6]:
        Registration.objects.create(training=training, user=mentee, attended=True)
    Registration.objects.create(training=second, user=mentees[0], attended=True)
    Registration.objects.create(training=second, user=mentees[7], attended=False)
    for pair in pairs[5:9]:
        CertificateFactory(mentorship=pair)
    CertificateFactory(mentorship=pairs[9])
    CertificateFactory(mentorship=pairs[0], revoked_at=timezone.now())
    for pair, score in zip(pairs[:5], (3, 4, 4, 5, 5), strict=True):
        PulseCheckFactory(mentorship=pair, score=score, answered_at=timezone.now())
    PulseCheckFactory(mentorship=pairs[5])
    return cohort


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
    with django_assert_num_queries(10):
        queries.cohort_indicators(counted)
    for _i in range(10):
        mentee = mentee_in(counted)
        MentorshipFactory(cohort=counted, mentee=mentee)
    with django_assert_num_queries(10):
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
    naryn, bishkek = rows[Region.NARYN], rows[Region.BISHKEK]
    assert (naryn.accepted, naryn.matched, naryn.matched_share) == (6, 6, Decimal("100.0"))
    assert (bishkek.accepted, bishkek.matched, bishkek.matched_share) == (None, None, None)


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
    for table in ("indicators", "regions", "education", "ages"):
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
    with django_assert_num_queries(2):
        education = {row.key: row.cells for row in queries.breakdown(counted, "education")}
    assert education == {
        "university": (5, 5, Decimal("100.0")),
        "": (5, 5, Decimal("100.0")),  # no profile: not given
    }
    ages = {row.key: row.cells for row in queries.breakdown(counted, "ages")}
    assert ages == {"18_24": (5, 5, Decimal("100.0")), "under_18": (5, 5, Decimal("100.0"))}


@pytest.fixture
def funder(counted):
    user = UserFactory(full_name="Test Funder")
    ParticipationFactory(user=user, cohort=counted, role=Participation.Role.FUNDER)
    return user


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
