"""Shared pieces of the demo generator: the run's context, seeded randomness and dates.

Every part of the generator draws from its own ``random.Random`` seeded with
``"<seed>:<part>"`` (string seeds are hashed with SHA-512, not with Python's randomised
``hash``), so the same seed, scale and anchor always give the same rows, and a change in one
part does not reshuffle the others.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

#: Relative activity by month (quiet August and late December).
MONTH_WEIGHTS: tuple[float, ...] = (0.9, 1.0, 1.1, 1.0, 1.0, 1.1, 0.8, 0.35, 1.1, 1.1, 1.1, 0.7)


@dataclass
class DemoContext:
    """Everything the planners share: parameters, reference data read once, id counters."""

    seed: int
    scale: float
    anchor: date
    countries: dict[str, str]  # iso2 -> English name
    chambers: list[tuple[int, str, str | None, str]]  # id, country, city, name
    india_cities: list[str]
    next_ids: dict[str, int] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """The five years of history: the anchor's year and the four before."""
        return [self.anchor.year - 4 + i for i in range(5)]

    @property
    def start(self) -> date:
        return date(self.years[0], 1, 1)

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.seed}:{part}")

    def scaled(self, base: float, minimum: int = 0) -> int:
        return max(minimum, round(base * self.scale))

    def year_fraction(self, year: int) -> float:
        """Share of ``year`` that lies on or before the anchor (1.0 for past years)."""
        if year < self.anchor.year:
            return 1.0
        first = date(year, 1, 1)
        days = (date(year + 1, 1, 1) - first).days
        return ((self.anchor - first).days + 1) / days

    def year_end(self, year: int) -> date:
        """Last day of ``year`` that may hold history (the anchor in the current year)."""
        return min(date(year, 12, 31), self.anchor)

    def chamber_for(self, iso2: str | None) -> int | None:
        for chamber_id, country, _city, _name in self.chambers:
            if country == iso2:
                return chamber_id
        return None

    def take_ids(self, table: str, count: int) -> int:
        """Reserve ``count`` ids of ``table``; returns the first one."""
        first = self.next_ids[table]
        self.next_ids[table] = first + count
        return first


# ---------------------------------------------------------------------------------------------
# Random helpers
# ---------------------------------------------------------------------------------------------


def weighted(rng: random.Random, options: dict, k: int | None = None):
    """One key of ``options`` (or a list of ``k``) drawn by weight."""
    keys = list(options)
    picks = rng.choices(keys, weights=list(options.values()), k=k or 1)
    return picks if k is not None else picks[0]


def allocate(rng: random.Random, weights: dict, n: int) -> list:
    """``n`` keys in proportion to ``weights`` (largest remainder), in random order.

    Quotas rather than independent draws keep shares such as India's stable at small scales."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    rest = n - sum(counts.values())
    by_remainder = sorted(weights, key=lambda k: (-(exact[k] - counts[k]), list(weights).index(k)))
    for k in by_remainder[:rest]:
        counts[k] += 1
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def skewed(rng: random.Random, sigma: float = 1.0) -> float:
    """A positive, right-skewed weight (log-normal with median 1)."""
    return math.exp(rng.gauss(0.0, sigma))


def to_weekday(day: date, lo: date, hi: date) -> date:
    """Move a Saturday or Sunday to the nearest weekday that stays within ``[lo, hi]``."""
    if day.weekday() < 5:
        return day
    back = day - timedelta(days=day.weekday() - 4)
    if back >= lo:
        return back
    forward = day + timedelta(days=7 - day.weekday())
    return forward if forward <= hi else day


def weekday_on_or_before(day: date) -> date:
    """Friday for a Saturday or Sunday: decisions and meetings fall on working days."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def random_day(rng: random.Random, lo: date, hi: date) -> date:
    """A day between ``lo`` and ``hi`` (both included), a weekday when possible."""
    if hi <= lo:
        return lo
    day = lo + timedelta(days=rng.randint(0, (hi - lo).days))
    return to_weekday(day, lo, hi)


def sorted_days(rng: random.Random, lo: date, hi: date, k: int) -> list[date]:
    """``k`` ordered days between ``lo`` and ``hi`` (ties allowed when the span is short)."""
    return sorted(random_day(rng, lo, hi) for _ in range(k))


class WorkdayPicker:
    """Draws many weekdays of one period, weighted by month: fast for 100,000s of draws."""

    def __init__(self, lo: date, hi: date) -> None:
        days: list[int] = []
        cum: list[float] = []
        total = 0.0
        day = lo
        while day <= hi:
            if day.weekday() < 5:
                total += MONTH_WEIGHTS[day.month - 1]
                days.append(day.toordinal())
                cum.append(total)
            day += timedelta(days=1)
        self.days = days or [lo.toordinal()]
        self.cum = cum or [1.0]

    def pick(self, rng: random.Random, k: int) -> list[int]:
        return rng.choices(self.days, cum_weights=self.cum, k=k)


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """ASCII, lowercase, hyphen-separated: a valid domain label."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out, dash = [], False
    for ch in ascii_text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-") or "org"


def stem(rng: random.Random, syllables: Sequence[str]) -> str:
    """An invented word of two or three syllables, capitalised ("Korvelin")."""
    n = 2 if rng.random() < 0.45 else 3
    return "".join(rng.choice(syllables) for _ in range(n)).capitalize()
