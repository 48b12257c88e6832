"""Matching runs, staff's review, publishing, mentors' answers, the cascade, expiry."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from stem4all.accounts.choices import Language, StemField
from stem4all.accounts.models import GuardianConsent
from stem4all.matching import services
from stem4all.matching.explanations import describe_factors, describe_unmatched
from stem4all.matching.models import (
    MatchingRun,
    MentorChoice,
    PairRule,
    Proposal,
    UnmatchedMentee,
)
from stem4all.matching.tests.factories import (
    MentorshipFactory,
    ProposalFactory,
    make_mentee,
    make_mentor,
)
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.tests.factories import CohortFactory

MatchingError = services.MatchingError


def run_for(cohort, staff, mode="optimal", **options):
    return services.start_matching_run(cohort=cohort, staff=staff, mode=mode, options=options)


def drafts(run):
    return list(run.proposals.filter(status=Proposal.Status.DRAFT).select_related("mentee"))


def pairs(run, status=Proposal.Status.DRAFT):
    return {(p.mentee_id, p.mentor_id) for p in run.proposals.filter(status=status)}


def publish(run, staff, capture):
    with capture(execute=True):
        return services.publish_matching_run(run=run, staff=staff)


# -------------------------------------------------------------------------------- runs


def test_a_run_proposes_pairs_within_each_mentors_capacity(staff, cohort):
    mentees = [make_mentee(cohort) for _ in range(5)]
    first, second = make_mentor(cohort, capacity=2), make_mentor(cohort, capacity=1)
    run = run_for(cohort, staff)
    assert run.status == MatchingRun.Status.DRAFT
    loads = Counter(p.mentor_id for p in drafts(run))
    assert loads == {first.pk: 2, second.pk: 1}
    unmatched = {row.mentee_id: row.reason for row in run.unmatched.all()}
    assert len(unmatched) == 2
    assert set(unmatched) | {p.mentee_id for p in drafts(run)} == {m.pk for m in mentees}
    assert set(unmatched.values()) == {UnmatchedMentee.Reason.CAPACITY_TAKEN}
    assert run.summary["mentees"] == 5 and run.summary["free_places"] == 3
    assert not mail.outbox, "a draft run tells nobody"


def test_every_draft_explains_itself_in_sentences(staff, cohort):
    mentee = make_mentee(cohort, fields=("data_science",), preferred_mentor_type="regional")
    make_mentor(cohort, fields=("data_science", "software"))
    run = run_for(cohort, staff)
    (proposal,) = drafts(run)
    assert proposal.mentee == mentee
    assert 0 < proposal.score <= 1
    assert {factor["code"] for factor in proposal.factors} >= {"fields", "language"}
    sentences = describe_factors(proposal.factors)
    assert "Shares Data science and AI" in sentences
    assert "She asked for a regional mentor" in sentences
    assert any(sentence.startswith("Both speak") for sentence in sentences)


def test_a_minor_without_guardian_consent_is_never_in_a_run(staff, cohort):
    minor = make_mentee(cohort, age=15, with_consent=False)
    make_mentor(cohort, cleared_for_minors=True)
    run = run_for(cohort, staff)
    assert not run.proposals.exists()
    row = run.unmatched.get()
    assert (row.mentee, row.reason) == (minor, UnmatchedMentee.Reason.CANNOT_BE_MATCHED)
    assert run.summary["mentees"] == 0 and run.summary["mentees_left_out"] == 1


def test_a_mentee_of_unknown_age_is_never_in_a_run(staff, cohort):
    make_mentee(cohort, age=None)
    make_mentor(cohort)
    run = run_for(cohort, staff)
    assert not run.proposals.exists()
    assert run.unmatched.get().reason == UnmatchedMentee.Reason.CANNOT_BE_MATCHED


def test_a_minor_with_consent_gets_only_a_mentor_cleared_for_minors(staff, cohort):
    minor = make_mentee(cohort, age=15)
    make_mentor(cohort, cleared_for_minors=False)
    cleared = make_mentor(cohort, cleared_for_minors=True)
    (proposal,) = drafts(run_for(cohort, staff))
    assert (proposal.mentee, proposal.mentor) == (minor, cleared)


def test_a_revoked_consent_takes_a_minor_out_of_the_next_run(staff, cohort):
    minor = make_mentee(cohort, age=15)
    make_mentor(cohort, cleared_for_minors=True)
    GuardianConsent.objects.filter(mentee=minor).update(revoked_at=timezone.now())
    run = run_for(cohort, staff)
    assert not run.proposals.exists()


@pytest.mark.parametrize("screening", ["applied", "references_checked", "trained"])
def test_a_mentor_not_cleared_is_never_proposed(staff, cohort, screening):
    make_mentee(cohort)
    make_mentor(cohort, screening_status=screening)
    run = run_for(cohort, staff)
    assert not run.proposals.exists()
    assert run.summary["mentors"] == 0


def test_free_places_count_open_mentorships_and_pending_proposals_in_every_cohort(staff, cohort):
    make_mentee(cohort)
    mentor = make_mentor(cohort, capacity=2)
    elsewhere = CohortFactory()
    MentorshipFactory(cohort=elsewhere, mentor=mentor)
    ProposalFactory(cohort=elsewhere, mentor=mentor)
    run = run_for(cohort, staff)
    assert not run.proposals.exists()
    assert run.unmatched.get().reason == UnmatchedMentee.Reason.NO_MENTOR_WITH_CAPACITY
    MentorshipFactory(cohort=elsewhere, mentor=mentor, status=Mentorship.Status.ENDED_EARLY)
    Mentorship.objects.filter(mentor=mentor, status="active").update(status="completed")
    assert len(drafts(run_for(cohort, staff))) == 1


def test_mentees_with_a_mentor_or_a_pending_proposal_are_not_in_a_run(staff, cohort):
    with_mentor, waiting, free = (make_mentee(cohort) for _ in range(3))
    mentor = make_mentor(cohort, capacity=5)
    MentorshipFactory(cohort=cohort, mentee=with_mentor, mentor=mentor)
    ProposalFactory(cohort=cohort, mentee=waiting, mentor=mentor)
    run = run_for(cohort, staff)
    assert {p.mentee_id for p in drafts(run)} == {free.pk}
    assert not run.unmatched.exists()


def test_a_mentee_who_speaks_no_shared_language_is_unmatched_with_the_reason(staff, cohort):
    make_mentee(cohort, languages=[("ky", "native")])
    make_mentor(cohort, languages=[("en", "C2")])
    row = run_for(cohort, staff).unmatched.get()
    assert row.reason == UnmatchedMentee.Reason.NO_SHARED_LANGUAGE
    assert "No mentor shares a working language" in describe_unmatched(row.reason)


def test_the_language_level_option_is_honoured(staff, cohort):
    make_mentee(cohort, languages=[("en", "A2")])
    make_mentor(cohort, languages=[("en", "C2")])
    assert not run_for(cohort, staff).proposals.exists()
    assert len(drafts(run_for(cohort, staff, min_language_level="A2"))) == 1


@pytest.mark.parametrize(
    "options",
    [
        {"regional_floor": 1.5},
        {"max_international_share": -0.1},
        {"top_k": 0},
        {"top_k": "many"},
        {"response_days": 0},
        {"min_language_level": "native"},
        {"spread_load": "yes"},
        {"colour": "blue"},
    ],
)
def test_bad_options_are_refused_before_the_engine_runs(staff, cohort, options):
    with pytest.raises(MatchingError):
        run_for(cohort, staff, **options)
    assert not MatchingRun.objects.exists()


def test_an_unknown_mode_is_refused(staff, cohort):
    with pytest.raises(MatchingError):
        run_for(cohort, staff, mode="random")


def test_stable_mode_runs_and_reports_no_blocking_pair(staff, cohort):
    for _ in range(3):
        make_mentee(cohort)
    make_mentor(cohort, capacity=2)
    run = run_for(cohort, staff, mode="stable")
    assert run.mode == "stable"
    assert len(drafts(run)) == 2
    assert run.summary["blocking_pairs"] == 0


def test_her_ranked_choices_feed_the_engine(staff, cohort):
    mentee = make_mentee(cohort)
    make_mentor(cohort, capacity=1)
    chosen = make_mentor(cohort, capacity=1)
    MentorChoice.objects.create(cohort=cohort, mentee=mentee, mentor=chosen, rank=1)
    (proposal,) = drafts(run_for(cohort, staff))
    assert proposal.mentor == chosen
    assert "Her 1st choice" in describe_factors(proposal.factors)


# ------------------------------------------------------------------ locks, forbids, swap


def test_a_rerun_keeps_locks_and_discards_the_old_draft(staff, cohort):
    mentee = make_mentee(cohort)
    preferred = make_mentor(cohort, fields=("data_science",))
    other = make_mentor(cohort, fields=("physics",))
    run = run_for(cohort, staff)
    assert pairs(run) == {(mentee.pk, preferred.pk)}
    services.lock_pair(run=run, mentee=mentee, mentor=other, staff=staff)
    assert PairRule.objects.get().kind == PairRule.Kind.LOCK
    new = services.rerun_matching(run=run, staff=staff)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DISCARDED
    (proposal,) = drafts(new)
    assert (proposal.mentor, proposal.is_locked) == (other, True)
    assert new.options == run.options and new.mode == run.mode
    again = services.rerun_matching(run=new, staff=staff)
    assert pairs(again) == {(mentee.pk, other.pk)}


def test_locking_a_proposed_pair_marks_its_draft(staff, cohort):
    mentee = make_mentee(cohort)
    mentor = make_mentor(cohort)
    run = run_for(cohort, staff)
    services.lock_pair(run=run, mentee=mentee, mentor=mentor, staff=staff)
    assert run.proposals.get().is_locked
    services.unlock_pair(run=run, mentee=mentee, mentor=mentor, staff=staff)
    assert not run.proposals.get().is_locked
    assert not PairRule.objects.exists()


def test_a_pair_that_breaks_a_hard_rule_cannot_be_locked(staff, cohort):
    minor = make_mentee(cohort, age=15)
    mentor = make_mentor(cohort, cleared_for_minors=False)
    run = run_for(cohort, staff)
    with pytest.raises(MatchingError):
        services.lock_pair(run=run, mentee=minor, mentor=mentor, staff=staff)
    assert not PairRule.objects.exists()


def test_a_mentee_is_locked_to_one_mentor_at_most(staff, cohort):
    mentee = make_mentee(cohort)
    first, second = make_mentor(cohort), make_mentor(cohort)
    run = run_for(cohort, staff)
    services.lock_pair(run=run, mentee=mentee, mentor=first, staff=staff)
    with pytest.raises(MatchingError):
        services.lock_pair(run=run, mentee=mentee, mentor=second, staff=staff)


def test_a_forbidden_pair_is_never_proposed_again(staff, cohort):
    mentee = make_mentee(cohort)
    mentor = make_mentor(cohort)
    run = run_for(cohort, staff)
    services.forbid_pair(run=run, mentee=mentee, mentor=mentor, staff=staff)
    assert run.proposals.get().status == Proposal.Status.WITHDRAWN
    assert run.unmatched.get().reason == UnmatchedMentee.Reason.PAIR_FORBIDDEN
    new = services.rerun_matching(run=run, staff=staff)
    assert not new.proposals.exists()
    assert new.unmatched.get().reason == UnmatchedMentee.Reason.ALL_EXCLUDED
    with pytest.raises(MatchingError):
        services.publish_matching_run(run=run, staff=staff)  # discarded by the re-run


def test_rules_need_people_of_the_runs_cohort(staff, cohort):
    make_mentee(cohort)
    make_mentor(cohort)
    run = run_for(cohort, staff)
    elsewhere = CohortFactory()
    with pytest.raises(MatchingError):
        services.lock_pair(
            run=run, mentee=make_mentee(elsewhere), mentor=make_mentor(elsewhere), staff=staff
        )


def test_swap_gives_each_pair_the_others_mentor_and_recomputes_the_reasons(staff, cohort):
    data = make_mentee(cohort, fields=("data_science",))
    physics = make_mentee(cohort, fields=("physics",))
    data_mentor = make_mentor(cohort, fields=("data_science",), capacity=1)
    physics_mentor = make_mentor(cohort, fields=("physics",), capacity=1)
    run = run_for(cohort, staff)
    assert pairs(run) == {(data.pk, data_mentor.pk), (physics.pk, physics_mentor.pk)}
    a = run.proposals.get(mentee=data)
    b = run.proposals.get(mentee=physics)
    services.swap_mentors(run=run, proposal_a=a, proposal_b=b, staff=staff)
    assert pairs(run) == {(data.pk, physics_mentor.pk), (physics.pk, data_mentor.pk)}
    a.refresh_from_db()
    assert not any(s.startswith("Shares") for s in describe_factors(a.factors))


def test_swap_is_refused_when_a_new_pair_breaks_a_hard_rule(staff, cohort):
    minor = make_mentee(cohort, age=15)
    adult = make_mentee(cohort)
    cleared = make_mentor(cohort, cleared_for_minors=True, capacity=1)
    not_cleared = make_mentor(cohort, cleared_for_minors=False, capacity=1)
    run = run_for(cohort, staff)
    assert pairs(run) == {(minor.pk, cleared.pk), (adult.pk, not_cleared.pk)}
    a, b = run.proposals.get(mentee=minor), run.proposals.get(mentee=adult)
    with pytest.raises(MatchingError, match="under 18"):
        services.swap_mentors(run=run, proposal_a=a, proposal_b=b, staff=staff)
    assert pairs(run) == {(minor.pk, cleared.pk), (adult.pk, not_cleared.pk)}


def test_swap_is_refused_when_they_share_no_working_language(staff, cohort):
    kyrgyz = make_mentee(cohort, languages=[("ky", "native")])
    english = make_mentee(cohort, languages=[("en", "C1")])
    kyrgyz_mentor = make_mentor(cohort, languages=[("ky", "native")], capacity=1)
    english_mentor = make_mentor(cohort, languages=[("en", "C2")], capacity=1)
    run = run_for(cohort, staff)
    assert pairs(run) == {(kyrgyz.pk, kyrgyz_mentor.pk), (english.pk, english_mentor.pk)}
    a, b = run.proposals.get(mentee=kyrgyz), run.proposals.get(mentee=english)
    with pytest.raises(MatchingError, match="break a matching rule"):
        services.swap_mentors(run=run, proposal_a=a, proposal_b=b, staff=staff)
    assert pairs(run) == {(kyrgyz.pk, kyrgyz_mentor.pk), (english.pk, english_mentor.pk)}


def test_swap_is_refused_for_a_forbidden_pair_and_for_locked_pairs(staff, cohort):
    first, second = make_mentee(cohort), make_mentee(cohort)
    mentor_a, mentor_b = make_mentor(cohort, capacity=1), make_mentor(cohort, capacity=1)
    run = run_for(cohort, staff)
    a, b = run.proposals.get(mentee=first), run.proposals.get(mentee=second)
    PairRule.objects.create(cohort=cohort, mentee=first, mentor=b.mentor, kind=PairRule.Kind.FORBID)
    with pytest.raises(MatchingError, match="may not be paired"):
        services.swap_mentors(run=run, proposal_a=a, proposal_b=b, staff=staff)
    PairRule.objects.all().delete()
    services.lock_pair(run=run, mentee=first, mentor=a.mentor, staff=staff)
    with pytest.raises(MatchingError, match="locked"):
        services.swap_mentors(run=run, proposal_a=a, proposal_b=b, staff=staff)
    assert {mentor_a.pk, mentor_b.pk} == {a.mentor_id, b.mentor_id}


# ------------------------------------------------------------------------------ publish


def test_publishing_proposes_every_draft_and_emails_each_mentor(
    staff, cohort, django_capture_on_commit_callbacks
):
    mentees = [make_mentee(cohort) for _ in range(3)]
    mentors = [make_mentor(cohort, capacity=2), make_mentor(cohort, capacity=1)]
    run = run_for(cohort, staff, response_days=3)
    before = timezone.now()
    report = publish(run, staff, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert (run.status, report.proposed, report.superseded) == ("published", 3, 0)
    proposals = list(Proposal.objects.filter(cohort=cohort, status="proposed"))
    assert {p.mentee_id for p in proposals} == {m.pk for m in mentees}
    for proposal in proposals:
        assert before + dt.timedelta(days=3) <= proposal.respond_by
        assert proposal.respond_by <= timezone.now() + dt.timedelta(days=3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentors[0].email, mentors[0].email, mentors[1].email]
    )
    assert "accept or decline" in mail.outbox[0].body
    with pytest.raises(MatchingError):
        services.publish_matching_run(run=run, staff=staff)


def test_publishing_supersedes_a_draft_whose_mentor_filled_up_meanwhile(
    staff, cohort, django_capture_on_commit_callbacks
):
    make_mentee(cohort)
    mentor = make_mentor(cohort, capacity=1)
    run = run_for(cohort, staff)
    MentorshipFactory(cohort=CohortFactory(), mentor=mentor)  # her last place, elsewhere
    report = publish(run, staff, django_capture_on_commit_callbacks)
    assert (report.proposed, report.superseded) == (0, 1)
    assert run.proposals.get().status == Proposal.Status.SUPERSEDED
    assert not mail.outbox


def test_the_second_run_published_supersedes_mentees_who_already_wait(
    staff, cohort, django_capture_on_commit_callbacks
):
    make_mentee(cohort)
    make_mentor(cohort, capacity=3)
    first, second = run_for(cohort, staff), run_for(cohort, staff)
    assert publish(first, staff, django_capture_on_commit_callbacks).proposed == 1
    report = publish(second, staff, django_capture_on_commit_callbacks)
    assert (report.proposed, report.superseded) == (0, 1)
    assert Proposal.objects.filter(cohort=cohort, status="proposed").count() == 1


def test_publishing_rechecks_consent_and_clearance(
    staff, cohort, django_capture_on_commit_callbacks
):
    minor = make_mentee(cohort, age=15)
    make_mentor(cohort, cleared_for_minors=True)
    run = run_for(cohort, staff)
    GuardianConsent.objects.filter(mentee=minor).update(revoked_at=timezone.now())
    assert publish(run, staff, django_capture_on_commit_callbacks).superseded == 1


# ----------------------------------------------------------------------- mentor answers


@pytest.fixture
def proposed(staff, cohort, django_capture_on_commit_callbacks):
    """One published proposal: ``mentee`` -> ``mentor`` (capacity 1), and a spare mentor."""
    mentee = make_mentee(cohort, full_name="Asel Proposed")
    mentor = make_mentor(cohort, capacity=1, fields=("data_science",))
    spare = make_mentor(cohort, capacity=1, fields=("physics",))
    publish(run_for(cohort, staff), staff, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    proposal = Proposal.objects.get(status="proposed")
    assert (proposal.mentee, proposal.mentor) == (mentee, mentor)
    return proposal, spare


def test_accepting_starts_the_mentorship_and_tells_the_mentee(
    proposed, django_capture_on_commit_callbacks
):
    proposal, _spare = proposed
    with django_capture_on_commit_callbacks(execute=True):
        mentorship = services.accept_proposal(proposal=proposal, mentor=proposal.mentor)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.responded_at
    assert (mentorship.mentee, mentorship.mentor, mentorship.status) == (
        proposal.mentee,
        proposal.mentor,
        "active",
    )
    assert mentorship.proposal == proposal
    (message,) = mail.outbox
    assert message.to == [proposal.mentee.email]
    assert proposal.mentor.full_name in message.body
    with pytest.raises(MatchingError, match="no longer open"):
        services.accept_proposal(proposal=proposal, mentor=proposal.mentor)


def test_the_match_email_is_in_the_mentees_language(proposed, django_capture_on_commit_callbacks):
    proposal, _spare = proposed
    proposal.mentee.preferred_language = "ru"
    proposal.mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=proposal, mentor=proposal.mentor)
    with translation.override("ru"):
        greeting = translation.gettext("Dear %(name)s,") % {"name": "Asel"}
    assert greeting != "Dear Asel," and greeting in mail.outbox[0].body


def test_only_her_own_mentor_can_accept(proposed):
    proposal, spare = proposed
    with pytest.raises(MatchingError):
        services.accept_proposal(proposal=proposal, mentor=spare)
    assert not Mentorship.objects.exists()


def test_a_proposal_past_its_answer_date_cannot_be_accepted(proposed):
    proposal, _spare = proposed
    Proposal.objects.filter(pk=proposal.pk).update(respond_by=timezone.now() - dt.timedelta(1))
    with pytest.raises(MatchingError, match="time to answer"):
        services.accept_proposal(proposal=proposal, mentor=proposal.mentor)


def test_accepting_beyond_her_capacity_is_refused(proposed):
    proposal, _spare = proposed
    MentorshipFactory(cohort=CohortFactory(), mentor=proposal.mentor)
    with pytest.raises(MatchingError, match="no free place"):
        services.accept_proposal(proposal=proposal, mentor=proposal.mentor)
    assert not Mentorship.objects.filter(mentee=proposal.mentee).exists()


def test_accepting_after_her_consent_was_revoked_frees_the_place(staff, cohort):
    minor = make_mentee(cohort, age=15)
    mentor = make_mentor(cohort, cleared_for_minors=True)
    proposal = ProposalFactory(cohort=cohort, mentee=minor, mentor=mentor)
    GuardianConsent.objects.filter(mentee=minor).update(revoked_at=timezone.now())
    with pytest.raises(MatchingError, match="cannot be matched"):
        services.accept_proposal(proposal=proposal, mentor=mentor)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert not Mentorship.objects.exists()


def test_declining_needs_a_reason(proposed):
    proposal, _spare = proposed
    with pytest.raises(MatchingError):
        services.decline_proposal(proposal=proposal, mentor=proposal.mentor, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_declining_rematches_her_with_the_next_mentor_and_tells_her(
    proposed, django_capture_on_commit_callbacks
):
    proposal, spare = proposed
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(
            proposal=proposal, mentor=proposal.mentor, reason="I am travelling."
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "I am travelling.")
    new = Proposal.objects.get(status="proposed")
    assert (new.mentee, new.mentor, new.run) == (proposal.mentee, spare, None)
    assert new.respond_by > timezone.now()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([spare.email, proposal.mentee.email])
    to_mentee = next(m for m in mail.outbox if m.to == [proposal.mentee.email])
    assert "new mentor" in to_mentee.body
    assert proposal.mentor.full_name not in to_mentee.body


def test_a_declined_mentor_is_never_proposed_to_her_again(
    proposed, staff, cohort, django_capture_on_commit_callbacks
):
    proposal, spare = proposed
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(proposal=proposal, mentor=proposal.mentor, reason="Busy.")
    second = Proposal.objects.get(status="proposed")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(proposal=second, mentor=spare, reason="Busy too.")
    assert not Proposal.objects.filter(status="proposed").exists()
    row = UnmatchedMentee.objects.get(run=None)
    assert (row.mentee, row.reason) == (proposal.mentee, UnmatchedMentee.Reason.ALL_EXCLUDED)
    assert "still looking" in mail.outbox[-1].body
    run = run_for(cohort, staff)
    assert not run.proposals.exists()


def test_a_declined_lock_is_lifted(proposed, staff, cohort):
    proposal, _spare = proposed
    PairRule.objects.create(
        cohort=cohort, mentee=proposal.mentee, mentor=proposal.mentor, kind="lock"
    )
    services.decline_proposal(proposal=proposal, mentor=proposal.mentor, reason="No time.")
    assert not PairRule.objects.exists()


def test_overdue_proposals_expire_and_cascade(proposed, django_capture_on_commit_callbacks):
    proposal, spare = proposed
    assert services.expire_overdue_proposals() == 0
    later = timezone.now() + dt.timedelta(days=8)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue_proposals(now=later) == 1
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXPIRED
    new = Proposal.objects.get(status="proposed")
    assert (new.mentee, new.mentor) == (proposal.mentee, spare)
    assert any(message.to == [proposal.mentee.email] for message in mail.outbox)


def test_the_expire_command_expires_overdue_proposals(proposed, django_capture_on_commit_callbacks):
    proposal, _spare = proposed
    Proposal.objects.filter(pk=proposal.pk).update(respond_by=timezone.now() - dt.timedelta(1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_proposals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXPIRED


def test_an_expired_proposal_is_not_expired_twice(proposed):
    proposal, _spare = proposed
    later = timezone.now() + dt.timedelta(days=8)
    assert services.expire_overdue_proposals(now=later) == 1
    assert services.expire_overdue_proposals(now=later) == 0


# ---------------------------------------------------------------------------- re-match


def test_staff_rematch_a_mentee_whose_mentorship_ended_early(
    staff, cohort, django_capture_on_commit_callbacks
):
    from stem4all.mentorships.services import end_mentorship_early

    mentee = make_mentee(cohort)
    first = make_mentor(cohort, capacity=1)
    second = make_mentor(cohort, capacity=1)
    mentorship = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=first)
    with pytest.raises(MatchingError, match="already has a mentor"):
        services.rematch_mentee(cohort=cohort, mentee=mentee, staff=staff)
    end_mentorship_early(mentorship=mentorship, by=staff, reason="She moved abroad.")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, staff=staff)
    assert outcome.proposal.mentor == second
    assert outcome.proposal.status == Proposal.Status.PROPOSED
    assert {message.to[0] for message in mail.outbox} >= {second.email, mentee.email}
    with pytest.raises(MatchingError, match="waiting"):
        services.rematch_mentee(cohort=cohort, mentee=mentee, staff=staff)


def test_a_rematch_with_nobody_free_records_why(staff, cohort):
    mentee = make_mentee(cohort)
    mentor = make_mentor(cohort, capacity=1)
    MentorshipFactory(cohort=cohort, mentor=mentor)
    outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, staff=staff)
    assert outcome.proposal is None
    assert outcome.unmatched.reason == UnmatchedMentee.Reason.NO_MENTOR_WITH_CAPACITY


def test_a_minor_without_consent_is_never_rematched(staff, cohort):
    minor = make_mentee(cohort, age=15, with_consent=False)
    make_mentor(cohort, cleared_for_minors=True)
    with pytest.raises(MatchingError, match="cannot be matched"):
        services.rematch_mentee(cohort=cohort, mentee=minor, staff=staff)
    assert not Proposal.objects.exists()


def test_the_reasons_name_fields_and_languages_in_the_readers_language(staff, cohort):
    make_mentee(cohort)
    make_mentor(cohort)
    (proposal,) = drafts(run_for(cohort, staff))
    with translation.override("ru"):
        field, language = str(StemField.DATA_SCIENCE.label), str(Language.ENGLISH.label)
        russian = " ".join(describe_factors(proposal.factors))
    assert field != "Data science and AI" and field in russian
    assert language in russian


def test_a_rematch_keeps_staffs_lock(staff, cohort):
    mentee = make_mentee(cohort, fields=("data_science",))
    make_mentor(cohort, fields=("data_science",))
    chosen = make_mentor(cohort, fields=("physics",))
    PairRule.objects.create(cohort=cohort, mentee=mentee, mentor=chosen, kind="lock")
    outcome = services.rematch_mentee(cohort=cohort, mentee=mentee, staff=staff)
    assert outcome.proposal.mentor == chosen


def test_filling_her_last_place_supersedes_her_other_proposals_and_rematches_them(
    staff, cohort, django_capture_on_commit_callbacks
):
    mentor = make_mentor(cohort, capacity=2)
    spare = make_mentor(cohort, capacity=1)
    first, second = make_mentee(cohort), make_mentee(cohort)
    taken = ProposalFactory(cohort=cohort, mentee=first, mentor=mentor)
    waiting = ProposalFactory(cohort=cohort, mentee=second, mentor=mentor)
    mentor.mentor_profile.capacity = 1  # she lowered it after both were proposed
    mentor.mentor_profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_proposal(proposal=taken, mentor=mentor)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.SUPERSEDED
    new = Proposal.objects.get(mentee=second, status="proposed")
    assert new.mentor == spare
