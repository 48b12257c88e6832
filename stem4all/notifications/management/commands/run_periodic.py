"""``stem4all run-periodic``: the periodic rules, safe to run as often as wanted (cron
every 15 minutes). Prints one line per rule."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the periodic rules: check-ins due, meeting and training reminders, inactivity, "
        "message digests, surveys opening and closing, the figures of recent cohorts' reports."
    )

    def handle(self, *args, **options):
        from stem4all.checkins.services import run_periodic

        done = run_periodic()
        inactivity = done["inactivity"]
        self.stdout.write(f"pulse check-ins: {done['pulse_checks']} created")
        self.stdout.write(f"meeting reminders: {done['meeting_reminders']} sent")
        self.stdout.write(f"training reminders: {done['training_reminders']} sent")
        self.stdout.write(
            f"inactivity: {inactivity['reminders']} reminders, {inactivity['flags']} flags"
        )
        self.stdout.write(f"message digests: {done['message_digests']} sent")
        self.stdout.write(f"survey notifications: {done['survey_notifications']} sent")
        self.stdout.write(f"report figures: {done['report_figures']} computed")
