"""Server time of the pages and list APIs at ten times the real programme's size
(3,200 mentees x 2,510 mentors), measured in-process with Django's test client on a
temporary database (SQLite, or the one in BENCH_DATABASE_URL). Prints one JSON line
per page: median, p95 and queries of one request. The budget is p95 < 100 ms."""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
# Only the pages whose name contains this text ("report", "award"); all when empty.
ONLY = os.environ.get("BENCH_PAGES", "")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="stem4all-pages-bench-") as tmp:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["STEM4ALL_REQUIRE_STAFF_MFA"] = "0"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from stem4all.accounts.models import User
        from stem4all.awards.demo import EDITION_2025, EDITION_2026
        from stem4all.awards.models import Nomination
        from stem4all.core.demo_data import COHORT_SLUG, seed_programme
        from stem4all.core.demo_impact import PAST_COHORT_SLUG
        from stem4all.core.demo_journey import PILOT_SLUG
        from stem4all.mentorships.models import Mentorship
        from stem4all.programmes.models import Cohort, Participation

        setup_test_environment()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        seed_programme(mentees=3200, mentors=2510, seed=1)
        # A database in use has its planner statistics; one just bulk-loaded has none
        # until autovacuum comes by (without them one report query took 0.7 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        cohort = Cohort.objects.get(slug=COHORT_SLUG)
        pilot = Cohort.objects.get(slug=PILOT_SLUG)
        past = Cohort.objects.get(slug=PAST_COHORT_SLUG)
        pair = Mentorship.objects.get(cohort=pilot, mentee__email="mentee@demo.stem4all.example")
        conversation = pair.conversation.pk
        applicant = Participation.objects.filter(cohort=cohort, status="applied").first()
        nominee = (
            Nomination.objects.filter(category__edition__slug=EDITION_2026, status="approved")
            .values_list("pk", flat=True)
            .first()
        )

        def client_for(email):
            client = Client()
            if email:
                user = User.objects.get(email=email)
                client.force_login(
                    user, backend="allauth.account.auth_backends.AuthenticationBackend"
                )
            return client

        pages = [
            ("landing", None, "/"),
            ("mentee dashboard", "mentee@demo.stem4all.example", "/dashboard/"),
            ("mentee profile", "mentee@demo.stem4all.example", "/profile/"),
            ("staff dashboard", "staff@demo.stem4all.example", "/dashboard/"),
            (
                "staff cohort list",
                "staff@demo.stem4all.example",
                f"/programmes/staff/cohorts/{cohort.pk}/",
            ),
            (
                "staff cohort list, page 40",
                "staff@demo.stem4all.example",
                f"/programmes/staff/cohorts/{cohort.pk}/?page=40",
            ),
            (
                "staff application",
                "staff@demo.stem4all.example",
                f"/programmes/staff/applications/{applicant.pk}/",
            ),
            (
                "API participants",
                "staff@demo.stem4all.example",
                f"/api/v1/cohorts/{cohort.pk}/participations",
            ),
            ("API me", "mentee@demo.stem4all.example", "/api/v1/me"),
            ("mentorship", "mentee@demo.stem4all.example", f"/mentorships/{pair.pk}/"),
            ("roadmap", "mentee@demo.stem4all.example", f"/roadmaps/mentorship/{pair.pk}/"),
            ("meetings", "mentee@demo.stem4all.example", f"/meetings/pair/{pair.pk}/"),
            ("conversation", "mentee@demo.stem4all.example", f"/messages/{conversation}/"),
            ("inbox", "mentee@demo.stem4all.example", "/messages/"),
            ("notifications", "mentee@demo.stem4all.example", "/notifications/"),
            (
                "staff health view",
                "staff@demo.stem4all.example",
                f"/mentorships/staff/cohorts/{pilot.pk}/",
            ),
            ("moderation queue", "staff@demo.stem4all.example", "/messages/moderation/"),
            ("API mentorships", "mentee@demo.stem4all.example", "/api/v1/mentorships/"),
            # The closed cohort 2025: 3,200 alumnae, 2,008 mentors, a year of pairs.
            # Cold: the cached figures are dropped before every request (reports/figures.py).
            (
                "report dashboard, staff (cold)",
                "staff@demo.stem4all.example",
                f"/reports/cohorts/{past.pk}/",
            ),
            (
                "report dashboard, staff",
                "staff@demo.stem4all.example",
                f"/reports/cohorts/{past.pk}/",
            ),
            (
                "report API (cold)",
                "funder@demo.stem4all.example",
                f"/api/v1/reports/cohorts/{past.pk}",
            ),
            (
                "report dashboard, funder",
                "funder@demo.stem4all.example",
                f"/reports/cohorts/{past.pk}/",
            ),
            (
                "API cohort report",
                "funder@demo.stem4all.example",
                f"/api/v1/reports/cohorts/{past.pk}",
            ),
            (
                "report, open cohort",
                "staff@demo.stem4all.example",
                f"/reports/cohorts/{cohort.pk}/",
            ),
            (
                "report, pilot cohort",
                "staff@demo.stem4all.example",
                f"/reports/cohorts/{pilot.pk}/",
            ),
            ("award edition", None, f"/awards/editions/{EDITION_2026}/"),
            (
                "award category",
                "mentee@demo.stem4all.example",
                f"/awards/editions/{EDITION_2026}/best-mentor/",
            ),
            ("award nominee", None, f"/awards/nominations/{nominee}/"),
            ("award results", None, f"/awards/editions/{EDITION_2025}/results/"),
            (
                "award integrity",
                "staff@demo.stem4all.example",
                f"/awards/editions/{EDITION_2026}/integrity/",
            ),
            ("award jury", "jury@demo.stem4all.example", "/awards/jury/"),
        ]
        for name, email, url in pages:
            if ONLY not in name:
                continue
            client = client_for(email)
            client.get(url)  # warm up
            timings = []
            for _ in range(REPEAT):
                if name.endswith("(cold)"):
                    cache.clear()
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if name.endswith("(cold)"):
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            timings.sort()
            print(
                json.dumps(
                    {
                        "bench": "page",
                        "page": name,
                        "url": url,
                        "database": connection.vendor,
                        "mentees": 3200,
                        "mentors": 2510,
                        "status": response.status_code,
                        "requests": REPEAT,
                        "median_ms": round(statistics.median(timings), 1),
                        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                        "queries": len(queries),
                        "bytes": len(response.content),
                    }
                ),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
