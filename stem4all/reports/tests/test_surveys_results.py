"""Survey results against a small fixture counted by hand: the paired change from
baseline to endline (only people who answered both, four people suppressed and five
shown, other audiences and cohorts kept apart), each survey's counts and free texts
without names, the downloads, bounded queries, and the demo seed."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory
from stem4all.reports import surveys
from stem4all.reports.demo import seed_surveys
from stem4all.reports.models import Answer, Question, Response, Survey

from .factories import ChoiceFactory, QuestionFactory, SurveyFactory, answer, member

SCALE, SINGLE, TEXT = Question.Kind.SCALE, Question.Kind.SINGLE, Question.Kind.TEXT


def _survey(cohort, kind, audience="mentee", questions=(("conf", SCALE), ("eng", SCALE))):
    survey = SurveyFactory(cohort=cohort, kind=kind, audience=audience, title_en=f"{kind}")
    for order, (key, question_kind) in enumerate(questions, start=1):
        question = QuestionFactory(
            survey=survey, order=order, key=key, kind=question_kind, text_en=f"Text of {key}"
        )
        if question_kind == SINGLE:
            ChoiceFactory(question=question, key="study", label_en="Study", order=1)
            ChoiceFactory(question=question, key="work", label_en="Work", order=2)
    return survey


@pytest.fixture
def counted(cohort):
    """Mentees P1-P5 rate ``conf`` 1, 2, 3, 3, 4 at baseline and 3, 3, 4, 5, 5 at
    endline (means 2.60 and 4.00, change +1.40); P1-P4 rate ``eng`` both times and P5
    only at baseline (four people: suppressed). P6 answers only the baseline, P7 only
    the endline: neither counts in the change. ``only_base`` and ``only_end`` are asked
    once; ``mixed`` is a scale at baseline and a text at endline. A mentor, and a mentee
    of another cohort, answer surveys with the same keys, which must not count."""
    baseline = _survey(
        cohort,
        "baseline",
        questions=(("conf", SCALE), ("eng", SCALE), ("only_base", SCALE), ("mixed", SCALE)),
    )
    endline = _survey(
        cohort,
        "endline",
        questions=(
            ("conf", SCALE),
            ("only_end", SCALE),
            ("eng", SCALE),
            ("mixed", TEXT),
            ("plan", SINGLE),
            ("comments", TEXT),
        ),
    )
    people = [member(cohort, full_name=f"Secret Name {i}") for i in range(1, 8)]
    before = [1, 2, 3, 3, 4]
    after = [3, 3, 4, 5, 5]
    for i, person in enumerate(people[:5]):
        answer(baseline, person, {"conf": before[i], "eng": 2, "only_base": 3, "mixed": 2})
        end = {"conf": after[i], "only_end": 4, "mixed": "fine", "plan": "study"}
        if i < 4:
            end["eng"] = 4
        if i == 0:
            end["comments"] = "More meetings please"
        if i == 1:
            end["comments"] = "Great mentor"
        answer(endline, person, end)
    answer(baseline, people[5], {"conf": 1, "eng": 1})
    answer(endline, people[6], {"conf": 5, "eng": 5, "plan": "work"})

    mentor = member(cohort, role=Participation.Role.MENTOR)
    answer(_survey(cohort, "baseline", "mentor"), mentor, {"conf": 1, "eng": 1})
    answer(_survey(cohort, "endline", "mentor"), mentor, {"conf": 1, "eng": 1})
    elsewhere = CohortFactory()
    stranger = member(elsewhere)
    answer(_survey(elsewhere, "baseline"), stranger, {"conf": 5, "eng": 5})
    answer(_survey(elsewhere, "endline"), stranger, {"conf": 1, "eng": 1})
    return {"cohort": cohort, "baseline": baseline, "endline": endline, "people": people}


def test_the_paired_change_matches_the_count_by_hand(counted):
    rows = surveys.paired_change(counted["cohort"])
    assert [(r.key, r.label) for r in rows] == [("conf", "Text of conf"), ("eng", "Text of eng")]
    conf, eng = rows
    assert (conf.respondents, conf.baseline_mean, conf.endline_mean, conf.change) == (
        5,
        Decimal("2.60"),
        Decimal("4.00"),
        Decimal("1.40"),
    )
    # Four people answered ``eng`` both times: every figure of the row is suppressed.
    assert (eng.respondents, eng.baseline_mean, eng.endline_mean, eng.change) == (
        None,
        None,
        None,
        None,
    )


def test_a_fifth_person_answering_both_times_shows_the_row(counted):
    cohort = counted["cohort"]
    person = member(cohort)
    answer(counted["baseline"], person, {"conf": 2, "eng": 5})
    answer(counted["endline"], person, {"conf": 2, "eng": 4})
    conf, eng = surveys.paired_change(cohort)
    # conf: (1+2+3+3+4+2)/6 = 2.50 -> (3+3+4+5+5+2)/6 = 3.666... = 3.67
    assert (conf.respondents, conf.baseline_mean, conf.endline_mean, conf.change) == (
        6,
        Decimal("2.50"),
        Decimal("3.67"),
        Decimal("1.17"),
    )
    # eng: P1-P4 2 -> 4, the new one 5 -> 4: (2*4+5)/5 = 2.60 -> 4.00
    assert (eng.respondents, eng.baseline_mean, eng.endline_mean, eng.change) == (
        5,
        Decimal("2.60"),
        Decimal("4.00"),
        Decimal("1.40"),
    )


def test_the_mentors_change_is_their_own_and_suppressed(counted):
    rows = surveys.paired_change(counted["cohort"], audience="mentor")
    assert [(r.key, r.respondents, r.change) for r in rows] == [
        ("conf", None, None),
        ("eng", None, None),
    ]


def test_a_cohort_without_surveys_has_no_change_rows(db):
    assert surveys.paired_change(CohortFactory()) == []


def test_the_paired_change_takes_three_queries_whatever_the_size(
    counted, django_assert_num_queries
):
    with django_assert_num_queries(3):
        surveys.paired_change(counted["cohort"])
    for _i in range(10):
        person = member(counted["cohort"])
        answer(counted["baseline"], person, {"conf": 3, "eng": 3})
        answer(counted["endline"], person, {"conf": 4, "eng": 4})
    with django_assert_num_queries(3):
        rows = surveys.paired_change(counted["cohort"])
    assert rows[0].respondents == 15 and rows[1].respondents == 14


def test_the_labels_follow_the_active_language(counted):
    from django.utils import translation

    Question.objects.filter(survey=counted["endline"], key="conf").update(text_ru="Уверенность")
    with translation.override("ru"):
        assert surveys.paired_change(counted["cohort"])[0].label == "Уверенность"
    with translation.override("ky"):
        assert surveys.paired_change(counted["cohort"])[0].label == "Text of conf"


def test_the_results_of_a_survey_are_counted_and_small_cells_suppressed(
    counted, django_assert_num_queries
):
    with django_assert_num_queries(7):
        results = surveys.survey_results(counted["endline"])
    assert results.responses == 6
    by_key = {q.key: q for q in results.questions}
    conf = by_key["conf"]
    # 3, 3, 4, 5, 5 and P7's 5: mean 25/6 = 4.17; each value is chosen by < 5 people.
    assert (conf.answered, conf.mean) == (6, Decimal("4.17"))
    assert [(c.label, c.count) for c in conf.cells] == [
        ("1", 0),
        ("2", 0),
        ("3", None),
        ("4", None),
        ("5", None),
    ]
    plan = by_key["plan"]
    assert [(c.label, c.count) for c in plan.cells] == [("Study", 5), ("Work", None)]
    assert by_key["eng"].answered == 5 and by_key["eng"].mean == Decimal("4.20")
    assert by_key["comments"].answered is None
    assert by_key["comments"].texts == ["Great mentor", "More meetings please"]


def test_staff_read_the_results_without_any_name(login, staff, counted):
    client = login(staff)
    page = client.get(reverse("reports:survey_results", args=[counted["endline"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "More meetings please" in body and "4.17" in body
    assert "Secret Name" not in body
    listing = client.get(reverse("reports:survey_list", args=[counted["cohort"].pk]))
    assert "+1.40" in listing.content.decode()


def test_the_results_download_has_counts_and_texts_but_no_names(login, staff, counted):
    client = login(staff)
    response = client.get(
        reverse("reports:survey_results_download", args=[counted["endline"].pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Key", "Question", "Answer", "People", "Mean (1-5)"]
    assert ["conf", "Text of conf", "", "6", "4.17"] in rows
    assert ["plan", "Text of plan", "Work", "", ""] in rows
    assert ["comments", "Text of comments", "Great mentor", "", ""] in rows
    assert "Secret Name" not in response.content.decode("utf-8-sig")
    response = client.get(
        reverse("reports:survey_change_download", args=[counted["cohort"].pk, "mentee", "xlsx"])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1] == ("conf", "Text of conf", 5, 2.6, 4.0, 1.4)
    assert values[2] == ("eng", "Text of eng", None, None, None, None)
    bad = client.get(
        reverse("reports:survey_change_download", args=[counted["cohort"].pk, "jury", "csv"])
    )
    assert bad.status_code == 404


def test_the_demo_seed_shows_an_improvement_and_runs_once(db, django_assert_max_num_queries):
    from stem4all.accounts.tests.factories import UserFactory

    cohort = CohortFactory()
    staff = UserFactory(is_staff=True)
    for _i in range(30):
        member(cohort)
    for _i in range(8):
        member(cohort, role=Participation.Role.MENTOR)
    today = timezone.localdate()
    with django_assert_max_num_queries(60):
        summary = seed_surveys(cohort=cohort, staff=staff, today=today)
    assert summary["surveys"] == 4 and summary["responses"] > 40
    baseline = Survey.objects.get(cohort=cohort, kind="baseline", audience="mentee")
    endline = Survey.objects.get(cohort=cohort, kind="endline", audience="mentee")
    now = timezone.now()
    assert baseline.closes_at < now and endline.is_open_at(now)
    rows = surveys.paired_change(cohort)
    shown = [row for row in rows if row.change is not None]
    assert len(shown) >= 5
    assert all(row.change > 0 for row in shown)
    assert Answer.objects.filter(question__survey=endline, question__key="stem_plan").exists()
    again = seed_surveys(cohort=cohort, staff=staff, today=today)
    assert again["responses"] == 0
    assert Response.objects.filter(survey__cohort=cohort).count() == summary["responses"]


def test_the_demo_seed_is_deterministic(db):
    from stem4all.accounts.tests.factories import UserFactory

    figures = []
    for _round in range(2):
        cohort = CohortFactory()
        for _i in range(12):
            member(cohort)
        seed_surveys(cohort=cohort, staff=UserFactory(), today=timezone.localdate())
        figures.append([row.cells for row in surveys.paired_change(cohort)])
    assert figures[0] == figures[1]


def test_the_change_by_group_averages_every_paired_answer_of_the_group(
    counted, django_assert_num_queries
):
    """All five paired respondents live in Naryn: nine paired answers (``conf`` five
    times, ``eng`` four), summing 21 at baseline and 36 at endline."""
    from stem4all.accounts.models import User

    with django_assert_num_queries(3):
        groups = surveys.change_by_group(counted["cohort"])
    assert set(groups) == {"regions", "settlement", "ages", "education"}
    naryn = {row.key: row for row in groups["regions"]}["naryn"]
    assert naryn.cells == (5, Decimal("2.33"), Decimal("4.00"), Decimal("1.67"))
    # One of them moves to Bishkek: four and one, both too few to show.
    User.objects.filter(pk=counted["people"][0].pk).update(region="bishkek")
    regions = {row.key: row.cells for row in surveys.change_by_group(counted["cohort"])["regions"]}
    assert regions == {"bishkek": (None,) * 4, "naryn": (None,) * 4}
