"""Synthetic demo content of the award: two editions of the programme's award.

- "STEM4ALL Award 2026" with the real programme's eight categories, each with two or
  three weighted jury criteria; public voting is open at seeding time, so the demo
  accounts can vote. Its nominees are synthetic people of the demo programme (who
  agreed to appear) and the community demo's partner organisations and practices;
  a few nominations still wait for review. About four hundred votes come from
  synthetic voter accounts spread over many networks and browsers, plus a small bot
  cluster (accounts made seconds before voting, one network, one browser, one minute)
  for the integrity report to find. The demo jury member sits on every category.
- "STEM4ALL Award 2025", finished: votes, the jury's submitted score sheets and
  published results (through ``services.publish_results``).

Everything is invented; every account is on the demo domain and cannot sign in.
Rows are written with bulk inserts. Idempotent: an edition whose slug exists is left
alone, and voter accounts are found by e-mail.
"""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from stem4all.accounts.geography import HOME_COUNTRY, Region
from stem4all.accounts.models import ADULT_AGE, User, years_before
from stem4all.community.models import PartnerOrganisation, Practice
from stem4all.programmes.models import Participation

from . import services
from .models import (
    Category,
    Edition,
    JuryAssignment,
    JuryCriterion,
    JuryScore,
    Nomination,
    ScoreSheet,
    Vote,
)

DEMO_DOMAIN = "demo.stem4all.example"
EDITION_2026 = "stem4all-award-2026"
EDITION_2025 = "stem4all-award-2025"
# Accounts the award adds to the demo: voters, and the bot cluster of 2026.
ORGANIC_VOTERS = 150
BOT_VOTERS = 20
DEMO_VOTERS = ORGANIC_VOTERS + BOT_VOTERS
BOT_NETWORK = "203.0.113.0/24"  # a documentation range: never a real network
BOT_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/119.0.0.0 Safari/537.36"
DAY = dt.timedelta(days=1)

USER_AGENTS = [
    "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120.0 Mobile",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 Chrome/119.0 Mobile",
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Chrome/121.0 Mobile",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 11; TECNO KG5) AppleWebKit/537.36 Chrome/118.0 Mobile",
]

CATEGORIES = [
    # (slug, name, description, nominee kind, outside Bishkek only, organisation kind,
    #  [(criterion, weight), ...])
    (
        "best-mentor",
        "Best mentor",
        "A mentor whose guidance changed her mentees' path in STEM.",
        "mentor",
        False,
        "",
        [("Impact on the mentees", 50), ("Commitment and reliability", 30), ("Example", 20)],
    ),
    (
        "best-mentee",
        "Best mentee",
        "A mentee who grew the most towards her goal in science or technology.",
        "mentee",
        False,
        "",
        [("Progress on the roadmap", 60), ("Initiative", 40)],
    ),
    (
        "best-regional-mentor",
        "Best regional mentor",
        "A mentor living in the regions of Kyrgyzstan, outside Bishkek.",
        "mentor",
        True,
        "",
        [("Impact on the mentees", 50), ("Reach in her region", 30), ("Commitment", 20)],
    ),
    (
        "best-regional-mentee",
        "Best regional mentee",
        "A mentee from the regions of Kyrgyzstan, outside Bishkek.",
        "mentee",
        True,
        "",
        [("Progress on the roadmap", 50), ("Overcoming distance", 30), ("Initiative", 20)],
    ),
    (
        "best-motivator-mentor",
        "Best motivator mentor",
        "The mentor who kept her mentees going when things were hard.",
        "mentor",
        False,
        "",
        [("Motivation of the mentees", 70), ("Availability", 30)],
    ),
    (
        "best-community-partner",
        "Best community partner",
        "A partner organisation that opened doors for girls and women in STEM.",
        "organisation",
        False,
        "",
        [("Opportunities created", 60), ("Partnership with the programme", 40)],
    ),
    (
        "best-stem-practice",
        "Best STEM practice",
        "A published practice with measured results.",
        "practice",
        False,
        "",
        [("Measured results", 50), ("Can be repeated elsewhere", 30), ("Inclusion", 20)],
    ),
    (
        "best-stem-educational-partner",
        "Best STEM educational partner",
        "A university that supports women students in science and engineering.",
        "organisation",
        False,
        "university",
        [("Support for women students", 60), ("Teaching quality", 40)],
    ),
]

STATEMENTS = {
    "mentor": [
        "She met her mentees every fortnight for six months and helped two of them win "
        "places at university.",
        "She turned a shy mentee into the leader of her school's robotics club.",
        "She shared her own career story openly and connected her mentees with employers.",
        "She answered every question within a day and never cancelled a session.",
    ],
    "mentee": [
        "She finished every step of her roadmap and now teaches coding to younger girls.",
        "She travelled two hours each week to attend the lectures and never gave up.",
        "She built a small weather station for her village school.",
        "She won a regional mathematics olympiad after a year in the programme.",
    ],
    "organisation": [
        "It offered paid internships to the programme's mentees.",
        "It hosted the programme's workshops and lent its laboratories.",
        "It runs science clubs in the regions together with the programme.",
    ],
    "practice": [
        "The practice reached hundreds of girls and measured what changed for them.",
        "A practice that other schools in the country can repeat at a low cost.",
    ],
}


def _names():
    from stem4all.core.demo_data import KYRGYZ_FIRST, KYRGYZ_SURNAMES

    return KYRGYZ_FIRST, KYRGYZ_SURNAMES


def _programme_people(programme, role: str, *, today: dt.date, regional: bool = False):
    """Accepted adults of the programme in ``role``, in a stable order; for a regional
    category only those living in Kyrgyzstan outside Bishkek."""
    born_by = years_before(today, ADULT_AGE)
    people = User.objects.filter(
        participations__cohort__programme=programme,
        participations__role=role,
        participations__status=Participation.Status.ACCEPTED,
        is_active=True,
        date_of_birth__lte=born_by,
    )
    if regional:
        people = people.filter(country=HOME_COUNTRY).exclude(region=Region.BISHKEK)
    return list(people.distinct().order_by("pk"))


def _voters(rng: random.Random, *, now: dt.datetime, today: dt.date) -> tuple[list, list]:
    """The synthetic voter accounts (found by e-mail when they exist), organic voters
    and the bot cluster; none can sign in."""
    first_names, surnames = _names()
    specs = []
    for number in range(1, DEMO_VOTERS + 1):
        is_bot = number > ORGANIC_VOTERS
        email = (
            f"newvoter{number - ORGANIC_VOTERS:02d}@{DEMO_DOMAIN}"
            if is_bot
            else f"voter{number:03d}@{DEMO_DOMAIN}"
        )
        specs.append((email, is_bot))
    existing = {u.email: u for u in User.objects.filter(email__in=[e for e, _b in specs])}
    new_users = []
    # The bots sign up seconds before they vote (six hours before the seeding).
    bot_time = now - dt.timedelta(hours=6)
    for index, (email, is_bot) in enumerate(specs):
        if email in existing:
            continue
        age = rng.randint(18, 55)
        joined = (
            bot_time + dt.timedelta(seconds=4 * (index - ORGANIC_VOTERS))
            if is_bot
            else now - dt.timedelta(days=rng.randint(420, 700))
        )
        new_users.append(
            User(
                email=email,
                full_name=f"{rng.choice(first_names)} {rng.choice(surnames)}",
                password=make_password(None),
                date_of_birth=years_before(today, age) - dt.timedelta(days=30),
                country=HOME_COUNTRY,
                region=rng.choice([r.value for r in Region]),
                time_zone="Asia/Bishkek",
                preferred_language=rng.choice(["ky", "ru", "en"]),
                date_joined=joined,
            )
        )
    if new_users:
        User.objects.bulk_create(new_users)
        if any(user.pk is None for user in new_users):
            ids = dict(
                User.objects.filter(email__in=[u.email for u in new_users]).values_list(
                    "email", "pk"
                )
            )
            for user in new_users:
                user.pk = ids[user.email]
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in new_users]
        )
    by_email = {**existing, **{u.email: u for u in new_users}}
    organic = [by_email[e] for e, is_bot in specs if not is_bot]
    bots = [by_email[e] for e, is_bot in specs if is_bot]
    return organic, bots


def _edition(programme, *, slug, name, year, description, start: dt.datetime) -> Edition:
    """Twenty days of nominations, then two weeks each of voting and jury."""
    return Edition.objects.create(
        programme=programme,
        slug=slug,
        name=name,
        year=year,
        description=description,
        nominations_open_at=start,
        nominations_close_at=start + 20 * DAY,
        voting_open_at=start + 20 * DAY,
        voting_close_at=start + 34 * DAY,
        jury_open_at=start + 34 * DAY,
        jury_close_at=start + 44 * DAY,
        results_at=start + 45 * DAY,
        finalists_per_category=3,
        winner_method=Edition.WinnerMethod.COMBINED,
        public_weight_percent=30,
    )


def _categories(edition: Edition) -> list[tuple[Category, list[JuryCriterion]]]:
    Category.objects.bulk_create(
        [
            Category(
                edition=edition,
                slug=slug,
                name=name,
                description=description,
                nominee_kind=kind,
                outside_bishkek_only=regional,
                organisation_kind=org_kind,
                position=position,
            )
            for position, (slug, name, description, kind, regional, org_kind, _c) in enumerate(
                CATEGORIES
            )
        ]
    )
    categories = list(edition.categories.order_by("position"))
    JuryCriterion.objects.bulk_create(
        [
            JuryCriterion(category=category, name=criterion, weight=weight, position=i)
            for category, spec in zip(categories, CATEGORIES, strict=True)
            for i, (criterion, weight) in enumerate(spec[6])
        ]
    )
    criteria = list(JuryCriterion.objects.filter(category__edition=edition))
    return [(c, [k for k in criteria if k.category_id == c.pk]) for c in categories]


def _nominees(category: Category, programme, *, today, organisations, practices, rng):
    kind = category.nominee_kind
    if kind in Category.PERSON_KINDS:
        people = _programme_people(
            programme, kind, today=today, regional=category.outside_bishkek_only
        )
        return rng.sample(people, min(4, len(people)))
    if kind == Category.NomineeKind.ORGANISATION:
        return [
            o
            for o in organisations
            if not category.organisation_kind or o.kind == category.organisation_kind
        ]
    return list(practices)


def _nominations(
    categories,
    programme,
    *,
    staff,
    nominators,
    today,
    opens: dt.datetime,
    rng: random.Random,
    pending: int = 0,
    named: dict | None = None,
) -> tuple[list[Nomination], list[Nomination]]:
    """Approved nominations open for votes (people agreed to appear) and ``pending`` per
    person category still waiting for review."""
    organisations = list(
        PartnerOrganisation.objects.filter(
            programme=programme, status=PartnerOrganisation.Status.APPROVED
        ).order_by("pk")
    )
    practices = list(
        Practice.objects.filter(
            status=Practice.Status.APPROVED,
            organisation__status=PartnerOrganisation.Status.APPROVED,
            organisation__programme=programme,
        ).order_by("pk")
    )
    approved, waiting = [], []
    named = named or {}
    for category, _criteria in categories:
        nominees = _nominees(
            category,
            programme,
            today=today,
            organisations=organisations,
            practices=practices,
            rng=rng,
        )
        # The demo's own people appear where they are eligible: the mentor of Bishkek
        # among the best mentors, the mentee of At-Bashy among the regional mentees.
        own = {"best-mentor": "mentor", "best-regional-mentee": "mentee"}.get(category.slug)
        if own and named.get(own) is not None and named[own] not in nominees:
            nominees = [named[own], *nominees[:3]]
        if category.is_for_people:
            eligible = _programme_people(
                programme,
                category.nominee_kind,
                today=today,
                regional=category.outside_bishkek_only,
            )
            extra = [p for p in eligible if p not in nominees][:pending]
        else:
            extra = []
        for index, nominee in enumerate([*nominees, *extra]):
            is_pending = index >= len(nominees)
            created = opens + dt.timedelta(hours=6 + 13 * index + rng.randint(0, 12))
            nominator = rng.choice([n for n in nominators if n != nominee] or [staff])
            nomination = Nomination(
                category=category,
                statement=rng.choice(STATEMENTS[_statement_kind(category)]),
                nominated_by=nominator,
                created_at=created,
            )
            if isinstance(nominee, User):
                nomination.nominee_user = nominee
            elif isinstance(nominee, PartnerOrganisation):
                nomination.nominee_organisation = nominee
            else:
                nomination.nominee_practice = nominee
            if is_pending:
                waiting.append(nomination)
                continue
            nomination.status = Nomination.Status.APPROVED
            nomination.reviewed_by = staff
            nomination.reviewed_at = created + 2 * DAY
            if nomination.nominee_user is not None:
                nomination.nominee_consented_at = created + DAY
                nomination.shows_meetings = True
                nomination.shows_roadmap_steps = index % 2 == 0
            approved.append(nomination)
    Nomination.objects.bulk_create(approved + waiting)
    return approved, waiting


def _statement_kind(category: Category) -> str:
    if category.nominee_kind == Category.NomineeKind.ORGANISATION:
        return "organisation"
    if category.nominee_kind == Category.NomineeKind.PRACTICE:
        return "practice"
    return category.nominee_kind


def _vote(voter, nomination, sequence, cast_at, network, user_agent) -> Vote:
    return Vote(
        category_id=nomination.category_id,
        nomination=nomination,
        voter=voter,
        sequence=sequence,
        cast_at=cast_at,
        receipt=services.make_receipt(
            voter_id=voter.pk,
            category_id=nomination.category_id,
            sequence=sequence,
            cast_at=cast_at,
        ),
        network=network,
        user_agent_digest=services.user_agent_digest(user_agent),
    )


def _organic_votes(
    voters, nominations, *, opens: dt.datetime, until: dt.datetime, rng: random.Random
) -> list[Vote]:
    """Each voter votes in one to five categories, spread over the days of voting, from
    her own network (households, mobile operators and two schools) and browser. Each
    category has a favourite; a few voters change their mind once."""
    by_category: dict[int, list[Nomination]] = {}
    for nomination in nominations:
        by_category.setdefault(nomination.category_id, []).append(nomination)
    categories = sorted(by_category)
    # Two schools of about twenty voters behind one address, on a few lab computers;
    # the rest in small networks.
    networks = [f"100.64.{i}.0/24" for i in range(60)]
    schools = ["100.65.10.0/24", "100.65.20.0/24"]
    seconds = int((until - opens).total_seconds())
    votes = []
    for number, voter in enumerate(voters):
        school = schools[number % 2] if number < 40 else None
        network = school or rng.choice(networks)
        user_agent = rng.choice(USER_AGENTS[:3] if school else USER_AGENTS)
        for category_id in rng.sample(categories, rng.randint(1, min(5, len(categories)))):
            options = by_category[category_id]
            weights = [len(options) - i + (2 if i == 0 else 0) for i in range(len(options))]
            choice = rng.choices(options, weights=weights)[0]
            cast_at = opens + dt.timedelta(seconds=rng.randint(60, max(61, seconds)))
            votes.append(_vote(voter, choice, 1, cast_at, network, user_agent))
            others = [n for n in options if n != choice]
            if others and rng.random() < 0.05 and cast_at + DAY < until:
                votes.append(
                    _vote(voter, rng.choice(others), 2, cast_at + DAY, network, user_agent)
                )
    return votes


def _bot_votes(bots, nomination) -> list[Vote]:
    """The cluster: each account votes for the same nominee seconds after signing up."""
    return [
        _vote(bot, nomination, 1, at, BOT_NETWORK, BOT_USER_AGENT)
        for bot, at in ((bot, bot.date_joined + dt.timedelta(seconds=40)) for bot in bots)
    ]


def _jury(categories, *, juror, staff, assigned_at) -> list[JuryAssignment]:
    return JuryAssignment.objects.bulk_create(
        [
            JuryAssignment(
                category=category,
                juror=juror,
                is_chair=True,
                assigned_by=staff,
                assigned_at=assigned_at,
            )
            for category, _criteria in categories
        ]
    )


@transaction.atomic
def seed_awards(
    *, programme, staff, people: dict, today: dt.date, now: dt.datetime | None = None
) -> dict[str, int]:
    """Create the two demo editions of ``programme``'s award (see the module docstring).
    ``people`` are the named demo accounts by role (``jury``, ``mentor``, ``mentee``).
    Returns what was created; a second call creates nothing."""
    # The phases start and end on the hour.
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(2026)
    created = {"editions": 0, "nominations": 0, "votes": 0, "voters": 0}
    done = set(
        Edition.objects.filter(slug__in=[EDITION_2026, EDITION_2025]).values_list("slug", flat=True)
    )
    if len(done) == 2:
        return created
    before = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count()
    organic, bots = _voters(rng, now=now, today=today)
    created["voters"] = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").count() - before
    juror = people.get("jury")
    mentees = _programme_people(programme, Participation.Role.MENTEE, today=today)
    mentors = _programme_people(programme, Participation.Role.MENTOR, today=today)
    nominators = mentees[:30] + mentors[:10]
    named = {"mentor": people.get("mentor"), "mentee": people.get("mentee")}

    if EDITION_2025 not in done:
        created["editions"] += 1
        # From late October to mid-December of the year before.
        start = now - 400 * DAY
        edition = _edition(
            programme,
            slug=EDITION_2025,
            name="STEM4ALL Award 2025",
            year=2025,
            description=(
                "The first edition of the programme's award. The results are published: "
                "see who won each category. (Demo data: every nominee is invented.)"
            ),
            start=start,
        )
        categories = _categories(edition)
        approved, _waiting = _nominations(
            categories,
            programme,
            staff=staff,
            nominators=nominators,
            today=today,
            opens=edition.nominations_open_at,
            rng=rng,
        )
        votes = _organic_votes(
            organic,
            approved,
            opens=edition.voting_open_at,
            until=edition.voting_close_at - dt.timedelta(hours=1),
            rng=rng,
        )
        Vote.objects.bulk_create(votes)
        created["nominations"] += len(approved)
        created["votes"] += len(votes)
        if juror is not None:
            _score_2025(edition, categories, juror=juror, staff=staff, rng=rng)
        services.publish_results(
            edition=edition, by=staff, now=edition.results_at + dt.timedelta(hours=3)
        )

    if EDITION_2026 not in done:
        created["editions"] += 1
        # Public voting opened four days ago and closes in ten days.
        start = now - 24 * DAY
        edition = _edition(
            programme,
            slug=EDITION_2026,
            name="STEM4ALL Award 2026",
            year=2026,
            description=(
                "The STEM4ALL Award honours the mentors, mentees, partners and practices "
                "of the programme. Public voting is open: sign in, open a category and "
                "vote for one nominee in each. A jury then scores the three finalists "
                "of each category; the public vote counts for 30% of the result. "
                "(Demo data: every nominee is invented.)"
            ),
            start=start,
        )
        categories = _categories(edition)
        approved, waiting = _nominations(
            categories,
            programme,
            staff=staff,
            nominators=nominators,
            today=today,
            opens=edition.nominations_open_at,
            rng=rng,
            pending=1,
            named=named,
        )
        votes = _organic_votes(
            organic,
            approved,
            opens=edition.voting_open_at,
            until=now - dt.timedelta(hours=1),
            rng=rng,
        )
        # The bots push the last nominee of "Best mentee".
        target = [n for n in approved if n.category.slug == "best-mentee"][-1]
        votes += _bot_votes(bots, target)
        Vote.objects.bulk_create(votes)
        created["nominations"] += len(approved) + len(waiting)
        created["votes"] += len(votes)
        if juror is not None:
            _jury(categories, juror=juror, staff=staff, assigned_at=edition.voting_open_at)
    return created


def _score_2025(edition, categories, *, juror, staff, rng: random.Random) -> None:
    """The jury member's submitted score sheets for each category's finalists."""
    from . import queries

    assignments = _jury(categories, juror=juror, staff=staff, assigned_at=edition.voting_open_at)
    votes = queries.tally([c for c, _k in categories])
    sheets, scores = [], []
    submitted = edition.jury_open_at + 5 * DAY
    for (category, criteria), assignment in zip(categories, assignments, strict=True):
        category.edition = edition
        for nomination in queries.finalists(category, votes):
            sheet = ScoreSheet(
                assignment=assignment,
                nomination=nomination,
                comment="Scored for the demo.",
                submitted_at=submitted,
            )
            sheets.append(sheet)
            scores.append((sheet, [(c, rng.randint(5, 10)) for c in criteria]))
    ScoreSheet.objects.bulk_create(sheets)
    if any(sheet.pk is None for sheet in sheets):
        ids = {
            (s.assignment_id, s.nomination_id): s.pk
            for s in ScoreSheet.objects.filter(assignment__in=assignments)
        }
        for sheet in sheets:
            sheet.pk = ids[(sheet.assignment_id, sheet.nomination_id)]
    JuryScore.objects.bulk_create(
        [
            JuryScore(sheet_id=sheet.pk, criterion=criterion, score=score)
            for sheet, rows in scores
            for criterion, score in rows
        ]
    )
