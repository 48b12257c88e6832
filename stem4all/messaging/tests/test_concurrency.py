"""Races on PostgreSQL: two moderators deciding one held message, and messages posted
while the mentorship pauses. Both are closed by row locks taken in the services."""

from stem4all.matching.tests.factories import make_mentee, make_mentor
from stem4all.mentorships import services as mentorship_services
from stem4all.mentorships.models import MentorshipEvent
from stem4all.messaging import services
from stem4all.messaging.models import Message
from stem4all.programmes.tests.factories import CohortFactory

from .factories import make_safeguarding_staff, open_pair_conversation

PHONE = "call me +996 555 123 456"


def test_two_moderators_deciding_one_held_message_at_once_make_exactly_one_decision(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    mentor = make_mentor(cohort)
    _mentorship, conversation = open_pair_conversation(
        cohort, mentee=make_mentee(cohort, age=15), mentor=mentor
    )
    moderators = [make_safeguarding_staff(cohort) for _ in range(2)]
    for _round in range(5):
        message = services.post_message(conversation=conversation, sender=mentor, text=PHONE)
        assert message.status == Message.Status.HELD

        def decide(i, message=message):
            if i == 0:
                return services.release_message(message=message, by=moderators[0], note="A")
            return services.reject_message(message=message, by=moderators[1], note="B")

        results, errors = run_concurrently(decide, n=2)
        assert len(results) == 1, (results, errors)
        assert len(errors) == 1 and isinstance(errors[0], services.MessagingError), errors
        assert "already been decided" in str(errors[0])
        (winner,) = results
        message.refresh_from_db()
        assert message.status == winner.status
        assert message.moderated_by_id == winner.moderated_by_id
        assert message.moderation_note == winner.moderation_note


def test_a_message_posted_while_the_pair_pauses_is_never_delivered_after_the_pause(
    postgres_only, run_concurrently
):
    cohort = CohortFactory()
    mentor = make_mentor(cohort, capacity=10)
    for _round in range(5):
        mentee = make_mentee(cohort)
        mentorship, conversation = open_pair_conversation(cohort, mentee=mentee, mentor=mentor)

        def act(i, mentorship=mentorship, conversation=conversation, mentee=mentee):
            if i == 0:
                return mentorship_services.pause_mentorship(
                    mentorship=mentorship, by=mentor, reason="Exams."
                )
            return services.post_message(
                conversation=conversation, sender=mentee, text=f"Message {i}"
            )

        results, errors = run_concurrently(act, n=6)
        assert all(isinstance(error, services.MessagingError) for error in errors), errors
        assert all("paused" in str(error) for error in errors)
        paused_at = MentorshipEvent.objects.get(
            mentorship=mentorship, to_status="paused"
        ).created_at
        posted = Message.objects.filter(conversation=conversation)
        assert posted.count() == len(results) - 1  # every post either stored or refused
        late = posted.filter(status=Message.Status.DELIVERED, created_at__gte=paused_at)
        assert not late.exists(), list(late.values_list("text", "created_at"))
        # After the race, the next post is refused.
        mentorship.refresh_from_db()
        assert mentorship.status == "paused"
