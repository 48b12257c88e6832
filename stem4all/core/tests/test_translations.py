"""The Russian and Kyrgyz catalogues are complete, compiled, and cover every string."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGS = ["ru", "ky"]


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGS)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(code):
    po = catalogue(code)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{code}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{code}: fuzzy: {fuzzy[:10]}"
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("code", LANGS)
def test_placeholders_survive_translation(code):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}|\{\w*\}")
    for entry in catalogue(code).translated_entries():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = set(pattern.findall(sources[-1])) | set(pattern.findall(sources[0]))
        for target in targets:
            assert set(pattern.findall(target)) <= wanted, (entry.msgid, target)
            assert set(pattern.findall(sources[0])) - {"%(counter)s"} <= set(
                pattern.findall(target)
            ) | {"%(counter)s"}, (entry.msgid, target)


@pytest.mark.parametrize("code", LANGS)
def test_compiled_catalogue_matches_the_source(code):
    po = catalogue(code)
    mo = polib.mofile(str(ROOT / "locale" / code / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo}
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"{code}: run `make messages`"


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh into a copy and compare: a new string that nobody
    added to the catalogues fails here. Needs GNU gettext (.ci/run installs it)."""
    assert shutil.which("xgettext"), "install GNU gettext"
    for part in ["stem4all", "templates", "config", "locale", "manage.py"]:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / part)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "STEM4ALL_VAR_DIR": str(tmp_path / "var")},
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue("ru")}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known]
    assert not missing, f"strings missing from the catalogues (run `make messages`): {missing[:10]}"
