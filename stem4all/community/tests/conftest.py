import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded logos and photos must not land in the project's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
