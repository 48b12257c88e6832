"""Races on PostgreSQL: two staff revoking one code at once record one revocation."""

from stem4all.accounts.tests.factories import UserFactory
from stem4all.recordings import services
from stem4all.recordings.errors import RecordingError
from stem4all.recordings.models import AccessCode

from .factories import RecordingFactory


def test_revoking_a_code_at_once_from_two_sessions_records_one_revocation(
    postgres_only, run_concurrently
):
    recording = RecordingFactory()
    staff = [UserFactory(), UserFactory()]
    code, _friendly = services.create_access_code(recording=recording, by=staff[0], label="x")

    results, errors = run_concurrently(
        lambda i: services.revoke_access_code(code=code, by=staff[i % 2]).revoked_by_id, n=4
    )
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, RecordingError) for e in errors), errors
    assert AccessCode.objects.get().revoked_by_id == results[0]
