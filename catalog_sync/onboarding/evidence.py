"""Facts V6/V7 require that older data does not state, derived only from explicit evidence
in the object the fact belongs to (a rate's own text, a fee's own name), never from the
product's name. Each function returns a `Finding`: the fact with the evidence that states
it, or no fact and why not. Evidence that names two different values derives nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalog_sync.onboarding.durations import is_shorter
from catalog_sync.onboarding.durations import parse_duration


@dataclass(frozen=True, slots=True)
class Finding:
    """What the evidence says about one fact: `value` and the `evidence` stating it, or
    no value and, in `evidence`, why migrate derived nothing ("" when the source says
    nothing at all)."""

    value: str | None = None
    evidence: str = ""

    @property
    def why_not(self) -> str:
        """Why there is no value, as the end of a sentence for the placeholder comment."""
        return self.evidence or "the source does not say"


NOTHING = Finding()


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a text names a value: `label` says which field (`the rate`, `the product
    description`), `match` is the words; `negated` when the text denies them ("no debit
    card"), which is never evidence for the value, yet still counts against another."""

    label: str
    text: str
    match: re.Match[str]
    negated: bool = False

    def quoted(self) -> str:
        return f'{self.label} says "{_excerpt(self.text, self.match)}"'


def mentions(
    patterns: Mapping[str, re.Pattern[str]],
    texts: Iterable[tuple[str, str]],
    *,
    sentences: bool,
) -> dict[str, Mention]:
    """Each value the `(label, text)` pairs name, with its first mention (the first one
    not negated, if any). Only in `sentences` can a mention be negated; in names and
    titles every mention is plain."""
    found: dict[str, Mention] = {}
    for label, text in texts:
        for value, pattern in patterns.items():
            for match in pattern.finditer(text):
                mention = Mention(
                    label, text, match, sentences and _negated(text, match)
                )
                if value not in found or (found[value].negated and not mention.negated):
                    found[value] = mention
    return found


def one_value(found: Mapping[str, Mention]) -> Finding:
    """The value when the mentions name exactly one, not negated; nothing otherwise."""
    if len(found) > 1:
        return Finding(None, disagreement(found))
    if found:
        [(value, mention)] = found.items()
        if mention.negated:
            return Finding(None, disagreement(found))
        return Finding(value, mention.quoted())
    return NOTHING


def disagreement(found: Mapping[str, Mention]) -> str:
    """Why nothing was derived from these mentions, quoting each."""
    named = "; ".join(
        f'{value} ("{m.match.group(0)}"{" negated" if m.negated else ""} in '
        f'{m.label} "{_excerpt(m.text, m.match)}")'
        for value, m in sorted(found.items())
    )
    return f"migrate derived nothing because the evidence disagrees: {named}"


_AT_MATURITY = re.compile(r"\b(at|on) maturity\b", re.I)
_PERIODIC_WORD = re.compile(
    r"\b(monthly|quarterly|annually|yearly|fortnightly|weekly|half[- ]yearly)\b", re.I
)
_REPAYMENT = {
    "PRINCIPAL_AND_INTEREST": re.compile(
        r"principal\s*(and|&)\s*interest|\bP\s*&\s*I\b", re.I
    ),
    "INTEREST_ONLY": re.compile(r"\binterest[\s-]+only\b", re.I),
}
# Words that say what the borrowed money is for; not "investment" alone, which also
# names accounts ("Commonwealth Direct Investment Account").
_PURPOSE = {
    "OWNER_OCCUPIED": re.compile(r"\bowner[\s-]*occupie[dr]s?\b", re.I),
    "INVESTMENT": re.compile(
        r"\binvestors?\b|\binvestment\s+(loans?|propert(y|ies)|purposes?|home\s+loans?)\b",
        re.I,
    ),
}
# A fee name says its V6 feeType only in the words the standard uses for that type; a name
# with words of two types ("ATM withdrawals & enquiries") says neither.
_FEE_TYPE_BY_NAME = {
    "LATE_PAYMENT": re.compile(r"\blate payment", re.I),
    "DISHONOUR": re.compile(r"\bdishono(u)?r", re.I),
    "REPLACEMENT": re.compile(r"\breplacement\b", re.I),
    "CASH_ADVANCE": re.compile(r"\bcash advance", re.I),
    "EXIT": re.compile(r"\bexit\b|\bclosure\b", re.I),
    "UPFRONT": re.compile(r"\b(establishment|application) fee\b", re.I),
    "ENQUIRY": re.compile(r"\benquir(y|ies)\b", re.I),
    "WITHDRAWAL": re.compile(r"\bwithdrawals?\b", re.I),
}


def application_type(rate: Mapping[str, Any]) -> Finding:
    """MATURITY when the rate's own text says interest is paid at maturity; PERIODIC when
    its applicationFrequency is a period shorter than its fixed term (if it states one).
    Nothing when its texts disagree, or the frequency is no period or not shorter."""
    texts = list(_rate_texts(rate))
    # A text naming both ("paid monthly or at maturity") is evidence for neither.
    found = mentions(
        {"MATURITY": _AT_MATURITY, "PERIODIC": _PERIODIC_WORD},
        [
            t
            for t in texts
            if not (_AT_MATURITY.search(t[1]) and _PERIODIC_WORD.search(t[1]))
        ],
        sentences=True,
    )
    if len(found) > 1:
        return Finding(None, disagreement(found))
    frequency, within_term = _frequency(rate)
    maturity = found.get("MATURITY")
    if maturity is None or maturity.negated:
        return frequency
    if within_term:
        return Finding(
            None,
            f"migrate derived nothing because {maturity.quoted()} but "
            f"{frequency.evidence}",
        )
    return Finding("MATURITY", maturity.quoted())


def repayment_type(rate: Mapping[str, Any]) -> Finding:
    """PRINCIPAL_AND_INTEREST or INTEREST_ONLY when the rate's own text names exactly one
    of them."""
    return one_value(mentions(_REPAYMENT, _rate_texts(rate), sentences=True))


def loan_purpose(rate: Mapping[str, Any]) -> Finding:
    """OWNER_OCCUPIED or INVESTMENT when the rate's own text names exactly one of them."""
    return one_value(mentions(_PURPOSE, _rate_texts(rate), sentences=True))


def fee_type_from_name(name: str) -> Finding:
    """The V6 feeType a fee's name states (for V4 `feeType: VARIABLE` fees)."""
    found = mentions(_FEE_TYPE_BY_NAME, [("the fee's name", name)], sentences=False)
    return one_value(found)


def _frequency(rate: Mapping[str, Any]) -> tuple[Finding, bool]:
    """What applicationFrequency says, and whether it was shown shorter than the rate's
    fixed term (additionalValue of a FIXED rate)."""
    frequency = rate.get("applicationFrequency")
    if not isinstance(frequency, str) or not frequency:
        return NOTHING, False
    period = parse_duration(frequency)
    if period is None or period.is_zero:
        why = (
            f"applicationFrequency {frequency!r} is not a period, so it is no evidence "
            "that the rate is applied periodically"
        )
        return Finding(None, why), False
    term_text = rate.get("additionalValue")
    fixed = "FIXED" in (rate.get("depositRateType"), rate.get("lendingRateType"))
    term = parse_duration(term_text) if fixed else None
    if term is None or term.is_zero:
        evidence = f"applicationFrequency {frequency} (applied periodically)"
        return Finding("PERIODIC", evidence), False
    shorter = is_shorter(period, term)
    if shorter:
        evidence = (
            f"applicationFrequency {frequency}, shorter than the fixed term "
            f"{term_text} (applied periodically)"
        )
        return Finding("PERIODIC", evidence), True
    relation = "is not shorter than" if shorter is False else "may not be shorter than"
    why = (
        f"applicationFrequency {frequency} {relation} the fixed term {term_text} "
        "(additionalValue), so it does not show that the rate is applied more than "
        "once (MATURITY if it is applied at the end of the term)"
    )
    return Finding(None, why), False


def _rate_texts(rate: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """The rate's own words: additionalInfo, tier names and tier conditions."""
    info = rate.get("additionalInfo")
    if isinstance(info, str):
        yield "the rate", info
    tiers = rate.get("tiers")
    for tier in tiers if isinstance(tiers, list) else ():
        if not isinstance(tier, Mapping):
            continue
        if isinstance(tier.get("name"), str):
            yield "the rate's tier", tier["name"]
        conditions = tier.get("applicabilityConditions")
        for condition in conditions if isinstance(conditions, list) else [conditions]:
            if isinstance(condition, Mapping) and isinstance(
                condition.get("additionalInfo"), str
            ):
                yield "the rate's tier condition", condition["additionalInfo"]


_NEGATION = re.compile(r"\b(no|not|non|without|never)\b", re.I)
_CLAUSE = re.compile(r"[.;:,!?()\n]")


def _negated(text: str, match: re.Match[str]) -> bool:
    """A negation among the four words before or after `match`, in its clause."""
    before = _CLAUSE.split(text[: match.start()])[-1].split()[-4:]
    after = _CLAUSE.split(text[match.end() :])[0].split()[:4]
    return bool(_NEGATION.search(" ".join([*before, *after])))


def _excerpt(text: str, match: re.Match[str]) -> str:
    if len(text) <= 60:
        return text.strip()
    start = max(0, match.start() - 25)
    end = min(len(text), match.end() + 25)
    return (
        ("..." if start else "")
        + text[start:end].strip()
        + ("..." if end < len(text) else "")
    )
