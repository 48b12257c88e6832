"""The published results, recomputed by hand.

An edition with three categories, many nominations and votes (changed votes, votes
outside the window, a confirmed and an unconfirmed voiding), jury sheets (submitted and
draft) with weighted criteria, a tie at the finalists' cut and a tie for first place.
Everything is then recomputed here from the raw rows in plain Python, without
``queries.tally`` or ``compute_results``, and compared with the stored ``Result`` rows,
the public results page, its CSV and the API.
"""

import csv
import datetime as dt
import html
import io
import random
import secrets
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from stem4all.accounts.tests.factories import UserFactory
from stem4all.awards import services
from stem4all.awards.models import (
    Category,
    Edition,
    JuryAssignment,
    JuryScore,
    Nomination,
    Phase,
    Result,
    ScoreSheet,
    Vote,
    VoteVoiding,
)
from stem4all.awards.tests.factories import (
    CategoryFactory,
    EditionFactory,
    JuryCriterionFactory,
    NominationFactory,
)
from stem4all.community.tests.factories import PartnerOrganisationFactory
from stem4all.programmes.models import Participation
from stem4all.programmes.tests.factories import ParticipationFactory

MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


class World:
    """Builds the rows; remembers nothing the check below could lean on."""

    def __init__(self, edition, staff, second_staff):
        self.edition = edition
        self.staff = staff
        self.second_staff = second_staff
        self.clock = edition.nominations_open_at
        self.receipts = 0

    def nominate(self, category, name=None, organisation=None, **extra):
        self.clock += MINUTE
        if organisation is not None:
            return NominationFactory(
                category=category,
                nominee_user=None,
                nominee_organisation=organisation,
                nominee_consented_at=None,
                created_at=self.clock,
                **extra,
            )
        return NominationFactory(
            category=category, nominee_user__full_name=name, created_at=self.clock, **extra
        )

    def vote(self, nomination, voter, *, sequence=1, at=None):
        self.receipts += 1
        return Vote.objects.create(
            category=nomination.category,
            nomination=nomination,
            voter=voter,
            sequence=sequence,
            cast_at=at or self.edition.voting_open_at + sequence * HOUR,
            receipt=f"R{self.receipts:06d}{secrets.token_hex(2)}",
        )

    def void(self, vote, *, confirmed=True):
        return VoteVoiding.objects.create(
            vote=vote,
            reason="Bought votes",
            requested_by=self.staff,
            confirmed_by=self.second_staff if confirmed else None,
            confirmed_at=timezone.now() if confirmed else None,
        )

    def sheet(self, nomination, juror, scores, *, submitted=True):
        assignment, _created = JuryAssignment.objects.get_or_create(
            category=nomination.category, juror=juror
        )
        sheet = ScoreSheet.objects.create(
            assignment=assignment,
            nomination=nomination,
            submitted_at=self.edition.jury_open_at + HOUR if submitted else None,
        )
        for criterion, value in scores.items():
            JuryScore.objects.create(sheet=sheet, criterion=criterion, score=value)
        return sheet


@pytest.fixture
def world(programme, cohort, staff):
    second_staff = UserFactory(full_name="Second Staff", is_staff=True)
    ParticipationFactory(user=second_staff, cohort=cohort, role=Participation.Role.STAFF)
    edition = EditionFactory(
        programme=programme,
        phase=Phase.BEFORE_RESULTS,
        winner_method=Edition.WinnerMethod.COMBINED,
        public_weight_percent=40,
        finalists_per_category=3,
    )
    w = World(edition, staff, second_staff)
    rng = random.Random(2026)
    voters = [UserFactory(full_name=f"Voter {i}") for i in range(40)]
    jurors = [UserFactory(full_name=f"Juror {i}") for i in range(3)]

    # 1. Mentors: random votes and changes, and every special case of the tally.
    mentors = CategoryFactory(edition=edition, name="Mentor of the year", position=0)
    weights = [JuryCriterionFactory(category=mentors, weight=wt) for wt in (3, 2, 1)]
    people = [w.nominate(mentors, name) for name in ("Айгүл Өмүрбекова", "Bermet A", "Cholpon B")]
    people += [w.nominate(mentors, f"Mentor {i}") for i in range(3)]
    w.nominate(mentors, "Pending Person", status=Nomination.Status.PENDING)
    w.nominate(mentors, "Shy Person", nominee_consented_at=None)
    for voter in voters[:30]:
        first = w.vote(rng.choice(people), voter)
        if rng.random() < 0.3:
            others = [p for p in people if p.pk != first.nomination_id]
            w.vote(rng.choice(others), voter, sequence=2)
    x, y, z, u, v, t = voters[30:36]
    w.vote(people[0], x)
    w.vote(people[1], x, sequence=2)  # a change: counts for people[1]
    w.vote(people[0], y)
    w.vote(people[2], y, sequence=2, at=edition.voting_close_at)  # too late: seq 1 stands
    w.vote(people[1], z, at=edition.voting_open_at - MINUTE)  # too early: nothing
    w.void(w.vote(people[0], u))  # voided: nothing
    w.vote(people[2], v)
    w.void(w.vote(people[3], v, sequence=2), confirmed=False)  # not confirmed: counts
    w.vote(people[0], t)
    w.void(w.vote(people[4], t, sequence=2))  # the latest is voided: nothing at all
    for nomination in people:
        for juror in jurors:
            if rng.random() < 0.8:
                w.sheet(nomination, juror, {c: rng.randint(1, 10) for c in weights})
            elif rng.random() < 0.5:
                w.sheet(nomination, juror, dict.fromkeys(weights, 10), submitted=False)

    # 2. Young scientists: a tie for first place decided by the tie rule.
    young = CategoryFactory(
        edition=edition, name="Young scientist", position=1, nominee_kind="mentee"
    )
    a, b = (JuryCriterionFactory(category=young, weight=1) for _i in range(2))
    top, second, third, fourth = (w.nominate(young, f"Scientist {i}") for i in range(4))
    for i, voter in enumerate(voters[:20]):
        w.vote(top if i < 10 else second if i < 14 else third if i < 18 else fourth, voter)
    # top: 0.4 * 100 + 0.6 * 40 = 64; second and third: 0.4 * 40 + 0.6 * 80 = 64 too.
    w.sheet(top, jurors[0], {a: 4, b: 4})
    w.sheet(second, jurors[0], {a: 8, b: 8})
    w.sheet(third, jurors[0], {a: 9, b: 7})
    w.sheet(third, jurors[1], {a: 2, b: 2}, submitted=False)
    w.sheet(fourth, jurors[0], {a: 10, b: 10})  # not a finalist

    # 3. Partners: organisations, a tie at the finalists' cut, a finalist with a draft only.
    partners = CategoryFactory(
        edition=edition, name="Partner of the year", position=2, nominee_kind="organisation"
    )
    weight = JuryCriterionFactory(category=partners, weight=5)
    organisations = [
        w.nominate(partners, organisation=PartnerOrganisationFactory(programme=programme))
        for _i in range(5)
    ]
    for i, voter in enumerate(voters[:22]):
        # 8, 6, 4, 4, 0 votes: the fourth is tied with the third and is a finalist too.
        index = 0 if i < 8 else 1 if i < 14 else 2 if i < 18 else 3
        w.vote(organisations[index], voter)
    for index, juror in enumerate(jurors):
        w.sheet(organisations[0], juror, {weight: 5 + index})
        w.sheet(organisations[2], juror, {weight: 9})
    w.sheet(organisations[1], jurors[0], {weight: 10}, submitted=False)
    w.sheet(organisations[3], jurors[1], {weight: 7})
    return w


# The independent recomputation ------------------------------------------------------------


def half_up(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def recompute(edition):
    close, opens = edition.voting_close_at, edition.voting_open_at
    voided = set(
        VoteVoiding.objects.filter(confirmed_at__isnull=False).values_list("vote_id", flat=True)
    )
    rows = list(
        Vote.objects.filter(category__edition=edition).values(
            "id", "voter_id", "category_id", "nomination_id", "sequence", "cast_at"
        )
    )
    by_voter: dict[tuple, list[dict]] = {}
    for row in rows:
        by_voter.setdefault((row["voter_id"], row["category_id"]), []).append(row)
    votes: dict[int, int] = {}
    for cast in by_voter.values():
        before_close = [r for r in cast if r["cast_at"] < close]
        if not before_close:
            continue
        latest = max(before_close, key=lambda r: r["sequence"])
        if latest["cast_at"] >= opens and latest["id"] not in voided:
            votes[latest["nomination_id"]] = votes.get(latest["nomination_id"], 0) + 1

    sheets: dict[int, dict] = {}
    # JuryScore's default ordering loops (see the report): order by nothing.
    for score in (
        JuryScore.objects.filter(sheet__submitted_at__isnull=False)
        .order_by()
        .values("sheet_id", "sheet__nomination_id", "criterion__weight", "score")
    ):
        sheet = sheets.setdefault(
            score["sheet_id"], {"nomination": score["sheet__nomination_id"], "sum": 0, "w": 0}
        )
        sheet["sum"] += score["criterion__weight"] * score["score"]
        sheet["w"] += score["criterion__weight"]
    means: dict[int, list[Fraction]] = {}
    for sheet in sheets.values():
        means.setdefault(sheet["nomination"], []).append(Fraction(sheet["sum"], sheet["w"]))
    jury = {n: half_up(sum(m) / len(m) * 10) for n, m in means.items()}

    public_weight = edition.public_weight_percent
    expected = {}
    for category in Category.objects.filter(edition=edition):
        public = [
            n
            for n in Nomination.objects.filter(category=category)
            if n.status == "approved" and (n.nominee_user_id is None or n.nominee_consented_at)
        ]
        public.sort(key=lambda n: (-votes.get(n.pk, 0), n.created_at, n.pk))
        cut = edition.finalists_per_category
        finalists = public[:cut]
        if len(public) > cut:
            last = votes.get(public[cut - 1].pk, 0)
            finalists += [n for n in public[cut:] if votes.get(n.pk, 0) == last]
        top = max((votes.get(n.pk, 0) for n in finalists), default=0)
        scored = []
        for n in public:
            entry = {
                "votes": votes.get(n.pk, 0),
                "is_finalist": n in finalists,
                "jury_score": jury.get(n.pk),
                "jury_sheets": len(means.get(n.pk, [])),
                "final_score": None,
                "rank": None,
                "is_winner": False,
                "nomination": n,
            }
            if n in finalists and n.pk in jury:
                share = Fraction(entry["votes"] * 100, top) if top else Fraction(0)
                entry["final_score"] = half_up(
                    (public_weight * share + (100 - public_weight) * Fraction(jury[n.pk])) / 100
                )
            expected[n.pk] = entry
            if n in finalists:
                scored.append(entry)
        scored.sort(
            key=lambda e: (
                e["final_score"] is None,
                -(e["final_score"] or 0),
                e["jury_score"] is None,
                -(e["jury_score"] or 0),
                -e["votes"],
                e["nomination"].created_at,
                e["nomination"].pk,
            )
        )
        for rank, entry in enumerate(scored, start=1):
            entry["rank"] = rank
        if scored and any(expected[n.pk]["jury_sheets"] for n in public):
            scored[0]["is_winner"] = True
    return expected


def money(value):
    return "" if value is None else f"{value:.2f}"


# The comparison ------------------------------------------------------------------------


def test_published_results_match_a_recount_from_the_raw_rows(client, world, staff):
    edition = world.edition
    expected = recompute(edition)
    services.publish_results(edition=edition, by=staff)

    stored = {r.nomination_id: r for r in Result.objects.filter(category__edition=edition)}
    assert set(stored) == set(expected)
    for pk, entry in expected.items():
        result = stored[pk]
        assert result.votes == entry["votes"], pk
        assert result.is_finalist == entry["is_finalist"], pk
        assert result.jury_score == entry["jury_score"], pk
        assert result.jury_sheets == entry["jury_sheets"], pk
        assert result.final_score == entry["final_score"], pk
        assert result.rank == entry["rank"], pk
        assert result.is_winner == entry["is_winner"], pk
        assert bool(result.certificate_code) == entry["is_winner"], pk

    # The special cases came out as intended, not just consistently.
    young = {e["nomination"].nominee_name: e for e in expected.values()}
    assert [young[f"Scientist {i}"]["rank"] for i in (1, 2, 0)] == [1, 2, 3]
    assert young["Scientist 1"]["final_score"] == young["Scientist 0"]["final_score"]
    assert young["Scientist 3"]["is_finalist"] is False
    partners = [e for e in expected.values() if e["nomination"].category.name.startswith("P")]
    assert sum(e["is_finalist"] for e in partners) == 4
    assert sum(1 for e in partners if e["is_finalist"] and e["final_score"] is None) == 1
    assert sum(e["is_winner"] for e in expected.values()) == 3

    # The public page shows every count and each winner.
    page = html.unescape(
        client.get(reverse("awards:results", args=[edition.slug])).content.decode()
    )
    for entry in expected.values():
        name = entry["nomination"].nominee_name
        assert f'<th scope="row">{name}</th><td>{entry["votes"]}</td>' in page, name
        if entry["is_winner"]:
            assert f"Winner:</strong> {name}" in page
        if entry["final_score"] is not None:
            assert money(entry["final_score"]) in page

    # The CSV carries the same numbers, row for row.
    response = client.get(reverse("awards:results_csv", args=[edition.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    by_name = {row[1]: row for row in rows}
    assert len(rows) == len(expected)
    for entry in expected.values():
        row = by_name[entry["nomination"].nominee_name]
        assert row[0] == entry["nomination"].category.name
        assert row[2:] == [
            str(entry["votes"]),
            "yes" if entry["is_finalist"] else "no",
            money(entry["jury_score"]),
            str(entry["jury_sheets"]),
            money(entry["final_score"]),
            "" if entry["rank"] is None else str(entry["rank"]),
            "yes" if entry["is_winner"] else "no",
        ]


def test_the_api_reports_the_recounted_results(login, world, staff, mentee):
    edition = world.edition
    expected = recompute(edition)
    services.publish_results(edition=edition, by=staff)
    data = login(mentee).get(f"/api/v1/awards/editions/{edition.pk}/results").json()
    seen = {r["nomination_id"]: r for c in data["categories"] for r in c["results"]}
    assert set(seen) == set(expected)
    for pk, entry in expected.items():
        assert seen[pk]["votes"] == entry["votes"]
        assert seen[pk]["final_score"] == (money(entry["final_score"]) or None)
        assert seen[pk]["rank"] == entry["rank"]
