"""The soft score of an eligible pair: a weighted mean of named factors, in [0, 1].

``score = sum(w_f * v_f) / sum(w_f)`` over the factors below, with ``w_f`` the
``Weights`` attribute of the same name and every value ``v_f`` in [0, 1]; so the score
lies in [0, 1] whatever the (non-negative) weights, and each factor's *contribution*
``w_f * v_f / sum(w)`` is its exact share of the score. A pair's score depends on the
pair and the config alone, never on who else is in the cohort: the platform's "why this
mentor fits you" (``explain_pair``) and a matching run always agree.

Factors
-------
``fields``        share of the mentee's STEM fields that the mentor covers:
                  |shared| / |mentee's fields| (0 when she gave none).
``text``          cosine similarity of the mentee's ``goal`` and the mentor's
                  ``expertise`` plus the words of her field codes (``data_science`` gives
                  "data" and "science"), as TF-IDF vectors: Unicode word tokens
                  (letters and digits, so Cyrillic and Kyrgyz letters work), case-folded,
                  ``ё`` read as ``е``, pure numbers and a small English/Russian/Kyrgyz
                  stopword list dropped; sublinear term frequency ``1 + ln(count)``, times
                  the word's inverse document frequency, l2-normalised. The IDF table is
                  ``MatchConfig.text_idf`` (``fit_idf`` builds the classic smoothed
                  ``ln((1 + N) / (1 + df)) + 1`` from a corpus); left empty, every word
                  weighs 1, which keeps scores independent of the cohort. No model is
                  downloaded; the same text always gives the same vector.
``mentor_type``   1 when the mentee asked for a regional (or international) mentor and
                  this mentor is one; 0.5 when she said "any" (so "any" never beats a met
                  wish, and a mentee who asked for an international mentor comes first
                  for one); 0 when her wish is not met. A mentor is international when
                  her country is not KG.
``region``        regional pairs only (both in Kyrgyzstan): same district 1.0, same region
                  0.7, otherwise 0; international mentors get 0 here (mentor_type rewards
                  them when they are asked for).
``availability``  |shared windows| / |mentee's windows|; 0.5 when either gave none.
``mentee_choice`` her rank r (1-based) of this mentor in ``ranked_mentors``:
                  (n + 1 - r) / n with n = max(3, len(list)); 0 when not ranked.
``mentor_choice`` the same from the mentor's ``ranked_mentees``.
``language``      1 when they share a working language both speak at C1 or above
                  (native and "fluent" included), 0.5 when the best shared one is at B2,
                  else 0.

The module gives each factor twice, and the two agree: ``pair_factors`` computes one
pair in plain Python (explanations, locked pairs, ``explain_pair``), and ``encode`` turns
people into arrays from which ``candidates`` scores whole blocks of pairs at once:
one-hot fields and windows, preference, region and district codes, sparse TF-IDF rows
(columns in word order, so a sparse product adds a pair's terms in the same order as
``text_similarity``), and the (mentee, mentor) pairs with a ranked choice.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .model import LEVELS, Factor, MatchConfig, Mentee, Mentor, Weights, level_rank

FACTORS = (
    "fields",
    "text",
    "mentor_type",
    "region",
    "availability",
    "mentee_choice",
    "mentor_choice",
    "language",
)
SAME_DISTRICT = 1.0
SAME_REGION = 0.7
NO_WINDOWS = 0.5
ANY_MENTOR_TYPE = 0.5
C1 = level_rank("C1")
B2 = level_rank("B2")
RANK = {level: rank for rank, level in enumerate(LEVELS)} | {None: level_rank(None)}

_TOKEN = re.compile(r"[^\W_]+")

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    etc few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves want wants like dream plan hope become
    especially ten years
    а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да
    даже для до его ее если есть еще же за здесь и из или им их к как когда кто ли либо мне
    может мы на над надо наш не него нее нет ни них но ну о об однако он она они оно от
    очень по под после при с со так также такой там те тем то того тоже той только том ты
    у уже хочу хотела хотел хотим чем что чтобы эта эти это я стать мечтаю мечта
    жана менен үчүн бул ал алар мен биз сиз да дагы же мага анын болуп болот кылуу келет
    керек деп бир эле
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokenize(text: str) -> list[str]:
    """Word tokens of a text, case-folded, stopwords and pure numbers dropped."""
    folded = (text or "").casefold().replace("ё", "е")
    return [t for t in _TOKEN.findall(folded) if t not in STOPWORDS and not t.isdigit()]


def mentor_document(mentor: Mentor) -> str:
    """The mentor's side of the text factor: her expertise and her field codes' words."""
    return " ".join([mentor.expertise or "", *sorted(mentor.fields)])


@lru_cache(maxsize=16)
def idf_lookup(table: tuple[tuple[str, float], ...]) -> tuple[dict[str, float], float]:
    """The IDF table as a dict and the weight of a word missing from it."""
    if not table:
        return {}, 1.0
    mapping = dict(table)
    return mapping, max(mapping.values())


def fit_idf(mentees: Iterable[Mentee], mentors: Iterable[Mentor]) -> tuple[tuple[str, float], ...]:
    """Smoothed IDF over the goals and mentor documents, for ``MatchConfig.text_idf``:
    ``ln((1 + N) / (1 + df)) + 1`` per word, sorted by word."""
    documents = [m.goal for m in mentees] + [mentor_document(m) for m in mentors]
    df: Counter[str] = Counter()
    for document in documents:
        df.update(set(tokenize(document)))
    n = len(documents)
    return tuple(sorted((w, math.log((1 + n) / (1 + c)) + 1.0) for w, c in df.items()))


def text_vector(text: str, table: tuple[tuple[str, float], ...] = ()) -> dict[str, float]:
    """The l2-normalised sublinear TF-IDF vector of a text, as {word: weight}."""
    return _text_vector(text, *idf_lookup(table))


def _text_vector(text: str, idf: dict[str, float], missing: float) -> dict[str, float]:
    counts = Counter(tokenize(text))
    weights = {w: (1.0 + math.log(c)) * idf.get(w, missing) for w, c in sorted(counts.items())}
    norm = math.sqrt(sum(v * v for v in weights.values()))
    if norm == 0.0:
        return {}
    return {w: v / norm for w, v in weights.items() if v > 0.0}


def text_similarity(a: dict[str, float], b: dict[str, float], top: int = 3) -> tuple[float, list]:
    """Cosine of two normalised vectors and up to ``top`` shared words, strongest first."""
    if len(a) > len(b):
        a, b = b, a
    parts = sorted(((a[w] * b[w], w) for w in a if w in b), key=lambda p: p[1])
    if not parts:
        return 0.0, []
    value = 0.0
    for product, _word in parts:
        value += product
    strongest = sorted(parts, key=lambda p: (-p[0], p[1]))[:top]
    return min(max(value, 0.0), 1.0), [w for _p, w in strongest]


def normalised_weights(weights: Weights) -> dict[str, float]:
    """Each factor's weight divided by their sum (all 0 when the sum is 0)."""
    raw = {code: float(getattr(weights, code)) for code in FACTORS}
    total = sum(raw.values())
    if total <= 0:
        return dict.fromkeys(FACTORS, 0.0)
    return {code: w / total for code, w in raw.items()}


def choice_value(ranked: Sequence[str], other_id: str) -> tuple[float, int]:
    """(value, rank) of other_id in a ranked list, (0, 0) when absent."""
    for position, candidate in enumerate(ranked):
        if candidate == other_id:
            n = max(3, len(ranked))
            return (n - position) / n, position + 1
    return 0.0, 0


def language_value(best_rank: int) -> float:
    if best_rank >= C1:
        return 1.0
    if best_rank == B2:
        return 0.5
    return 0.0


def mentor_kind(mentor: Mentor) -> str:
    return "international" if mentor.is_international else "regional"


def mentor_type_value(preference: str, kind: str) -> float:
    preference = preference or "any"
    if preference == "any":
        return ANY_MENTOR_TYPE
    return 1.0 if preference == kind else 0.0


def pair_factors(
    mentee: Mentee,
    mentor: Mentor,
    config: MatchConfig,
    *,
    shared_languages: Sequence[str],
    mentee_text: dict[str, float],
    mentor_text: dict[str, float],
    weight: dict[str, float] | None = None,
) -> tuple[float, list[Factor]]:
    """The score of an (eligible) pair and all eight factors with their contributions,
    in ``FACTORS`` order. The score is the sum of the contributions. ``weight`` is
    ``normalised_weights(config.weights)``, when the caller has it already."""
    if weight is None:
        weight = normalised_weights(config.weights)
    values: dict[str, tuple[float, dict]] = {}

    if mentee.fields:
        shared = sorted(mentee.fields & mentor.fields)
        values["fields"] = (len(shared) / len(mentee.fields), {"fields": shared})
    else:
        values["fields"] = (0.0, {"fields": []})

    similarity, words = text_similarity(mentee_text, mentor_text)
    values["text"] = (similarity, {"words": words})

    kind = mentor_kind(mentor)
    asked = mentee.preferred_mentor_type or "any"
    values["mentor_type"] = (mentor_type_value(asked, kind), {"asked": asked, "mentor": kind})

    region_value, region_params = 0.0, {}
    if (
        mentee.country == "KG"
        and not mentor.is_international
        and mentee.region
        and mentee.region == mentor.region
    ):
        if mentee.district and mentee.district == mentor.district:
            region_value = SAME_DISTRICT
            region_params = {"same": "district", "region": mentee.region}
            region_params["district"] = mentee.district
        else:
            region_value = SAME_REGION
            region_params = {"same": "region", "region": mentee.region}
    values["region"] = (region_value, region_params)

    if mentee.availability and mentor.availability:
        windows = sorted(mentee.availability & mentor.availability)
        values["availability"] = (len(windows) / len(mentee.availability), {"windows": windows})
    else:
        values["availability"] = (NO_WINDOWS, {"windows": [], "stated": False})

    value, rank = choice_value(mentee.ranked_mentors, mentor.id)
    values["mentee_choice"] = (value, {"rank": rank} if rank else {})
    value, rank = choice_value(mentor.ranked_mentees, mentee.id)
    values["mentor_choice"] = (value, {"rank": rank} if rank else {})

    best = -1
    for code in shared_languages:
        mine, hers = RANK[mentee.languages[code]], RANK[mentor.languages[code]]
        best = max(best, min(mine, hers))
    params: dict = {"languages": list(shared_languages)}
    if shared_languages:
        params["level"] = LEVELS[best]
    values["language"] = (language_value(best), params)

    factors = []
    score = 0.0
    for code in FACTORS:
        value, params = values[code]
        contribution = weight[code] * value
        score += contribution
        factors.append(
            Factor(code=code, value=float(value), contribution=contribution, params=params)
        )
    return score, factors


# --- the same factors as arrays ------------------------------------------------------------------


@dataclass
class Encoded:
    """The factors' raw material as arrays, one row per person. ``candidates`` builds
    from it both the exact scorer (each factor computed with the very operations of
    ``pair_factors``, so the scores are bitwise equal) and the fast one (one matrix
    product of weighted one-hot columns)."""

    weight: dict[str, float]
    fields_mentee: np.ndarray  # (n, F) 0/1
    fields_mentor: np.ndarray  # (m, F) 0/1
    fields_count: np.ndarray  # (n,) float64
    windows_mentee: np.ndarray  # (n, W) 0/1
    windows_mentor: np.ndarray  # (m, W) 0/1
    windows_count: np.ndarray  # (n,) float64
    mentor_has_windows: np.ndarray  # (m,) bool
    preference: np.ndarray  # (n,) int64: 0 regional, 1 international, 2 any
    mentor_international: np.ndarray  # (m,) bool
    region_mentee: np.ndarray  # (n,) int64 code, -1 when the factor cannot apply
    region_mentor: np.ndarray  # (m,)
    district_mentee: np.ndarray  # (n,) int64 code of (region, district), -1 when none
    district_mentor: np.ndarray  # (m,)
    text_mentee: sp.csr_matrix  # (n, V) l2-normalised TF-IDF rows, columns by word
    text_mentor: sp.csr_matrix  # (m, V)
    choice_mentee: np.ndarray  # int64, the pairs with a ranked choice, sorted
    choice_mentor: np.ndarray  # int64
    choice_by_mentee: np.ndarray  # float64, the mentee_choice value
    choice_by_mentor: np.ndarray  # float64, the mentor_choice value


# mentor_type value by [preference, mentor is international]
MENTOR_TYPE_TABLE = np.array([[1.0, 0.0], [0.0, 1.0], [ANY_MENTOR_TYPE, ANY_MENTOR_TYPE]])
PREFERENCE_CODE = {"regional": 0, "international": 1, "any": 2}


def _one_hot(rows: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(vocabulary)))
    for r, items in enumerate(rows):
        for item in items:
            column = vocabulary.get(item)
            if column is not None:
                out[r, column] = 1.0
    return out


def _text_matrix(vectors: Sequence[dict[str, float]], vocabulary: dict[str, int]) -> sp.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for vector in vectors:
        for word, weight in vector.items():  # vectors are sorted by word, like the columns
            column = vocabulary.get(word)
            if column is not None:
                indices.append(column)
                data.append(weight)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(vectors), len(vocabulary)),
    )


def text_vectors(
    texts: Sequence[str], table: tuple[tuple[str, float], ...]
) -> list[dict[str, float]]:
    """``text_vector`` of each text, computing each distinct text once."""
    idf, missing = idf_lookup(table)
    cache: dict[str, dict[str, float]] = {}
    out = []
    for text in texts:
        vector = cache.get(text)
        if vector is None:
            vector = cache[text] = _text_vector(text, idf, missing)
        out.append(vector)
    return out


def encode(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    config: MatchConfig,
    mentee_vectors: Sequence[dict[str, float]],
    mentor_vectors: Sequence[dict[str, float]],
) -> Encoded:
    fields = {f: k for k, f in enumerate(sorted({f for x in mentees for f in x.fields}))}
    windows = {v: k for k, v in enumerate(sorted({v for x in mentees for v in x.availability}))}

    def place(person, is_home: bool) -> tuple[str | None, tuple[str, str] | None]:
        if not is_home or not person.region:
            return None, None
        return person.region, ((person.region, person.district) if person.district else None)

    mentee_places = [place(x, x.country == "KG") for x in mentees]
    mentor_places = [place(x, not x.is_international) for x in mentors]
    regions = {r: k for k, r in enumerate(sorted({r for r, _d in mentee_places if r}))}
    districts = {d: k for k, d in enumerate(sorted({d for _r, d in mentee_places if d}))}

    def codes(places, index: int, vocabulary) -> np.ndarray:
        return np.array([vocabulary.get(p[index], -1) for p in places], dtype=np.int64)

    # Only words on both sides can contribute; the vectors were normalised beforehand.
    words = sorted({t for v in mentee_vectors for t in v} & {t for v in mentor_vectors for t in v})
    vocabulary = {t: k for k, t in enumerate(words)}

    mentor_pos = {x.id: j for j, x in enumerate(mentors)}
    mentee_pos = {x.id: i for i, x in enumerate(mentees)}
    by_mentee: dict[tuple[int, int], float] = {}
    by_mentor: dict[tuple[int, int], float] = {}
    for i, mentee in enumerate(mentees):
        for other in dict.fromkeys(mentee.ranked_mentors):
            if other in mentor_pos:
                by_mentee[i, mentor_pos[other]] = choice_value(mentee.ranked_mentors, other)[0]
    for j, mentor in enumerate(mentors):
        for other in dict.fromkeys(mentor.ranked_mentees):
            if other in mentee_pos:
                by_mentor[mentee_pos[other], j] = choice_value(mentor.ranked_mentees, other)[0]
    keys = sorted(set(by_mentee) | set(by_mentor))

    return Encoded(
        weight=normalised_weights(config.weights),
        fields_mentee=_one_hot([x.fields for x in mentees], fields),
        fields_mentor=_one_hot([x.fields for x in mentors], fields),
        fields_count=np.array([len(x.fields) for x in mentees], dtype=np.float64),
        windows_mentee=_one_hot([x.availability for x in mentees], windows),
        windows_mentor=_one_hot([x.availability for x in mentors], windows),
        windows_count=np.array([len(x.availability) for x in mentees], dtype=np.float64),
        mentor_has_windows=np.array([bool(x.availability) for x in mentors], dtype=bool),
        preference=np.array(
            [PREFERENCE_CODE[x.preferred_mentor_type or "any"] for x in mentees], dtype=np.int64
        ),
        mentor_international=np.array([x.is_international for x in mentors], dtype=bool),
        region_mentee=codes(mentee_places, 0, regions),
        region_mentor=codes(mentor_places, 0, regions),
        district_mentee=codes(mentee_places, 1, districts),
        district_mentor=codes(mentor_places, 1, districts),
        text_mentee=_text_matrix(mentee_vectors, vocabulary),
        text_mentor=_text_matrix(mentor_vectors, vocabulary),
        choice_mentee=np.array([i for i, _j in keys], dtype=np.int64),
        choice_mentor=np.array([j for _i, j in keys], dtype=np.int64),
        choice_by_mentee=np.array([by_mentee.get(k, 0.0) for k in keys], dtype=np.float64),
        choice_by_mentor=np.array([by_mentor.get(k, 0.0) for k in keys], dtype=np.float64),
    )
