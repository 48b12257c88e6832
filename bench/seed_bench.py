"""Seeding benchmark: how long `seed_programme` takes at the real programme's size
(320 mentees x 251 mentors) and at ten times it (3,200 x 2,510), on a fresh temporary
SQLite database with the production password hasher (Argon2). Prints one JSON line per
size: seconds taken and the rows created."""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(320, 251), (3200, 2510)]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="stem4all-seed-bench-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from allauth.account.models import EmailAddress
        from django.core.management import call_command
        from django.db import connection

        from stem4all.accounts.models import (
            GuardianConsent,
            LanguageSkill,
            MenteeProfile,
            MentorProfile,
            User,
        )
        from stem4all.core.demo_data import seed_programme
        from stem4all.programmes.models import Participation

        call_command("migrate", interactive=False, verbosity=0)
        for mentees, mentors in SIZES:
            call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            summary = seed_programme(mentees=mentees, mentors=mentors, seed=1)
            seconds = time.perf_counter() - started
            rows = {
                "users": User.objects.count(),
                "email_addresses": EmailAddress.objects.count(),
                "language_skills": LanguageSkill.objects.count(),
                "mentee_profiles": MenteeProfile.objects.count(),
                "mentor_profiles": MentorProfile.objects.count(),
                "guardian_consents": GuardianConsent.objects.count(),
                "participations": Participation.objects.count(),
            }
            print(
                json.dumps(
                    {
                        "bench": "seed_programme",
                        "database": connection.vendor,
                        "mentees": mentees,
                        "mentors": mentors,
                        "created": summary.created,
                        "seconds": round(seconds, 3),
                        "international_mentors": summary.international_mentors,
                        "minors": summary.minors,
                        "rows": rows,
                    }
                ),
                flush=True,
            )
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
