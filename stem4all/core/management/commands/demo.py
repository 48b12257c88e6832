"""`stem4all demo`: prepare the database, load the demo programme once, print the demo
accounts and serve the site on this machine."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from stem4all.core.demo_data import DemoDataError, seed_programme

DEMO_MENTEES = 320
DEMO_MENTORS = 251
DEMO_SEED = 1


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise CommandError(f"The port must be a number, not {value!r}.") from None
    if not 1 <= port <= 65535:
        raise CommandError(f"The port must be between 1 and 65535, not {port}.")
    return port


class Command(BaseCommand):
    help = (
        "Run the demo: apply migrations, load the synthetic demo programme once "
        f"({DEMO_MENTEES} mentees, {DEMO_MENTORS} mentors), print the demo accounts and "
        "serve the site at http://127.0.0.1:PORT."
    )
    # runserver runs the system checks itself.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            default=None,
            help="port to serve on (default: the PORT environment variable, else 8000)",
        )

    def handle(self, *args, port=None, **options):
        port = _port(port if port is not None else os.environ.get("PORT") or "8000")
        self.stdout.write("Applying database migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = seed_programme(mentees=DEMO_MENTEES, mentors=DEMO_MENTORS, seed=DEMO_SEED)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        write = self.stdout.write
        write("")
        for line in summary.report_lines():
            write(line)
        write("")
        write(self.style.SUCCESS("Demo accounts (every one uses the same password):"))
        for line in summary.account_lines():
            write(line)
        write("")
        if settings.STEM4ALL_REQUIRE_STAFF_MFA:
            write(
                self.style.WARNING(
                    "Staff two-factor sign-in is ON: the staff account will be asked to set up "
                    "an authenticator app. `make demo` turns it off "
                    "(STEM4ALL_REQUIRE_STAFF_MFA=0)."
                )
            )
        else:
            write(
                "Staff two-factor sign-in is OFF in this demo (STEM4ALL_REQUIRE_STAFF_MFA=0); "
                "in production staff must use it."
            )
        write("The demo accounts' e-mail addresses are already verified.")
        if "console" in settings.EMAIL_BACKEND:
            write(
                "To verify a new account: sign up, then find the e-mail printed on this "
                "console and open the confirmation link in it."
            )
        else:
            write("To verify a new account: open the link in the e-mail the site sends.")
        write("")
        write(self.style.SUCCESS(f"Serving the demo at http://127.0.0.1:{port}/ (Ctrl+C stops)"))
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
