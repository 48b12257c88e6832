"""Mentee-chooses mode: she browses mentors with a free place, sees why each fits her,
and ranks up to three; the ranking feeds the next matching run."""

import pytest

from stem4all.matching import services
from stem4all.matching.models import MentorChoice, Proposal
from stem4all.matching.queries import mentor_options
from stem4all.matching.tests.factories import make_mentee, make_mentor


def page(cohort):
    return f"/matching/cohorts/{cohort.pk}/mentors/"


def ids(options):
    return [option.user.pk for option in options]


def test_she_sees_mentors_who_share_a_language_best_fit_first(cohort):
    mentee = make_mentee(cohort, fields=("physics",))
    physicist = make_mentor(cohort, fields=("physics",))
    other = make_mentor(cohort, fields=("biology",))
    no_language = make_mentor(cohort, languages=(("de", "native"),))
    found = mentor_options(cohort, mentee)
    assert ids(found) == [physicist.pk, other.pk]
    assert no_language.pk not in ids(found)
    assert found[0].factors, "every option says why she fits"


def test_a_minor_sees_only_mentors_cleared_for_minors(cohort):
    minor = make_mentee(cohort, age=15)
    cleared = make_mentor(cohort, cleared_for_minors=True)
    make_mentor(cohort, cleared_for_minors=False)
    assert ids(mentor_options(cohort, minor)) == [cleared.pk]


def test_mentors_not_yet_cleared_are_not_shown(cohort):
    mentee = make_mentee(cohort)
    make_mentor(cohort, screening_status="trained")
    assert mentor_options(cohort, mentee) == []


def test_a_mentor_with_no_free_place_is_not_shown(cohort):
    mentee = make_mentee(cohort)
    full = make_mentor(cohort, capacity=1)
    other_mentee = make_mentee(cohort)
    from stem4all.matching.tests.factories import MentorshipFactory

    MentorshipFactory(cohort=cohort, mentee=other_mentee, mentor=full)
    assert full.pk not in ids(mentor_options(cohort, mentee))


def test_a_popular_mentor_disappears_once_first_choices_fill_her_places(cohort):
    popular = make_mentor(cohort, capacity=1)
    first = make_mentee(cohort)
    services.rank_mentor(cohort=cohort, mentee=first, mentor_id=popular.pk, rank=1)
    late = make_mentee(cohort)
    assert popular.pk not in ids(mentor_options(cohort, late))
    # She stays visible to the mentee who chose her.
    assert popular.pk in ids(mentor_options(cohort, first))


def test_filters_narrow_the_list(cohort):
    mentee = make_mentee(cohort, fields=("physics", "biology"))
    regional = make_mentor(cohort, fields=("physics",), region="osh")
    abroad = make_mentor(cohort, fields=("biology",), country="DE", languages=(("en", "C2"),))
    assert ids(mentor_options(cohort, mentee, mentor_type="international")) == [abroad.pk]
    assert ids(mentor_options(cohort, mentee, field="physics")) == [regional.pk]
    assert ids(mentor_options(cohort, mentee, region="osh")) == [regional.pk]
    assert ids(mentor_options(cohort, mentee, language="ky")) == [regional.pk]


def test_ranking_moves_others_down_and_keeps_three(cohort):
    mentee = make_mentee(cohort)
    mentors = [make_mentor(cohort) for _ in range(4)]
    for mentor in mentors[:3]:
        services.rank_mentor(cohort=cohort, mentee=mentee, mentor_id=mentor.pk, rank=1)
    order = list(MentorChoice.objects.filter(mentee=mentee).values_list("mentor_id", flat=True))
    assert order == [mentors[2].pk, mentors[1].pk, mentors[0].pk]
    services.rank_mentor(cohort=cohort, mentee=mentee, mentor_id=mentors[3].pk, rank=2)
    order = list(MentorChoice.objects.filter(mentee=mentee).values_list("mentor_id", flat=True))
    assert order == [mentors[2].pk, mentors[3].pk, mentors[1].pk]


@pytest.mark.parametrize("bad", [[1, 1], [1, 2, 3, 4]])
def test_bad_choice_lists_are_refused(cohort, bad):
    mentee = make_mentee(cohort)
    with pytest.raises(services.MatchingError):
        services.set_mentor_choices(cohort=cohort, mentee=mentee, mentor_ids=bad)


def test_a_mentor_she_may_not_choose_is_refused(cohort):
    mentee = make_mentee(cohort)
    german_only = make_mentor(cohort, languages=(("de", "native"),))
    with pytest.raises(services.MatchingError):
        services.set_mentor_choices(cohort=cohort, mentee=mentee, mentor_ids=[german_only.pk])
    assert not MentorChoice.objects.exists()


def test_the_page_ranks_and_removes_without_javascript(login, cohort):
    mentee = make_mentee(cohort)
    mentor = make_mentor(cohort)
    client = login(mentee)
    response = client.get(page(cohort))
    assert response.status_code == 200
    assert mentor.full_name in response.content.decode()
    client.post(page(cohort), {"mentor": mentor.pk, "rank": "1"})
    assert MentorChoice.objects.get(mentee=mentee).mentor == mentor
    client.post(page(cohort), {"mentor": mentor.pk, "remove": "on"})
    assert not MentorChoice.objects.exists()


def test_bad_posts_get_a_message_not_a_500(login, cohort):
    mentee = make_mentee(cohort)
    client = login(mentee)
    for data in [{}, {"mentor": "x"}, {"mentor": 999999, "rank": "1"}, {"mentor": 1, "rank": "9"}]:
        response = client.post(page(cohort), data, follow=True)
        assert response.status_code == 200
    assert not MentorChoice.objects.exists()


@pytest.mark.parametrize("who", ["mentor", "staff", "stranger"])
def test_only_accepted_mentees_of_the_cohort_choose(request, login, cohort, who):
    assert login(request.getfixturevalue(who)).get(page(cohort)).status_code == 404


def test_a_minor_without_consent_cannot_choose(login, cohort):
    minor = make_mentee(cohort, age=15, with_consent=False)
    assert login(minor).get(page(cohort)).status_code == 403


def test_the_page_lists_mentors_with_bounded_queries(login, cohort, django_assert_max_num_queries):
    mentee = make_mentee(cohort)
    for _ in range(25):
        make_mentor(cohort)
    client = login(mentee)
    with django_assert_max_num_queries(20):
        response = client.get(page(cohort))
    assert len(response.context["page"]) == 20


def test_her_choices_feed_the_next_matching_run(cohort, staff):
    mentee = make_mentee(cohort, fields=("biology",))
    best_on_paper = make_mentor(cohort, fields=("biology",), capacity=1)
    chosen = make_mentor(cohort, fields=("geology",), capacity=1)
    services.set_mentor_choices(cohort=cohort, mentee=mentee, mentor_ids=[chosen.pk])
    run = services.start_matching_run(cohort=cohort, staff=staff, mode="optimal", options={})
    proposal = Proposal.objects.get(run=run, mentee=mentee)
    assert proposal.mentor_id in {chosen.pk, best_on_paper.pk}
    assert any(f["code"] == "mentee_choice" for f in proposal.factors) == (
        proposal.mentor_id == chosen.pk
    )


def test_the_api_lists_options_and_sets_choices(login, cohort):
    mentee = make_mentee(cohort)
    mentor = make_mentor(cohort)
    client = login(mentee)
    data = client.get(f"/api/v1/matching/cohorts/{cohort.pk}/mentor-options").json()
    assert data["items"][0]["mentor"]["id"] == mentor.pk
    assert data["items"][0]["reasons"]
    response = client.put(
        f"/api/v1/matching/cohorts/{cohort.pk}/mentor-choices",
        {"mentor_ids": [mentor.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    bad = client.put(
        f"/api/v1/matching/cohorts/{cohort.pk}/mentor-choices",
        {"mentor_ids": [mentor.pk, mentor.pk]},
        content_type="application/json",
    )
    assert bad.status_code == 409


def test_concurrent_rankings_by_one_mentee_keep_at_most_three(postgres_only, run_concurrently):
    from stem4all.programmes.tests.factories import CohortFactory

    cohort = CohortFactory()
    mentee = make_mentee(cohort)
    mentors = [make_mentor(cohort) for _ in range(6)]

    def choose(i):
        return services.rank_mentor(cohort=cohort, mentee=mentee, mentor_id=mentors[i].pk, rank=1)

    results, errors = run_concurrently(choose, n=6)
    assert not [e for e in errors if not isinstance(e, services.MatchingError)], errors
    ranks = list(MentorChoice.objects.filter(mentee=mentee).values_list("rank", flat=True))
    assert sorted(ranks) == list(range(1, len(ranks) + 1)) and len(ranks) <= 3
