"""Personas and shared fixtures for every test.

Each persona is a verified, active account with the profile and role its name says,
in one shared cohort (``cohort``) of one programme (``programme``). ``stranger``
takes part in nothing; ``other_staff`` runs a different programme.
"""

import pytest
from django.core.cache import cache

from stem4all.accounts.tests.factories import (
    PASSWORD,
    GuardianConsentFactory,
    LanguageSkillFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
    years_ago,
)
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STEM4ALL_REQUIRE_STAFF_MFA = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_by_default():
    # A test (or a view it calls) that activates a language must not leak it.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps rate-limit counters in the cache: start every test afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def cohort(db):
    return CohortFactory(programme__name="STEM4ALL Test Programme")


@pytest.fixture
def programme(cohort):
    return cohort.programme


def _participant(user, cohort, role):
    ParticipationFactory(user=user, cohort=cohort, role=role)
    return user


@pytest.fixture
def mentee(cohort):
    user = UserFactory(full_name="Aizada Testova", email="mentee@example.org")
    LanguageSkillFactory(user=user, language="ky", level="native")
    LanguageSkillFactory(user=user, language="en", level="B2")
    MenteeProfileFactory(user=user)
    return _participant(user, cohort, Participation.Role.MENTEE)


@pytest.fixture
def minor_mentee(cohort):
    user = UserFactory(
        full_name="Nuraiym Testova", email="minor@example.org", date_of_birth=years_ago(15)
    )
    LanguageSkillFactory(user=user, language="ky", level="native")
    MenteeProfileFactory(user=user, education_level="school", school_grade=9)
    GuardianConsentFactory(mentee=user)
    return _participant(user, cohort, Participation.Role.MENTEE)


@pytest.fixture
def mentor(cohort):
    profile = MentorProfileFactory(
        user__full_name="Elena Testmentor", user__email="mentor@example.org"
    )
    LanguageSkillFactory(user=profile.user, language="en", level="C2")
    LanguageSkillFactory(user=profile.user, language="ru", level="native")
    return _participant(profile.user, cohort, Participation.Role.MENTOR)


@pytest.fixture
def staff(cohort):
    user = UserFactory(full_name="Gulnara Teststaff", email="staff@example.org", is_staff=True)
    return _participant(user, cohort, Participation.Role.STAFF)


@pytest.fixture
def other_staff(db):
    """Staff of another programme: must see nothing of ``cohort``."""
    user = UserFactory(full_name="Other Staff", email="other-staff@example.org", is_staff=True)
    return _participant(user, CohortFactory(), Participation.Role.STAFF)


@pytest.fixture
def jury_member(cohort):
    return _participant(UserFactory(full_name="Test Juror"), cohort, Participation.Role.JURY)


@pytest.fixture
def partner(cohort):
    return _participant(UserFactory(full_name="Test Partner"), cohort, Participation.Role.PARTNER)


@pytest.fixture
def voter(db):
    return UserFactory(full_name="Test Voter")


@pytest.fixture
def stranger(db):
    return UserFactory(full_name="Test Stranger", email="stranger@example.org")


@pytest.fixture
def login(client):
    """Sign a persona in on the test client: ``login(mentee)``."""

    def _login(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    return _login


@pytest.fixture
def postgres_only(transactional_db):
    """Races are proven on PostgreSQL (row locks, real concurrency); SQLite serialises
    every writer, so there is nothing to race. .ci/run runs these on PostgreSQL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture
def run_concurrently():
    """Run ``fn`` in ``n`` threads released at the same instant; return results and errors."""
    import threading

    from django.db import connection as main_connection

    def _run(fn, n=8):
        barrier = threading.Barrier(n)
        results, errors = [], []
        lock = threading.Lock()

        def worker(i):
            from django.db import connection

            try:
                barrier.wait()
                value = fn(i)
                with lock:
                    results.append(value)
            except Exception as exc:  # noqa: BLE001 - collected for the test to inspect
                with lock:
                    errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        main_connection.close()
        return results, errors

    return _run


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    # Uploaded and seeded files (logos, photos, recordings) never land in var/media.
    settings.MEDIA_ROOT = str(tmp_path / "media")
