import pytest

from stem4all.recordings import services

from .factories import FileRecordingFactory, RecordingFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def recording(cohort):
    return RecordingFactory(cohort=cohort)


@pytest.fixture
def file_recording(cohort):
    return FileRecordingFactory(cohort=cohort)


@pytest.fixture
def make_code(staff):
    def _make(recording, label="For the school in Naryn"):
        return services.create_access_code(recording=recording, by=staff, label=label)

    return _make
