"""``stem4all run-periodic``: the periodic rules, safe to run as often as wanted (cron
every 15 minutes). Prints one line per rule."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the periodic rules: check-ins due, meeting reminders, inactivity, digests."

    def handle(self, *args, **options):
        from stem4all.checkins import services
        from stem4all.notifications.tasks import send_message_digests

        pulses = services.create_due_pulse_checks()
        self.stdout.write(f"pulse check-ins: {pulses} created")
        reminders = services.send_meeting_reminders()
        self.stdout.write(f"meeting reminders: {reminders} sent")
        inactivity = services.apply_inactivity_rules()
        self.stdout.write(
            f"inactivity: {inactivity['reminders']} reminders, {inactivity['flags']} flags"
        )
        digests = send_message_digests()
        self.stdout.write(f"message digests: {digests} sent")
