"""Who may not: staff of another programme, mentees, mentors and strangers are refused
every staff page and action; a mentor sees only proposals made to her."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from stem4all.matching import permissions, services
from stem4all.matching.models import MatchingRun, PairRule, Proposal
from stem4all.matching.tests.factories import MatchingRunFactory, ProposalFactory, make_mentor
from stem4all.mentorships.models import Mentorship

OUTSIDERS = ["mentee", "mentor", "minor_mentee", "other_staff", "stranger", "jury_member"]


@pytest.fixture
def draft_run(staff, mentee, mentor, cohort):
    return services.start_matching_run(cohort=cohort, staff=staff, mode="optimal", options={})


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_staff_of_the_programme_open_the_matching_pages(
    request, login, cohort, draft_run, who
):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/matching/staff/cohorts/{cohort.pk}/").status_code == 403
    assert (
        client.post(f"/matching/staff/cohorts/{cohort.pk}/", {"mode": "optimal"}).status_code == 403
    )
    assert client.get(f"/matching/staff/runs/{draft_run.pk}/").status_code == 403
    assert MatchingRun.objects.count() == 1


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("action", ["publish", "rerun", "discard", "swap", "lock", "forbid"])
def test_only_staff_of_the_programme_change_a_run(
    request, login, mentee, mentor, draft_run, who, action
):
    client = login(request.getfixturevalue(who))
    data = {"mentee": mentee.pk, "mentor": mentor.pk, "proposals": []}
    response = client.post(f"/matching/staff/runs/{draft_run.pk}/{action}/", data)
    assert response.status_code == 403
    draft_run.refresh_from_db()
    assert draft_run.status == MatchingRun.Status.DRAFT
    assert MatchingRun.objects.count() == 1 and not PairRule.objects.exists()
    assert not Proposal.objects.exclude(status="draft").exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_staff_of_the_programme_rematch(request, login, mentee, mentor, cohort, who):
    client = login(request.getfixturevalue(who))
    url = f"/matching/staff/cohorts/{cohort.pk}/mentees/{mentee.pk}/rematch/"
    assert client.post(url).status_code == 403
    assert not Proposal.objects.exists()


def test_staff_rematch_only_a_mentee_of_their_cohort(login, staff, stranger, cohort):
    url = f"/matching/staff/cohorts/{cohort.pk}/mentees/{stranger.pk}/rematch/"
    assert login(staff).post(url).status_code == 404


def test_a_missing_run_is_404_for_staff(login, staff):
    assert login(staff).get("/matching/staff/runs/999999/").status_code == 404


def test_staff_actions_need_post(login, staff, draft_run):
    client = login(staff)
    for action in ["publish", "rerun", "discard", "swap", "lock", "forbid", "unlock"]:
        assert client.get(f"/matching/staff/runs/{draft_run.pk}/{action}/").status_code == 405


@pytest.mark.parametrize("who", ["mentee", "stranger", "staff", "other_staff"])
def test_nobody_but_her_mentor_sees_or_answers_a_proposal(
    request, login, mentee, mentor, cohort, who
):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    client = login(request.getfixturevalue(who))
    assert client.post(f"/matching/proposals/{proposal.pk}/accept/").status_code == 404
    response = client.post(
        f"/matching/proposals/{proposal.pk}/decline/", {f"p{proposal.pk}-reason": "No."}
    )
    assert response.status_code == 404
    assert mentee.full_name not in client.get("/matching/proposals/").content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
    assert not Mentorship.objects.exists()


def test_another_mentor_cannot_answer_her_colleagues_proposal(login, mentee, mentor, cohort):
    proposal = ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    colleague = make_mentor(cohort)
    with pytest.raises(Http404):
        permissions.get_proposal_for_mentor(colleague, proposal.pk)
    with pytest.raises(services.MatchingError):
        services.accept_proposal(proposal=proposal, mentor=colleague)


def test_a_mentor_never_sees_a_draft(mentee, mentor, cohort):
    run = MatchingRunFactory(cohort=cohort)
    draft = ProposalFactory(run=run, cohort=cohort, mentee=mentee, mentor=mentor, status="draft")
    with pytest.raises(Http404):
        permissions.get_proposal_for_mentor(mentor, draft.pk)


def test_staff_of_another_programme_get_403_not_the_run(other_staff, draft_run):
    with pytest.raises(PermissionDenied):
        permissions.get_run_for_staff(other_staff, draft_run.pk)


def test_a_mentee_sees_no_mentor_while_a_proposal_waits(login, mentee, mentor, cohort):
    ProposalFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    data = login(mentee).get("/api/v1/me/match").json()
    assert data == [
        {
            "cohort_id": cohort.pk,
            "cohort_name": cohort.name,
            "state": "waiting",
            "mentorship_id": None,
            "mentor": None,
        }
    ]
