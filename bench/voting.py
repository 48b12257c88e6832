"""Public voting under load, at ten times the real programme (5,540 voters against 554):
one open edition with 8 categories of 10 public nominations, every voter with a personal
API token, served by gunicorn (2 workers x 4 threads, gthread: on two cores more
threads only contend for the interpreter; BENCH_WORKERS, BENCH_THREADS and
BENCH_CLIENT_THREADS change it) on PostgreSQL with the rate-limit counter in Redis
shared by the workers, behind one trusted proxy (PROXY_COUNT=1). 16 client threads
(http.client, keep-alive) each send
``POST /api/v1/awards/nominations/{id}/vote`` with a Bearer token and the voter's own
X-Forwarded-For (20 voters per /24 network, the per-address limit left at its
production value): every voter votes once in one category, and 10% of voters send a
second request, half of them the same vote again (200, no new row) and half a vote for
another nominee (409: this edition does not allow changes).

Prints JSON lines: the run's figures (votes attempted, accepted 201, already standing
200, refused 409, rate limited 429, errors, rows stored, duplicates, seconds, votes per
second, and whether the 5,540 votes took under 60 s). ``stored`` must equal
``accepted`` and ``duplicates`` (voters with more than one stored vote in a category)
must be 0. Without PostgreSQL or Redis it prints one line saying it was skipped.

BENCH_VOTING_DATABASE_URL or DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/stem4all_bench_voting) names a database of its own:
it is created and migrated with ``stem4all migrate`` and emptied (flushed) before
seeding, so a database whose name lacks "bench" is replaced by stem4all_bench_voting on
the same server. REDIS_URL defaults to redis://127.0.0.1:6379/15.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/stem4all_bench_voting"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
VOTERS = int(os.environ.get("BENCH_VOTERS", "5540"))
CATEGORIES = 8
NOMINATIONS_PER_CATEGORY = 10
RETRY_SHARE = 0.10
CLIENT_THREADS = int(os.environ.get("BENCH_CLIENT_THREADS", "16"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "4")
VOTERS_PER_NETWORK = 20
RUN_TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "240"))
BUDGET_SECONDS = 60


def emit(**line) -> None:
    print(json.dumps({"bench": "voting", **line}), flush=True)


def _postgres_reachable(url: str) -> str | None:
    """None if the server answers; otherwise why not."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        return f"DATABASE_URL is not PostgreSQL ({parts.scheme})"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    admin_url = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            name = parts.path.lstrip("/")
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - any failure means: skip
        return f"PostgreSQL not reachable: {exc.__class__.__name__}"
    return None


def _bench_database_url(url: str) -> str:
    """The benchmark flushes its database: a database whose name does not say "bench"
    (the project's own, say) is never used; its server's stem4all_bench_voting is."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql") and "bench" not in parts.path:
        return parts._replace(path="/stem4all_bench_voting").geturl()
    return url


def _redis_reachable(url: str) -> str | None:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis not reachable: {exc.__class__.__name__}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _voter_ip(i: int) -> str:
    network = i // VOTERS_PER_NETWORK
    return f"10.{network // 250}.{network % 250}.{i % VOTERS_PER_NETWORK + 10}"


def seed(env: dict) -> dict:
    """The edition, categories, nominations, voters and tokens; returns what the run
    needs. Bulk inserts: the voters' password hash is computed once."""
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from stem4all.accounts.models import ApiToken, User, hash_token
    from stem4all.awards.models import Category, Edition, Nomination
    from stem4all.programmes.models import Programme

    call_command("flush", interactive=False, verbosity=0)
    now = timezone.now()
    day = dt.timedelta(days=1)
    programme = Programme.objects.create(name="Bench Programme", slug="bench-programme")
    edition = Edition.objects.create(
        programme=programme,
        name="Bench Award",
        slug="bench-award",
        year=now.year,
        nominations_open_at=now - 3 * day,
        nominations_close_at=now - day,
        voting_open_at=now - day,
        voting_close_at=now + day,
        jury_open_at=now + day,
        jury_close_at=now + 2 * day,
        results_at=now + 2 * day,
        votes_changeable=False,
    )
    categories = Category.objects.bulk_create(
        Category(
            edition=edition,
            name=f"Category {c}",
            slug=f"category-{c}",
            nominee_kind=Category.NomineeKind.MENTOR,
            position=c,
        )
        for c in range(CATEGORIES)
    )
    password = make_password(secrets.token_urlsafe(16))
    nominees = User.objects.bulk_create(
        User(
            email=f"nominee{n}@bench.example",
            full_name=f"Bench Nominee {n}",
            date_of_birth=dt.date(1990, 1, 1),
            password=password,
        )
        for n in range(CATEGORIES * NOMINATIONS_PER_CATEGORY)
    )
    nominations = Nomination.objects.bulk_create(
        Nomination(
            category=categories[n // NOMINATIONS_PER_CATEGORY],
            nominee_user=nominee,
            statement="Bench nomination.",
            status=Nomination.Status.APPROVED,
            nominee_consented_at=now,
        )
        for n, nominee in enumerate(nominees)
    )
    voters = User.objects.bulk_create(
        (
            User(email=f"voter{i}@bench.example", full_name=f"Bench Voter {i}", password=password)
            for i in range(VOTERS)
        ),
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=v, email=v.email, verified=True, primary=True) for v in voters),
        batch_size=1000,
    )
    keys = [ApiToken.generate_key() for _v in voters]
    ApiToken.objects.bulk_create(
        (
            ApiToken(
                user=voter,
                name="bench",
                prefix=key[4 : 4 + ApiToken.PREFIX_LENGTH],
                key_hash=hash_token(key),
                auth_hash=voter.get_session_auth_hash(),
            )
            for voter, key in zip(voters, keys, strict=True)
        ),
        batch_size=1000,
    )
    by_category = [
        [n.pk for n in nominations if n.category_id == category.pk] for category in categories
    ]
    return {"edition": edition, "categories": categories, "by_category": by_category, "keys": keys}


def plan(seeded: dict, rng: random.Random) -> list[tuple[int, int, str]]:
    """(voter index, nomination id, kind) for every request, shuffled."""
    work, first = [], {}
    for i in range(VOTERS):
        choices = seeded["by_category"][i % CATEGORIES]
        first[i] = rng.choice(choices)
        work.append((i, first[i], "vote"))
    for n, i in enumerate(rng.sample(range(VOTERS), int(VOTERS * RETRY_SHARE))):
        if n % 2 == 0:
            work.append((i, first[i], "same again"))
        else:
            others = [pk for pk in seeded["by_category"][i % CATEGORIES] if pk != first[i]]
            work.append((i, rng.choice(others), "another nominee"))
    rng.shuffle(work)
    return work


def drive(port: int, keys: list[str], work: list[tuple[int, int, str]]) -> dict:
    """Send the work from CLIENT_THREADS keep-alive connections; stop at RUN_TIMEOUT."""
    lock = threading.Lock()
    queue = iter(work)
    counts = {"attempted": 0, "201": 0, "200": 0, "409": 0, "429": 0, "errors": 0, "reconnects": 0}
    by_kind: dict[str, dict[str, int]] = {}
    deadline = time.monotonic() + RUN_TIMEOUT
    timed_out = threading.Event()

    def post(conn, voter: int, nomination: int) -> int:
        conn.request(
            "POST",
            f"/api/v1/awards/nominations/{nomination}/vote",
            body=b"",
            headers={
                "Authorization": f"Bearer {keys[voter]}",
                "X-Forwarded-For": _voter_ip(voter),
                "User-Agent": "stem4all-bench",
                "Content-Length": "0",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            if time.monotonic() > deadline:
                timed_out.set()
                break
            with lock:
                item = next(queue, None)
                if item is None:
                    break
                counts["attempted"] += 1
            voter, nomination, kind = item
            try:
                status = post(conn, voter, nomination)
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: reconnect once. A vote
                # sent twice is refused or stands already, so a repeat is harmless.
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    counts["reconnects"] += 1
                try:
                    status = post(conn, voter, nomination)
                except (http.client.HTTPException, OSError):
                    status = 0
            key = str(status) if str(status) in counts else "errors"
            with lock:
                counts[key] += 1
                by_kind.setdefault(kind, {}).setdefault(str(status), 0)
                by_kind[kind][str(status)] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _t in range(CLIENT_THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts["seconds"] = time.perf_counter() - started
    counts["timed_out"] = timed_out.is_set()
    counts["by_kind"] = by_kind
    return counts


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if server.poll() is not None:
            return False
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                conn.close()
                return True
        time.sleep(0.3)
    return False


def _cpu_seconds_of_children(parent: int) -> float:
    """User + system CPU time of ``parent``'s child processes (the gunicorn workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _clear_vote_counters(redis_url: str) -> None:
    """Only this benchmark's rate-limit windows from an earlier run in the same minute."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match="*rate:award-votes:10.*", count=1000):
        client.delete(key)


def main() -> int:
    database_url = _bench_database_url(
        os.environ.get("BENCH_VOTING_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL
    )
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)
    reason = _postgres_reachable(database_url) or _redis_reachable(redis_url)
    if reason:
        emit(skipped=True, reason=reason)
        return 0
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PROXY_COUNT": "1",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "STEM4ALL_REQUIRE_STAFF_MFA": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    migrate = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(BIN / "stem4all"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if migrate.returncode != 0:
        emit(skipped=True, reason="stem4all migrate failed", stderr=migrate.stderr[-2000:])
        return 1

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from stem4all.awards import queries
    from stem4all.awards.models import Vote

    seed_started = time.perf_counter()
    seeded = seed(env)
    seed_seconds = time.perf_counter() - seed_started
    work = plan(seeded, random.Random(1))  # noqa: S311 - a benchmark's choices
    connection.close()
    _clear_vote_counters(redis_url)

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--worker-class",
            "gthread",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if not _wait_until_up(port, server):
            server.terminate()
            _out, err = server.communicate(timeout=20)
            emit(skipped=True, reason="gunicorn did not start", stderr=(err or "")[-2000:])
            return 1
        load_before = os.getloadavg()[0]
        server_cpu = _cpu_seconds_of_children(server.pid)
        client_cpu = time.process_time()
        counts = drive(port, seeded["keys"], work)
        counts["server_cpu"] = _cpu_seconds_of_children(server.pid) - server_cpu
        counts["client_cpu"] = time.process_time() - client_cpu
        counts["load"] = (load_before, os.getloadavg()[0])
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    categories = seeded["categories"]
    stored = Vote.objects.filter(category__in=categories).count()
    duplicates = (
        Vote.objects.filter(category__in=categories)
        .values("voter", "category")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    standing_duplicates = (
        queries.standing_votes(categories)
        .values("voter", "category")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    seconds = counts["seconds"]
    first_votes = VOTERS
    emit(
        database=connection.vendor,
        database_name=connection.settings_dict["NAME"],
        voters=VOTERS,
        categories=CATEGORIES,
        nominations=CATEGORIES * NOMINATIONS_PER_CATEGORY,
        server=f"gunicorn -w {WORKERS} --threads {THREADS} -k gthread",
        client_threads=CLIENT_THREADS,
        seed_seconds=round(seed_seconds, 2),
        votes_attempted=counts["attempted"],
        accepted=counts["201"],
        already_standing=counts["200"],
        refused=counts["409"],
        rate_limited=counts["429"],
        errors=counts["errors"],
        reconnects=counts["reconnects"],
        by_kind=counts["by_kind"],
        stored=stored,
        stored_equals_accepted=stored == counts["201"],
        duplicates=duplicates,
        standing_duplicates=standing_duplicates,
        seconds=round(seconds, 2),
        votes_per_second=round(counts["attempted"] / seconds, 1) if seconds else None,
        timed_out=counts["timed_out"],
        # The machine is shared: these say how much of the time was ours.
        load_average_before_after=[round(x, 2) for x in counts["load"]],
        server_cpu_seconds=round(counts["server_cpu"], 2),
        server_cpu_ms_per_request=round(1000 * counts["server_cpu"] / counts["attempted"], 2)
        if counts["attempted"]
        else None,
        client_cpu_seconds=round(counts["client_cpu"], 2),
        under_60_s=not counts["timed_out"]
        and counts["attempted"] >= first_votes
        and seconds < BUDGET_SECONDS,
    )
    connection.close()
    ok = stored == counts["201"] and duplicates == 0 and counts["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
