"""`stem4all seed`: create the synthetic demo programme (see stem4all.core.demo_data)."""

from django.core.management.base import BaseCommand, CommandError

from stem4all.core.demo_data import DEMO_DOMAIN, DemoDataError, seed_programme


class Command(BaseCommand):
    help = (
        "Create a synthetic demo programme: one cohort with accepted mentees and mentors, "
        "pending applications and a login account for every role. Every name is invented "
        f"and every e-mail is on {DEMO_DOMAIN}. Does nothing if the demo programme exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mentees", type=int, default=320, help="accepted mentees (default 320)"
        )
        parser.add_argument(
            "--mentors", type=int, default=251, help="accepted mentors (default 251)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed: the same seed, the same people"
        )

    def handle(self, *args, mentees: int, mentors: int, seed: int, **options):
        try:
            summary = seed_programme(mentees=mentees, mentors=mentors, seed=seed)
        except (ValueError, DemoDataError) as error:
            raise CommandError(str(error)) from error
        for line in summary.report_lines():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Demo accounts:")
        for line in summary.account_lines():
            self.stdout.write(line)
