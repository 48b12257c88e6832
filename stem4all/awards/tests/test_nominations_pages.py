"""Nomination pages: nominating, the nominee's answer, the nominee's page with its
programme evidence, the staff's review queue and review page, and "my nominations"."""

import pytest
from django.urls import reverse

from stem4all.accounts.tests.factories import UserFactory, years_ago
from stem4all.awards import services
from stem4all.awards.models import Category, Nomination, Phase
from stem4all.community.models import Practice
from stem4all.community.tests.factories import (
    PartnerOrganisationFactory,
    PracticeFactory,
    PracticeResultFactory,
)
from stem4all.learning.tests.factories import RegistrationFactory, TrainingFactory
from stem4all.matching.tests.factories import MentorshipFactory
from stem4all.meetings.models import Meeting
from stem4all.meetings.tests.factories import MeetingFactory
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory
from stem4all.roadmaps.models import Roadmap, RoadmapStep

from .factories import CategoryFactory, EditionFactory, NominationFactory

Kind = Category.NomineeKind


@pytest.fixture
def edition(programme):
    return EditionFactory(programme=programme, phase=Phase.NOMINATIONS)


@pytest.fixture
def mentors(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.MENTOR)


@pytest.fixture
def mentees(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.MENTEE, slug="best-mentee")


@pytest.fixture
def organisations(edition):
    return CategoryFactory(edition=edition, nominee_kind=Kind.ORGANISATION, slug="partners")


def nominate_url(category):
    return reverse("awards:nominate", args=[category.pk])


def pending(category, nominee, by, **fields):
    return NominationFactory(
        category=category,
        nominee_user=nominee,
        nominated_by=by,
        status=Nomination.Status.PENDING,
        nominee_consented_at=None,
        **fields,
    )


# Nominating ---------------------------------------------------------------------------------


def test_a_participant_nominates_a_mentor_from_the_select(login, mentee, mentor, mentors, cohort):
    young = UserFactory(full_name="Young Unconsented", date_of_birth=years_ago(15))
    ParticipationFactory(user=young, cohort=cohort, role=Participation.Role.MENTOR)
    client = login(mentee)
    page = client.get(nominate_url(mentors))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Elena Testmentor" in content
    assert "Young Unconsented" not in content and "mentor@example.org" not in content
    assert '<label for="id_nominee">' in content and '<label for="id_statement">' in content

    response = client.post(
        nominate_url(mentors), {"nominee": mentor.pk, "statement": "Patient and kind."}
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == nomination.get_absolute_url()
    assert nomination.nominee_user == mentor and nomination.nominated_by == mentee
    assert client.get(response["Location"]).status_code == 200


def test_a_second_nomination_shows_a_clear_message(login, mentee, mentor, mentors):
    client = login(mentee)
    data = {"nominee": mentor.pk, "statement": "Patient and kind."}
    client.post(nominate_url(mentors), data)
    response = client.post(nominate_url(mentors), data, follow=True)
    assert "already nominated" in response.content.decode()
    assert Nomination.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"nominee": "not-a-number", "statement": "x"},
        {"nominee": "999999", "statement": "x"},
        {"nominee": "", "statement": "x" * 3001},
    ],
)
def test_bad_input_gives_the_form_again_never_a_500(login, mentee, mentors, data):
    response = login(mentee).post(nominate_url(mentors), data)
    assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_one_cannot_choose_oneself_or_a_staff_member(login, mentor, staff, mentors):
    client = login(mentor)
    for person in (mentor, staff):
        response = client.post(nominate_url(mentors), {"nominee": person.pk, "statement": "Me!"})
        assert response.status_code == 400
    assert not Nomination.objects.exists()


def test_strangers_may_not_nominate_and_an_unknown_category_is_not_found(
    login, stranger, other_staff, mentors, organisations, edition, client
):
    for person in (stranger, other_staff):
        assert login(person).get(nominate_url(mentors)).status_code == 403
    assert login(stranger).get(reverse("awards:nominate", args=[999999])).status_code == 404
    edition.public_may_nominate = True
    edition.save()
    assert login(stranger).get(nominate_url(organisations)).status_code == 200
    assert login(stranger).get(nominate_url(mentors)).status_code == 403
    client.logout()
    assert client.get(nominate_url(organisations)).status_code == 302  # to sign in


def test_outside_the_nominations_phase_the_page_says_so(login, mentee, mentor, programme):
    edition = EditionFactory(programme=programme, phase=Phase.VOTING)
    category = CategoryFactory(edition=edition)
    client = login(mentee)
    assert "Nominations are not open." in client.get(nominate_url(category)).content.decode()
    response = client.post(
        nominate_url(category), {"nominee": mentor.pk, "statement": "Kind."}, follow=True
    )
    assert "Nominations are not open." in response.content.decode()
    assert not Nomination.objects.exists()


# The nominee's answer -------------------------------------------------------------------------


def respond_url(nomination):
    return reverse("awards:nomination_respond", args=[nomination.pk])


def test_the_nominee_agrees_on_her_respond_page(login, mentor, mentee, mentors):
    nomination = pending(mentors, mentor, mentee)
    client = login(mentor)
    page = client.get(respond_url(nomination))
    assert page.status_code == 200 and nomination.statement in page.content.decode()
    response = client.post(
        respond_url(nomination), {"answer": "agree", "shows_meetings": "on"}, follow=True
    )
    assert "Your answer is saved." in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at and nomination.shows_meetings
    assert not nomination.shows_trainings


def test_the_nominee_declines(login, mentor, mentee, mentors):
    nomination = pending(mentors, mentor, mentee)
    login(mentor).post(respond_url(nomination), {"answer": "decline"})
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED


def test_no_one_else_sees_the_respond_page(login, mentor, mentee, staff, stranger, mentors):
    nomination = pending(mentors, mentor, mentee)
    for person in (mentee, staff, stranger):
        client = login(person)
        assert client.get(respond_url(nomination)).status_code == 404
        assert client.post(respond_url(nomination), {"answer": "agree"}).status_code == 404
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at is None


def test_a_minor_without_a_guardians_consent_is_told_why_she_cannot_agree(
    login, mentor, mentees, cohort
):
    young = UserFactory(date_of_birth=years_ago(15))
    ParticipationFactory(user=young, cohort=cohort, role=Participation.Role.MENTEE)
    nomination = pending(mentees, young, mentor)
    response = login(young).post(respond_url(nomination), {"answer": "agree"}, follow=True)
    assert "guardian" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.nominee_consented_at is None


def test_a_bad_answer_gives_the_form_again(login, mentor, mentee, mentors):
    nomination = pending(mentors, mentor, mentee)
    assert login(mentor).post(respond_url(nomination), {"answer": "maybe"}).status_code == 400


# The nominee's page ----------------------------------------------------------------------------


@pytest.fixture
def record(cohort, programme, mentor, mentee):
    """Mentor's programme record: 2 sessions held, 1 missed, 2 steps done, 1 training."""
    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    for outcome in ("happened", "happened", "missed"):
        MeetingFactory(mentorship=pair, outcome=outcome, status=Meeting.Status.ACCEPTED)
    roadmap = Roadmap.objects.create(mentorship=pair)
    for position, status in enumerate(["done", "done", "planned"]):
        RoadmapStep.objects.create(
            roadmap=roadmap, position=position, title=f"Step {position}", status=status
        )
    RegistrationFactory(training=TrainingFactory(programme=programme), user=mentor, attended=True)
    RegistrationFactory(training=TrainingFactory(programme=programme), user=mentor)
    return pair


def figure(content: str, label: str) -> str:
    rest = content.split(f"<dt>{label}</dt><dd>", 1)[1]
    return rest.split("</dd>", 1)[0]


def test_a_public_nomination_shows_only_the_evidence_she_chose(
    client, mentor, mentors, record, django_assert_max_num_queries
):
    nomination = NominationFactory(
        category=mentors, nominee_user=mentor, shows_meetings=True, shows_trainings=True
    )
    with django_assert_max_num_queries(12):
        response = client.get(nomination.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Elena Testmentor" in content and nomination.statement in content
    assert figure(content, "Mentoring sessions held") == "2"
    assert figure(content, "Trainings attended") == "1"
    assert "Roadmap steps done" not in content
    assert "mentor@example.org" not in content
    assert mentor.date_of_birth.isoformat() not in content
    assert str(mentor.date_of_birth.year) not in content


def test_the_roadmap_steps_count_when_chosen(client, mentor, mentors, record):
    nomination = NominationFactory(category=mentors, nominee_user=mentor, shows_roadmap_steps=True)
    content = client.get(nomination.get_absolute_url()).content.decode()
    assert figure(content, "Roadmap steps done") == "2"
    assert "Mentoring sessions held" not in content


def test_the_page_is_counted_in_the_same_few_queries_however_large_the_record(
    client, mentor, mentors, record, cohort, django_assert_max_num_queries
):
    nomination = NominationFactory(
        category=mentors,
        nominee_user=mentor,
        shows_meetings=True,
        shows_roadmap_steps=True,
        shows_trainings=True,
    )
    for _i in range(10):
        MeetingFactory(mentorship=record, outcome="happened")
    with django_assert_max_num_queries(12):
        content = client.get(nomination.get_absolute_url()).content.decode()
    assert figure(content, "Mentoring sessions held") == "12"


def test_a_nomination_not_public_is_seen_only_by_those_involved(
    client, login, mentor, mentee, staff, other_staff, stranger, mentors
):
    nomination = pending(mentors, mentor, mentee)
    url = nomination.get_absolute_url()
    assert client.get(url).status_code == 404
    for person in (stranger, other_staff):
        assert login(person).get(url).status_code == 404
    for person in (mentor, mentee, staff):
        assert login(person).get(url).status_code == 200


def test_a_public_page_of_a_person_whose_guardian_consent_went_is_hidden(
    client, mentees, minor_mentee
):
    nomination = NominationFactory(category=mentees, nominee_user=minor_mentee)
    assert client.get(nomination.get_absolute_url()).status_code == 200
    minor_mentee.guardian_consents.update(revoked_at=nomination.created_at)
    assert client.get(nomination.get_absolute_url()).status_code == 404


def test_an_organisations_page_links_its_published_practices(client, organisations, programme):
    organisation = PartnerOrganisationFactory(programme=programme)
    published = PracticeFactory(organisation=organisation, title="Girls Code Club")
    PracticeFactory(organisation=organisation, title="Secret Draft", status=Practice.Status.DRAFT)
    nomination = NominationFactory(
        category=organisations, nominee_user=None, nominee_organisation=organisation
    )
    content = client.get(nomination.get_absolute_url()).content.decode()
    assert published.get_absolute_url() in content and "Girls Code Club" in content
    assert "Secret Draft" not in content
    assert organisation.contact_email not in content


def test_a_practices_page_shows_its_summary_results_and_link(client, edition, programme):
    category = CategoryFactory(edition=edition, nominee_kind=Kind.PRACTICE, slug="p")
    practice = PracticeFactory(
        organisation=PartnerOrganisationFactory(programme=programme), summary="Robots in Naryn."
    )
    PracticeResultFactory(practice=practice)
    nomination = NominationFactory(category=category, nominee_user=None, nominee_practice=practice)
    content = client.get(nomination.get_absolute_url()).content.decode()
    assert "Robots in Naryn." in content and "Girls trained: 120 people" in content
    assert practice.get_absolute_url() in content


def test_statements_of_merged_nominations_show_on_the_target(
    client, mentors, mentor, mentee, partner, staff
):
    target = NominationFactory(category=mentors, nominee_user=mentor, nominated_by=mentee)
    merged = pending(mentors, mentor, partner, statement="Runs the robotics club.")
    services.review_nomination(nomination=merged, by=staff, decision="merge", merge_into=target)
    content = client.get(target.get_absolute_url()).content.decode()
    assert target.statement in content and "Runs the robotics club." in content
    assert client.get(merged.get_absolute_url()).status_code == 404
    assert "Test Partner" not in content  # nominators are not named in public


# Staff review ---------------------------------------------------------------------------------


def queue_url(edition, **params):
    url = reverse("awards:review", args=[edition.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_review_queue_lists_and_filters_in_a_few_queries(
    login, staff, mentors, mentee, edition, django_assert_max_num_queries
):
    people = [UserFactory() for _i in range(30)]
    for person in people:
        pending(mentors, person, mentee)
    NominationFactory(category=mentors, nominee_user=UserFactory(full_name="Approved Person"))
    client = login(staff)
    with django_assert_max_num_queries(14):
        response = client.get(queue_url(edition))
    assert response.status_code == 200
    content = response.content.decode()
    assert "31 nominations" in content and "Page 1 of 2" in content
    response = client.get(queue_url(edition, status="approved"))
    assert "Approved Person" in response.content.decode()
    assert people[0].full_name not in response.content.decode()
    assert client.get(queue_url(edition, status="nonsense")).status_code == 200
    assert client.get(queue_url(edition, page="x")).status_code == 200


def test_the_queue_and_review_pages_are_for_the_editions_staff_only(
    login, mentee, mentor, other_staff, stranger, mentors, edition
):
    nomination = pending(mentors, mentor, mentee)
    review_url = reverse("awards:review_nomination", args=[nomination.pk])
    for person in (other_staff, stranger, mentee):
        client = login(person)
        assert client.get(queue_url(edition)).status_code == 403
    assert login(mentee).get(review_url).status_code == 403  # she made it
    for person in (other_staff, stranger):
        assert login(person).get(review_url).status_code == 404
        response = login(person).post(review_url, {"decision": "reject", "reason": "x"})
        assert response.status_code == 404
    assert login(stranger).get(reverse("awards:review", args=["nope"])).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


def test_staff_approve_reject_and_merge_on_the_review_page(
    login, staff, mentee, mentor, partner, mentors, edition
):
    consented = pending(mentors, mentor, mentee)
    services.consent_to_nomination(nomination=consented, nominee=mentor)
    duplicate = pending(mentors, mentor, partner)
    client = login(staff)
    url = reverse("awards:review_nomination", args=[consented.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Aizada Testova" in page.content.decode()
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302 and response["Location"] == queue_url(edition)
    consented.refresh_from_db()
    assert consented.status == Nomination.Status.APPROVED

    url = reverse("awards:review_nomination", args=[duplicate.pk])
    assert client.post(url, {"decision": "reject"}).status_code == 400  # no reason
    response = client.post(url, {"decision": "approve"}, follow=True)
    assert "has not agreed" in response.content.decode()
    client.post(url, {"decision": "merge", "merge_into": consented.pk})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == consented

    other = pending(mentors, UserFactory(), mentee)
    url = reverse("awards:review_nomination", args=[other.pk])
    client.post(url, {"decision": "reject", "reason": "Not in the programme."})
    other.refresh_from_db()
    assert other.status == Nomination.Status.REJECTED
    response = client.post(url, {"decision": "reject", "reason": "Again."}, follow=True)
    assert "already been reviewed" in response.content.decode()


def test_merging_into_another_nominee_is_refused_by_the_form(login, staff, mentee, mentor, mentors):
    nomination = pending(mentors, mentor, mentee)
    someone_else = pending(mentors, UserFactory(), mentee)
    url = reverse("awards:review_nomination", args=[nomination.pk])
    response = login(staff).post(url, {"decision": "merge", "merge_into": someone_else.pk})
    assert response.status_code == 400
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING


# My nominations -------------------------------------------------------------------------------


def test_my_nominations_lists_those_i_made_and_those_of_me(
    login, mentee, mentor, mentors, mentees, partner, django_assert_max_num_queries
):
    made = pending(mentors, mentor, mentee)
    of_me = pending(mentees, mentee, partner)
    for _i in range(5):
        pending(mentors, UserFactory(), mentee)
    client = login(mentee)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("awards:my_nominations"))
    content = response.content.decode()
    assert made.get_absolute_url() in content
    assert respond_url(of_me) in content
    assert "Test Partner" not in content  # who nominated her is not shown


def test_my_nominations_needs_sign_in(client):
    assert client.get(reverse("awards:my_nominations")).status_code == 302
