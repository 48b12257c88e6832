"""The soft score, its explanation, the text factor, and the candidate graph."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from stem4all.matching.engine import (
    FACTORS,
    describe_factor,
    describe_factors,
    explain_pair,
    fit_idf,
    match,
)
from stem4all.matching.engine import candidates as cand
from stem4all.matching.engine.model import Factor, MatchConfig, Mentee, Mentor, Weights
from stem4all.matching.engine.scoring import text_similarity, text_vector, tokenize


def mentee(id_, **kw) -> Mentee:
    kw.setdefault("languages", {"ru": None})
    return Mentee(id=id_, **kw)


def mentor(id_, **kw) -> Mentor:
    kw.setdefault("languages", {"ru": None})
    kw.setdefault("capacity", 1)
    return Mentor(id=id_, **kw)


def factors_of(e, m, config=None) -> dict[str, Factor]:
    explained = explain_pair(e, m, config)
    assert explained is not None
    return {f.code: f for f in explained[1]}


def random_people(seed: int, n: int, m: int):
    rng = np.random.default_rng(seed)
    langs = ("ky", "ru", "en")
    levels = ("B1", "B2", "C1", "native", None)
    fields = ("software", "data_science", "physics", "biology", "energy")
    regions = {"bishkek": ("lenin", "sverdlov"), "naryn": ("kochkor", "at_bashy")}
    words = ["data", "climate", "robots", "solar", "genetics", "teaching", "research"]
    words += ["apps", "energy", "physics"]
    windows = ("mon", "tue", "sat", "sun")

    def langs_of():
        out = {c: levels[int(rng.integers(len(levels)))] for c in langs if rng.random() < 0.6}
        return out or {"ru": "B2"}

    def pick(items, k):
        return frozenset(items[int(x)] for x in rng.choice(len(items), size=k, replace=False))

    mentors = []
    for j in range(m):
        intl = rng.random() < 0.3
        region = "" if intl else str(rng.choice(list(regions)))
        mentors.append(
            mentor(
                f"m{j}",
                languages=langs_of(),
                capacity=int(rng.integers(0, 4)),
                fields=pick(fields, int(rng.integers(1, 3))),
                expertise=" ".join(rng.choice(words, size=4)),
                country="DE" if intl else "KG",
                region=region,
                district=str(rng.choice(regions[region])) if region else "",
                is_cleared_for_minors=bool(rng.random() < 0.5),
                availability=pick(windows, int(rng.integers(0, 3))),
                ranked_mentees=(f"e{int(rng.integers(max(n, 1)))}",) if rng.random() < 0.2 else (),
            )
        )
    mentees = []
    for i in range(n):
        region = str(rng.choice(list(regions)))
        mentees.append(
            mentee(
                f"e{i}",
                languages=langs_of(),
                fields=pick(fields, int(rng.integers(0, 3))),
                goal=" ".join(rng.choice(words, size=5)),
                region=region,
                district=str(rng.choice(regions[region])),
                is_minor=bool(rng.random() < 0.2),
                preferred_mentor_type=str(rng.choice(["any", "regional", "international"])),
                availability=pick(windows, int(rng.integers(0, 3))),
                ranked_mentors=tuple(f"m{int(x)}" for x in rng.choice(m, size=min(m, 2)))
                if m and rng.random() < 0.3
                else (),
                excluded_mentors=frozenset({f"m{int(rng.integers(m))}"})
                if m and rng.random() < 0.1
                else frozenset(),
            )
        )
    return mentees, mentors


# --- factors ------------------------------------------------------------------------------------


def test_explanation_names_the_factors_and_contributions_add_up_to_the_score():
    e = mentee(
        "e",
        languages={"ky": "native", "en": "B2"},
        fields=frozenset({"physics", "data_science"}),
        goal="I want to build solar power stations",
        country="KG",
        region="naryn",
        district="kochkor",
        preferred_mentor_type="regional",
        availability=frozenset({"mon", "sat"}),
        ranked_mentors=("other", "m"),
    )
    m = mentor(
        "m",
        languages={"ky": None, "en": "C1"},
        fields=frozenset({"physics", "energy"}),
        expertise="Solar power engineer",
        region="naryn",
        district="kochkor",
        availability=frozenset({"sat"}),
        ranked_mentees=("e",),
    )
    score, factors = explain_pair(e, m)
    codes = [f.code for f in factors]
    assert set(codes) == set(FACTORS)
    assert sum(f.contribution for f in factors) == pytest.approx(score, abs=1e-12)
    assert 0 < score <= 1
    assert [f.contribution for f in factors] == sorted((f.contribution for f in factors), reverse=1)
    by = {f.code: f for f in factors}
    assert by["fields"].value == 0.5 and by["fields"].params == {"fields": ["physics"]}
    assert by["mentor_type"].params == {"asked": "regional", "mentor": "regional"}
    assert by["region"].value == 1.0
    assert by["region"].params == {"same": "district", "region": "naryn", "district": "kochkor"}
    assert by["availability"].value == 0.5 and by["availability"].params == {"windows": ["sat"]}
    assert by["mentee_choice"].value == pytest.approx(2 / 3)
    assert by["mentee_choice"].params == {"rank": 2}
    assert by["mentor_choice"].value == 1.0 and by["mentor_choice"].params == {"rank": 1}
    assert by["language"].value == 1.0
    assert by["language"].params == {"languages": ["ky", "en"], "level": "native"}
    assert set(by["text"].params["words"]) == {"solar", "power"}
    weights = Weights()
    total = sum(getattr(weights, code) for code in FACTORS)
    for f in factors:
        assert f.contribution == pytest.approx(getattr(weights, f.code) * f.value / total)


def test_language_factor_is_always_explained_even_without_contribution():
    factors = factors_of(mentee("e", languages={"ru": "B1"}), mentor("m"))
    assert factors["language"].contribution == 0
    assert factors["language"].params["languages"] == ["ru"]
    assert describe_factor(factors["language"]) == "both speak ru"
    assert "fields" not in factors  # no contribution, not shown


def test_language_factor_values():
    b2 = factors_of(mentee("e", languages={"ru": "B2", "en": "B1"}), mentor("m"))["language"]
    assert b2.value == 0.5
    c1 = factors_of(mentee("e", languages={"ru": "C1"}), mentor("m"))["language"]
    assert c1.value == 1.0


def test_mentor_type_met_preference_beats_any_beats_unmet():
    home, abroad = mentor("kg"), mentor("us", country="US")
    asked = factors_of(mentee("e", preferred_mentor_type="international"), abroad)["mentor_type"]
    open_ = factors_of(mentee("e", preferred_mentor_type="any"), abroad)["mentor_type"]
    unmet = explain_pair(mentee("e", preferred_mentor_type="international"), home)
    assert asked.value == 1.0 and open_.value == 0.5
    assert "mentor_type" not in {f.code for f in unmet[1]}
    assert describe_factor(asked) == "mentee asked for an international mentor"
    assert asked.params == {"asked": "international", "mentor": "international"}


def test_region_counts_only_for_pairs_in_kyrgyzstan():
    e = mentee("e", region="osh", district="uzgen")
    same_region = factors_of(e, mentor("m", region="osh", district="alai"))["region"]
    assert same_region.value == 0.7 and same_region.params == {"same": "region", "region": "osh"}
    abroad = factors_of(e, mentor("m", region="osh", district="uzgen", country="US"))
    assert "region" not in abroad


def test_availability_is_half_when_not_given():
    f = factors_of(mentee("e"), mentor("m", availability=frozenset({"mon"})))["availability"]
    assert f.value == 0.5 and f.params == {"windows": [], "stated": False}
    assert describe_factor(f) == "availability not given by both, counted as half"


def test_choices_score_by_rank():
    e = mentee("e", ranked_mentors=("a", "b", "c", "m"))
    f = factors_of(e, mentor("m"))["mentee_choice"]
    assert f.value == pytest.approx(1 / 4) and f.params == {"rank": 4}
    assert describe_factor(f) == "her 4th choice"
    assert describe_factor(Factor("mentee_choice", 1.0, 0.1, {"rank": 1})) == "her 1st choice"


def test_describe_factor_gives_short_sentences():
    assert describe_factor(Factor("fields", 1, 0.2, {"fields": ["data_science", "physics"]})) == (
        "shares data_science, physics"
    )
    assert describe_factor(Factor("language", 1, 0.1, {"languages": ["ky", "en"]})) == (
        "both speak ky, en"
    )
    assert describe_factor(Factor("mentor_choice", 1, 0.1, {"rank": 2})) == (
        "the mentor's 2nd choice"
    )
    region = Factor("region", 1, 0.1, {"same": "district", "region": "naryn", "district": "x"})
    assert describe_factor(region) == "same district: x (naryn)"
    text = Factor("text", 0.4, 0.1, {"words": ["solar", "power"]})
    assert describe_factor(text) == "goal and expertise share the words solar, power"
    assert describe_factors([text, region]).count(";") == 1


def test_weights_change_the_score_but_it_stays_in_the_unit_interval():
    e = mentee("e", fields=frozenset({"physics"}))
    m = mentor("m", fields=frozenset({"physics"}))
    only_fields = Weights(**dict.fromkeys(FACTORS, 0.0) | {"fields": 1.0})
    score, factors = explain_pair(e, m, MatchConfig(weights=only_fields))
    assert score == 1.0 and [f.code for f in factors] == ["fields", "language"]
    nothing = Weights(**dict.fromkeys(FACTORS, 0.0))
    assert explain_pair(e, m, MatchConfig(weights=nothing))[0] == 0.0
    with pytest.raises(ValueError, match="weight"):
        match([e], [m], MatchConfig(weights=replace(Weights(), text=-1.0)))


# --- text ---------------------------------------------------------------------------------------


def test_tokenizer_is_unicode_aware_and_drops_stopwords():
    assert tokenize("Хочу изучать Машинное обучение и данные, 2024!") == [
        "изучать",
        "машинное",
        "обучение",
        "данные",
    ]
    assert tokenize("Өнүгүү жана илим") == ["өнүгүү", "илим"]
    assert tokenize("I want to study data_science") == ["study", "data", "science"]


def test_cyrillic_goal_text_similarity_works():
    e = mentee("e", goal="Хочу изучать машинное обучение и анализ данных")
    close = mentor("a", expertise="Машинное обучение, анализ данных в банке")
    far = mentor("b", expertise="Хирург, кардиология")
    text = factors_of(e, close)["text"]
    assert text.value > 0.5
    assert set(text.params["words"]) <= {"машинное", "обучение", "анализ", "данных"}
    assert len(text.params["words"]) == 3
    assert "text" not in factors_of(e, far)
    result = match([e], [far, close])
    assert result.assignments[0].mentor_id == "a"


def test_text_vectors_are_sublinear_and_normalised():
    vector = text_vector("solar solar solar wind")
    assert sum(v * v for v in vector.values()) == pytest.approx(1.0)
    assert vector["solar"] / vector["wind"] == pytest.approx(1 + np.log(3))
    value, words = text_similarity(vector, text_vector("wind"))
    assert value == pytest.approx(vector["wind"]) and words == ["wind"]


def test_idf_table_weighs_rare_words_up_and_match_agrees_with_explain_pair():
    mentees, mentors = random_people(3, 12, 6)
    table = fit_idf(mentees, mentors)
    assert table == tuple(sorted(table))
    config = MatchConfig(text_idf=table)
    result = match(mentees, mentors, config)
    by_e, by_m = {x.id: x for x in mentees}, {x.id: x for x in mentors}
    for a in result.assignments:
        assert a.score == explain_pair(by_e[a.mentee_id], by_m[a.mentor_id], config)[0]
    common, rare = dict(table)["data"], max(v for _w, v in table)
    assert rare >= common


# --- the candidate graph -------------------------------------------------------------------------


def all_scores(mentees, mentors, config) -> np.ndarray:
    out = np.full((len(mentees), len(mentors)), np.nan)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            explained = explain_pair(e, m, config)
            if explained is not None:
                out[i, j] = explained[0]
    return out


def test_vectorised_scores_equal_explain_pair_exactly():
    mentees, mentors = random_people(1, 40, 15)
    config = MatchConfig()
    problem = cand.prepare(mentees, mentors, config)
    i, j, s = cand.build(problem)
    scores = all_scores(mentees, mentors, config)
    eligible = np.nonzero(~np.isnan(scores))
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(zip(*eligible, strict=True))
    assert (s == scores[i, j]).all()
    assert (problem.eligible == (~np.isnan(scores)).sum(axis=1)).all()


def test_fast_scores_stay_within_a_millionth_of_exact(monkeypatch):
    mentees, mentors = random_people(2, 60, 25)
    config = MatchConfig()
    exact = cand.build(cand.prepare(mentees, mentors, config))
    monkeypatch.setattr(cand, "EXACT_PAIRS", 0)
    monkeypatch.setattr(cand, "DENSE_WORDS_MAX", 4)  # some words dense, some sparse
    problem = cand.prepare(mentees, mentors, config)
    fast = cand.build(problem)
    assert problem.stats["exact_scores"] is False
    assert problem.stats["dense_words"] > 0 and problem.stats["rare_words"] > 0
    assert (exact[0] == fast[0]).all() and (exact[1] == fast[1]).all()
    assert np.abs(exact[2] - fast[2]).max() < 1e-6


def brute_force_union(scores: np.ndarray, k: int) -> set[tuple[int, int]]:
    key = np.where(np.isnan(scores), -1.0, scores).astype(np.float32)
    want = set()
    for i in range(scores.shape[0]):
        eligible = np.flatnonzero(~np.isnan(scores[i]))
        best = eligible[np.lexsort((eligible, -key[i, eligible]))][:k]
        want.update((i, int(j)) for j in best)
    for j in range(scores.shape[1]):
        eligible = np.flatnonzero(~np.isnan(scores[:, j]))
        best = eligible[np.lexsort((eligible, -key[eligible, j]))][:k]
        want.update((int(i), j) for i in best)
    return want


@pytest.mark.parametrize("fast", [False, True])
def test_top_k_graph_is_the_union_of_both_sides_top_k(monkeypatch, fast):
    mentees, mentors = random_people(4, 300, 120)
    config = MatchConfig(full_graph_limit=0, top_k=5)
    if fast:
        monkeypatch.setattr(cand, "EXACT_PAIRS", 0)
        monkeypatch.setattr(cand, "CHUNK_CELLS", 2_000)  # many chunks, buffer reductions
        monkeypatch.setattr(cand, "SEED_CELLS", 2_000)
        monkeypatch.setattr(cand, "BUFFER_PAIRS", 0)
    full = cand.build(cand.prepare(mentees, mentors, MatchConfig()))
    scores = np.full((len(mentees), len(mentors)), np.nan)
    scores[full[0], full[1]] = full[2]
    problem = cand.prepare(mentees, mentors, config)
    i, j, s = cand.build(problem)
    assert problem.stats["full_graph"] is False
    if fast:
        assert problem.stats["mentor_reductions"] > 1
    got = set(zip(i.tolist(), j.tolist(), strict=True))
    assert got == brute_force_union(scores, 5)
    assert (s == scores[i, j]).all()


def test_top_k_candidates_contain_each_mentees_best_mentor():
    mentees, mentors = random_people(5, 120, 40)
    config = MatchConfig(full_graph_limit=0, top_k=2)
    result = match(mentees, mentors, config)
    considered = {(e, m) for e, m, _s in result.candidates}
    assert len(considered) < result.summary["eligible_pairs"]
    scores = all_scores(mentees, mentors, config)
    for i, row in enumerate(scores):
        if not np.isnan(row).all():
            best = int(np.nanargmax(row))
            assert (mentees[i].id, mentors[best].id) in considered


def test_candidates_always_include_locked_pairs():
    mentees, mentors = random_people(6, 30, 10)
    config = MatchConfig(full_graph_limit=0, top_k=1)
    scores = all_scores(mentees, mentors, config)
    i, j = map(int, np.argwhere(~np.isnan(scores))[-1])
    locked = replace(config, locked=frozenset({(mentees[i].id, mentors[j].id)}))
    result = match(mentees, mentors, locked)
    assert (mentees[i].id, mentors[j].id) in {(e, m) for e, m, _s in result.candidates}
    listed = list(result.candidates)
    assert listed == result.candidates and len(listed) == len(result.candidates)
    assert result.candidates[0] == listed[0] and result.candidates[-1] == listed[-1]
    assert listed == sorted(listed, key=lambda c: (int(c[0][1:]), int(c[1][1:])))
