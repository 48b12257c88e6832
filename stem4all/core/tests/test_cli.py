import subprocess
import sys

from stem4all.cli import main


def test_the_stem4all_command_runs_django_commands(capsys):
    main(["stem4all", "check"])
    assert "no issues" in capsys.readouterr().out


def test_stem4all_worker_is_the_task_worker():
    result = subprocess.run(
        [sys.executable, "-m", "stem4all.cli", "worker", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--queue-name" in result.stdout


def test_account_security_pages_open(login, mentee):
    client = login(mentee)
    for url in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]:
        assert client.get(url).status_code == 200, url
