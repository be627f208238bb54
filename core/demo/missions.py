"""The demo's yearly calendar of missions, trade fairs and delegations received.

The first four come from the 2025 partnership article: the June delegation of CCI France
chamber directors in Provence, GITEX in Dubai (October), a Saudi Arabia mission (October or
November) and the China International Import Expo in Shanghai (November).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.demo.plan import DemoContext

ANY = "*"
CHAMBERS = "chamber"
#: Planned missions are shown up to this many days after the anchor (next year's calendar).
PLANNING_HORIZON_DAYS = 270


@dataclass(frozen=True)
class MissionSpec:
    key: str
    name: str  # "{year}" is replaced
    kind: str
    country: str
    cities: tuple[str, ...]  # by year parity when two
    start: tuple[int, int, int]  # month, first possible day, spread in days
    days: int
    budget: tuple[int, int]
    meetings: int  # meetings held at scale 1
    focus: dict[str, float]  # countries of control of the organisations met
    description: str
    with_chamber: bool = True
    parity: int | None = None  # only odd (1) or even (0) years


CALENDAR: tuple[MissionSpec, ...] = (
    MissionSpec("delegation", "Délégation des directeurs de CCI France en Provence {year}",
                "inbound", "FR", ("Marseille",), (6, 9, 10), 3, (35_000, 60_000), 18,
                {CHAMBERS: 1}, "Directeurs de chambres accueillis dans la métropole : sites, port, "
                "campus de centres de données et rendez-vous avec les équipes sectorielles.",
                with_chamber=False),
    MissionSpec("gitex", "GITEX Global {year} — Dubai", "trade_fair", "AE", ("Dubai",),
                (10, 12, 4), 5, (80_000, 130_000), 22, {"AE": 45, "IN": 20, "SA": 10, ANY: 25},
                "Pavillon Provence au GITEX : numérique, centres de données, câbles sous-marins."),
    MissionSpec("saudi", "Mission d'affaires en Arabie saoudite {year}", "outbound", "SA",
                ("Riyadh",), (10, 26, 12), 4, (35_000, 60_000), 14, {"SA": 90, ANY: 10},
                "Investisseurs et groupes saoudiens : énergie, tourisme, logistique."),
    MissionSpec("ciie", "China International Import Expo (CIIE) {year} — Shanghai",
                "trade_fair", "CN", ("Shanghai",), (11, 4, 2), 6, (70_000, 110_000), 18,
                {"CN": 80, ANY: 20}, "Stand régional à la CIIE avec la chambre partenaire."),
    MissionSpec("india", "Mission d'affaires en Inde — Mumbai {year}", "outbound", "IN",
                ("Mumbai",), (2, 3, 14), 5, (40_000, 70_000), 16, {"IN": 100},
                "Avec la chambre indo-française : numérique, pharmacie, ingénierie."),
    MissionSpec("bengaluru", "Bengaluru Tech Summit {year}", "trade_fair", "IN", ("Bengaluru",),
                (11, 15, 5), 3, (25_000, 45_000), 12, {"IN": 100},
                "Centres numériques et de R&D : rendez-vous avec des entreprises tech indiennes."),
    MissionSpec("vivatech", "VivaTech {year} — Paris", "trade_fair", "FR", ("Paris",),
                (6, 11, 6), 4, (25_000, 40_000), 12, {ANY: 100},
                "Stand de la métropole à VivaTech : start-up et scale-up en quête d'implantation.",
                with_chamber=False),
    MissionSpec("mipim", "MIPIM {year} — Cannes", "trade_fair", "FR", ("Cannes",), (3, 8, 6),
                4, (30_000, 50_000), 10, {ANY: 100},
                "Salon de l'immobilier : investisseurs et aménageurs de parcs d'activités.",
                with_chamber=False),
    MissionSpec("hannover", "Hannover Messe {year}", "trade_fair", "DE", ("Hanover",),
                (4, 18, 7), 5, (20_000, 35_000), 8, {"DE": 70, ANY: 30},
                "Salon de l'industrie : énergie, hydrogène, production avancée."),
    MissionSpec("arab_health", "Arab Health {year} — Dubai", "trade_fair", "AE", ("Dubai",),
                (1, 26, 5), 4, (20_000, 35_000), 6, {"AE": 50, "IN": 20, "SA": 10, ANY: 20},
                "Salon de la santé et des technologies médicales."),
    MissionSpec("usa", "Mission de prospection aux États-Unis {year}", "outbound", "US",
                ("Boston", "New York"), (5, 11, 10), 4, (30_000, 50_000), 8, {"US": 100},
                "Sciences du vivant et numérique : entreprises aux projets européens."),
    MissionSpec("uk", "Mission de prospection au Royaume-Uni — Londres {year}", "outbound",
                "GB", ("London",), (9, 15, 10), 3, (15_000, 25_000), 6, {"GB": 100},
                "Services financiers, numérique et maritime."),
    MissionSpec("japan", "Mission d'affaires au Japon — Tokyo {year}", "outbound", "JP",
                ("Tokyo",), (9, 28, 10), 5, (30_000, 50_000), 6, {"JP": 100},
                "Groupes de l'énergie, de l'hydrogène et de la robotique.", parity=1),
    MissionSpec("morocco", "Mission d'affaires au Maroc — Casablanca {year}", "outbound", "MA",
                ("Casablanca",), (12, 1, 7), 3, (10_000, 20_000), 6, {"MA": 100},
                "Logistique, coopération portuaire, groupes marocains investissant en Europe.",
                parity=0),
)  # fmt: skip


@dataclass
class MissionPlan:
    id: int
    spec: MissionSpec
    year: int
    name: str
    starts_on: date
    ends_on: date
    city: str
    chamber_id: int | None
    budget_eur: int
    meetings: int  # meetings to hold (0 for planned missions)
    org_ids: list[int] = field(default_factory=list)  # organisations met or hosted

    @property
    def country(self) -> str:
        return self.spec.country

    def row(self, anchor: date) -> dict:
        """The mission's row; a planned mission is recorded 120 days before it starts, and never
        after the demo's anchor (no write is dated in the future)."""
        from core.demo.orgs import at_nine

        recorded = min(self.starts_on - timedelta(days=120), anchor)

        return {
            "id": self.id, "name": self.name, "kind": self.spec.kind,
            "starts_on": self.starts_on, "ends_on": self.ends_on, "city": self.city,
            "country_iso2": self.spec.country, "chamber_id": self.chamber_id,
            "budget_eur": self.budget_eur, "description": self.spec.description,
            "is_demo": True, "created_at": at_nine(recorded),
        }  # fmt: skip


def plan_missions(ctx: DemoContext) -> list[MissionPlan]:
    """The calendar of the five years and the planned missions of the months ahead."""
    rng = ctx.rng("missions")
    horizon = ctx.anchor + timedelta(days=PLANNING_HORIZON_DAYS)
    out: list[MissionPlan] = []
    for year in [*ctx.years, ctx.anchor.year + 1]:
        for spec in CALENDAR:
            month, day, spread = spec.start
            starts = date(year, month, day) + timedelta(days=rng.randint(0, spread))
            budget = round(rng.randint(*spec.budget), -3)
            if spec.parity is not None and year % 2 != spec.parity:
                continue
            if spec.country not in ctx.countries:
                continue
            if year > ctx.anchor.year and starts > horizon:
                continue
            held = starts <= ctx.anchor
            out.append(MissionPlan(
                id=ctx.take_ids("mission", 1), spec=spec, year=year,
                name=spec.name.format(year=year), starts_on=starts,
                ends_on=starts + timedelta(days=spec.days - 1),
                city=spec.cities[year % len(spec.cities)],
                chamber_id=ctx.chamber_for(spec.country) if spec.with_chamber else None,
                budget_eur=budget, meetings=ctx.scaled(spec.meetings, 1) if held else 0,
            ))  # fmt: skip
    return out


def mission_days(mission: MissionPlan, anchor: date) -> list[int]:
    """Ordinals of the mission's days that are not after the anchor."""
    last = min(mission.ends_on, anchor)
    return list(range(mission.starts_on.toordinal(), last.toordinal() + 1))
