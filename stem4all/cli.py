"""The `stem4all` command: every Django management command, plus

stem4all demo      migrate, load the demo programme once, and serve it
stem4all seed      create a synthetic programme (see `stem4all seed --help`)
stem4all worker    run background tasks from the database queue
stem4all run-periodic  check-ins, reminders, inactivity rules, digests (cron)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "stem4all"
    # Product names for commands whose Django names differ.
    aliases = {"worker": "db_worker", "match-file": "match_file", "run-periodic": "run_periodic"}
    if len(argv) > 1 and argv[1] in aliases:
        argv[1] = aliases[argv[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
