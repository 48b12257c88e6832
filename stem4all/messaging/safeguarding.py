"""Detect contact details in mentoring-pair messages.

Some mentees are under 18. Safeguarding policy says a pair message to or from a minor
that carries contact details must be held for a moderator instead of being delivered,
because swapping phone numbers, e-mail addresses or messenger accounts is how a
conversation moves off the platform, where nobody can look after the child.

What is detected (``ContactHit.kind``):

``phone``
    Kyrgyz numbers (``+996 555 123 456``, ``996555123456``, ``0555 123 456``, nine-digit
    mobile/landline numbers starting with 2, 3, 5, 7 or 9), Russian/Kazakh ``8 777 ...``
    numbers and international ``+<country>`` / ``00<country>`` numbers. Digits may be
    split by spaces, dashes, dots or brackets, written one by one (``0 5 5 5 ...``),
    spelled out in English, Russian or Kyrgyz (``zero five five``, ``ноль пять пять``,
    ``нөл беш беш``, including tens and hundreds such as ``пятьсот пятьдесят пять``), or
    any mix of digits and words.
``email``
    Ordinary addresses and obfuscated ones: ``name at gmail dot com``,
    ``name [at] mail.ru``, ``name собака gmail точка com``.
``url``
    ``http(s)://`` and ``www.`` links and bare domains such as ``t.me/xxx``,
    ``wa.me/996...``, ``instagram.com/xxx``, ``bit.ly/...``.
``handle``
    ``@username`` and messenger names with or without an account after them
    (``my telegram is xxx``, ``тг: xxx``, ``инста: xxx``, ``WhatsApp me``, ``ватсап``).
    Naming a messenger is flagged on its own: it is the usual first step of moving a
    chat elsewhere, and a moderator can release a harmless message in seconds.

The text is normalised first: NFKC (fullwidth digits, ligatures), case folding, other
Unicode decimal digits to ASCII, and look-alike letters (``O``/``О`` for 0, ``l``/``і``
for 1, ``з`` for 3) inside tokens that already contain a digit. Spans in the result always
refer to the caller's original text.

To keep ordinary messages flowing, numbers are only called phones when their digit
count and prefix look like a phone number; dates (``12.05.2026``, ``2026-05-12``), times
(``18:30``) are masked out, and runs of years, consecutive numbers, decimals, money and
percentages are rejected. ``at`` only counts as ``@`` between a name and a domain that
ends in a known top-level domain, so ``meet at 6`` or ``good at math`` are left alone.

Every quantifier is bounded so arbitrary input cannot cause catastrophic backtracking.
Pure Python (``re`` and ``unicodedata``); no Django import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ContactHit", "contains_contact_details", "find_contact_details"]


@dataclass(frozen=True)
class ContactHit:
    """One piece of contact detail found in a message.

    ``start``/``end`` index the original text, so ``text[start:end] == match``.
    """

    kind: str  # "phone" | "email" | "url" | "handle"
    match: str
    start: int
    end: int


# --------------------------------------------------------------------------- normalising

_LOOKALIKE_DIGITS = {"o": "0", "о": "0", "l": "1", "і": "1", "з": "3"}
_LOOKALIKE_TOKEN = re.compile(r"(?<![^\W\d_])[0-9oоlіз]{2,20}(?![^\W\d_])")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its characters, the original index."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        decimal = unicodedata.decimal(char, None)
        piece = str(decimal) if decimal is not None else unicodedata.normalize("NFKC", char)
        piece = piece.casefold()
        chars.extend(piece)
        origin.extend([index] * len(piece))
    normalised = "".join(chars)

    def _digits(match: re.Match[str]) -> str:
        token = match.group()
        if not any(c.isdigit() for c in token):
            return token
        return "".join(_LOOKALIKE_DIGITS.get(c, c) for c in token)

    return _LOOKALIKE_TOKEN.sub(_digits, normalised), origin


# ---------------------------------------------------------------------------- vocabulary

_UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    # Russian
    "ноль": 0, "нуль": 0, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3,
    "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9,
    # Kyrgyz
    "нөл": 0, "нөль": 0, "бир": 1, "эки": 2, "үч": 3, "төрт": 4, "беш": 5,
    "алты": 6, "жети": 7, "сегиз": 8, "тогуз": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
    "восемнадцать": 18, "девятнадцать": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
    # Kyrgyz teens are "он бир" (10 + 1), so "он" behaves like a tens word.
    "он": 10, "жыйырма": 20, "отуз": 30, "кырк": 40, "элүү": 50,
    "алтымыш": 60, "жетимиш": 70, "сексен": 80, "токсон": 90,
}  # fmt: skip
_HUNDREDS = {
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500,
    "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip
_HUNDRED_MULTIPLIERS = {"hundred", "жүз"}
_PLUS_WORDS = {"plus", "плюс"}

_NUMBER_WORDS = sorted(
    [*_UNITS, *_TEENS, *_TENS, *_HUNDREDS, *_HUNDRED_MULTIPLIERS], key=len, reverse=True
)
_WORD_ALT = "|".join(re.escape(w) for w in _NUMBER_WORDS)
_TOKEN = rf"(?:\d{{1,15}}|(?<![^\W\d_])(?:{_WORD_ALT})(?![^\W\d_]))"
_SEP = r"[ \t\u00a0\-.(),\u2010-\u2015]{0,3}"
_PHONE_RUN = re.compile(
    rf"(?:(?<![^\W\d_])(?:plus|плюс)\s{{1,3}}|\+\s{{0,2}}|\(\s{{0,2}})?"
    rf"{_TOKEN}(?:{_SEP}{_TOKEN}){{0,29}}"
)
_RUN_TOKEN = re.compile(_TOKEN)

_DATE_OR_TIME = re.compile(
    r"(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}"
    r"|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}"
    r"|\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)
_AFTER_NUMBER_NOT_PHONE = re.compile(
    r"\s{0,2}(?:%|процент|percent|\$|€|сом|som|kgs|usd|eur|руб|rub|тенге|тг\b|долл|dollar)"
)

# TLDs accepted for bare domains and for obfuscated e-mails. Kept to ones seen in
# practice, leaving out endings that are also file types or common words (py, js, in, to).
_TLDS = (
    "com|org|net|edu|gov|info|biz|io|co|me|ly|gl|gg|app|dev|ai|xyz|site|online|link|"
    "ru|kg|kz|uz|tj|ua|by|su|de|uk|us|tr|cn|eu|рф|кр"
)
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w][\w.+\-]{0,63}(?:@|\s{1,2}@\s{1,2})[\w\-]{1,63}(?:\.[\w\-]{1,63}){1,5}"
)
_AT = (
    r"(?:\s{0,3}[\[({<]\s{0,2}(?:at|эт|собака)\s{0,2}[\])}>]\s{0,3}"
    r"|\s{1,3}(?:at|собака|собачка|эт)\s{1,3})"
)
_DOT = (
    r"(?:\s{0,3}[\[({<]\s{0,2}(?:dot|точка|тчк)\s{0,2}[\])}>]\s{0,3}"
    r"|\s{1,3}(?:dot|точка|тчк)\s{1,3}|\s{0,2}\.\s{0,2})"
)
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.])[\w][\w.+\-]{{0,63}}{_AT}[\w\-]{{1,63}}(?:{_DOT}[\w\-]{{1,63}}){{0,3}}"
    rf"{_DOT}(?:{_TLDS})(?![\w])"
)
_URL_SCHEME = re.compile(r"(?:https?|ftp)://[^\s<>\"']{1,300}|www\.[^\s<>\"']{2,300}")
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@.\-])(?:[\w\-]{{1,63}}\.){{1,5}}(?:{_TLDS})(?![\w\-])(?:/[^\s<>\"']{{0,300}})?"
)
_AT_HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]{1,30}[a-z0-9_])")

_MESSENGERS = (
    r"telegram|telega|whats\s?app|whatsap|watsapp|wa|insta(?:gram)?|viber|snapchat|"
    r"discord|tiktok|tik\s?tok|facebook|messenger|skype|wechat|vkontakte|vk|tg|ig|fb|"
    r"телеграм\w{0,5}|телег[аеиу]\w{0,2}|тг|тгшк\w{0,2}|"
    r"в[ао]т[сц]?ап\w{0,4}|в[ао]ц[ао]п\w{0,4}|"
    r"инст\w{0,10}|инстаграм\w{0,4}|вайбер\w{0,3}|дискорд\w{0,3}|тик\s?ток\w{0,3}|"
    r"фейсбук\w{0,3}|скайп\w{0,3}|вк|вконтакт\w{0,2}|снэп\w{0,5}"
)
_MESSENGER = re.compile(
    rf"(?<![^\W\d_])(?:{_MESSENGERS})(?![^\W\d_])"
    r"(?:(?:\s{0,2}[:=\-\u2013\u2014]\s{0,2}|\s{1,2}(?:is|это|—|:)\s{1,2}|\s{1,2}(?=@))"
    r"@?[a-z0-9_](?:[a-z0-9_.]{1,30}[a-z0-9_]))?"
)
_TRAILING_PUNCT = ".,;:!?)]}>\"'»"


# ------------------------------------------------------------------------------ phones


def _run_pieces(run: str) -> list[tuple[str, int, int]]:
    """Turn a run of digit groups and number words into (digits, start, end) pieces."""
    tokens = [(m.group(), m.start(), m.end()) for m in _RUN_TOKEN.finditer(run)]
    pieces: list[tuple[str, int, int]] = []
    value: int | None = None  # a spelled-out number still being built
    skip_next = False  # "беш жүз": the multiplier was already folded into the unit
    level = 0  # 100: a tens/unit word may follow; 10: a unit word may follow
    span = (0, 0)

    def flush() -> None:
        nonlocal value, level
        if value is not None:
            pieces.append((str(value), *span))
        value, level = None, 0

    for index, (token, start, end) in enumerate(tokens):
        following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
        if token.isdigit():
            flush()
            pieces.append((token, start, end))
        elif skip_next:
            skip_next = False
        elif token in _HUNDRED_MULTIPLIERS:
            flush()
            value, level, span = 100, 100, (start, end)
        elif token in _HUNDREDS:
            flush()
            value, level, span = _HUNDREDS[token], 100, (start, end)
        elif token in _TENS:
            if level == 100 and value is not None:
                value, level, span = value + _TENS[token], 10, (span[0], end)
            else:
                flush()
                value, level, span = _TENS[token], 10, (start, end)
        elif token in _TEENS:
            if level == 100 and value is not None:
                value, span = value + _TEENS[token], (span[0], end)
            else:
                flush()
                value, span = _TEENS[token], (start, end)
            flush()
        else:  # a unit word
            digit = _UNITS[token]
            if following in _HUNDRED_MULTIPLIERS and digit:
                flush()
                value, level, span = digit * 100, 100, (start, tokens[index + 1][2])
                skip_next = True
            elif level in (100, 10) and value is not None:
                value, span = value + digit, (span[0], end)
                flush()
            else:
                flush()
                pieces.append((str(digit), start, end))
    flush()
    return pieces


def _looks_like_phone(digits: str, plus: bool) -> bool:
    length = len(digits)
    if plus:
        return 8 <= length <= 15
    if digits.startswith("00"):
        return 11 <= length <= 15
    if length == 12:
        return digits.startswith("996")
    if length == 10:
        return digits[0] == "0" and digits[1] in "23456789"
    if length == 9:
        return digits[0] in "23579"
    if length == 11:
        return digits[0] in "78" and digits[1] in "3456789"
    return False


def _is_innocent_run(pieces: list[tuple[str, int, int]], text: str, end: int) -> bool:
    """Number runs that are long enough to be phones but are plainly something else."""
    groups = [p[0] for p in pieces]
    if all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return True  # a list of years
    if len(groups) >= 2 and all(g == "000" for g in groups[1:]):
        return True  # 500 000 000 people, 125,000,000 som
    numbers = [int(g) for g in groups]
    if len(numbers) >= 3 and all(b - a == 1 for a, b in zip(numbers, numbers[1:], strict=False)):
        return True  # 5 6 7 8 9 10 11
    if len(pieces) == 2:
        between = text[pieces[0][2] : pieces[1][1]]
        if between.strip() in (".", ",") and len(groups[0]) <= 3 and " " not in between:
            return True  # a decimal such as 3.14159265
    return bool(_AFTER_NUMBER_NOT_PHONE.match(text, end))


def _find_phones(text: str) -> list[tuple[str, int, int]]:
    masked = _DATE_OR_TIME.sub(lambda m: "#" * len(m.group()), text)
    found: list[tuple[str, int, int]] = []
    for run in _PHONE_RUN.finditer(masked):
        raw = run.group()
        pieces = _run_pieces(raw)
        if not pieces or sum(len(p[0]) for p in pieces) < 8:
            continue
        prefix = raw[: pieces[0][1]]
        has_plus = "+" in prefix or any(w in prefix for w in _PLUS_WORDS)
        best: tuple[int, int] | None = None
        size = len(pieces)
        # Whole run first, then trimmed windows (stray words such as "он" or "one" at the
        # edges) and, for very long runs, any window of consecutive groups.
        windows = [(0, size)]
        windows += [(i, j) for i in range(min(size, 4)) for j in range(size, max(i, size - 4), -1)]
        if size > 6:
            windows += [(i, j) for i in range(size) for j in range(i + 1, min(size, i + 12) + 1)]
        for i, j in windows:
            window = pieces[i:j]
            digits = "".join(p[0] for p in window)
            if not _looks_like_phone(digits, has_plus and i == 0):
                continue
            start = 0 if i == 0 and has_plus else window[0][1]
            end = window[-1][2]
            if _is_innocent_run(window, raw, end):
                continue
            best = (start, end)
            break
        if best is not None:
            start, end = run.start() + best[0], run.start() + best[1]
            found.append((text[start:end], start, end))
    return found


# ------------------------------------------------------------------------------- public


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    return start, end


def find_contact_details(text: str) -> list[ContactHit]:
    """Return the contact details in ``text``, ordered by position, without overlaps."""
    if not text:
        return []
    norm, origin = _normalise(text)
    candidates: list[tuple[int, int, str]] = []

    for pattern, kind in (
        (_URL_SCHEME, "url"),
        (_EMAIL, "email"),
        (_OBFUSCATED_EMAIL, "email"),
        (_BARE_DOMAIN, "url"),
        (_AT_HANDLE, "handle"),
        (_MESSENGER, "handle"),
    ):
        for match in pattern.finditer(norm):
            start, end = _strip(norm, match.start(), match.end())
            if kind == "url" and pattern is _BARE_DOMAIN:
                host = norm[start:end].split("/", 1)[0]
                if not any(c.isalpha() for c in host.rsplit(".", 1)[0]):
                    continue  # "2.5.kg"-like numbers are not domains
            if end > start:
                candidates.append((start, end, kind))
    for _, start, end in _find_phones(norm):
        candidates.append((start, end, "phone"))

    # Earliest first; at the same position the longest wins; drop anything overlapping.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    hits: list[ContactHit] = []
    last_end = -1
    for start, end, kind in candidates:
        if start < last_end:
            continue
        orig_start, orig_end = origin[start], origin[end - 1] + 1
        hits.append(ContactHit(kind, text[orig_start:orig_end], orig_start, orig_end))
        last_end = end
    return hits


def contains_contact_details(text: str) -> bool:
    """True when ``text`` contains anything :func:`find_contact_details` would report."""
    return bool(find_contact_details(text))
