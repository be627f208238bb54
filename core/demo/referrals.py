"""The demo partners' referrals: each demo partner's chamber gets a referral at every stage of
the pipeline (Lead to Abandoned), so that its pages show every case, and the referrals past
Lead carry an update shared by the agency.

Runs after the projects and their stage history are written: a chamber lacking a stage takes
the first demo project at that stage not yet attributed to any chamber (from its own country
first), which becomes a chamber referral. Deterministic (projects by id)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from models import (
    Chamber,
    Organisation,
    Project,
    SharedUpdate,
    SourceChannel,
    Stage,
    StageChange,
)

#: The stages a referral is shown at (every stage a lead can be in).
REFERRAL_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s != Stage.TARGET)
#: What the agency shares at each stage (French: the demo's language).
UPDATES = {
    Stage.QUALIFIED: "Premier échange avec la direction : projet qualifié, dossier en cours.",
    Stage.ACTIVE: "Recherche de sites lancée avec la métropole ; chiffrage en cours.",
    Stage.SITE_VISIT: "Visite de sites à Fos et à Aix tenue ; décision attendue ce trimestre.",
    Stage.NEGOTIATION: "Négociation sur le site retenu ; nous vous tenons au courant.",
    Stage.WON: "Décision d'implantation annoncée : merci pour cette recommandation.",
    Stage.LANDED: "L'entreprise s'est installée ; premiers recrutements en cours.",
    Stage.ON_HOLD: "Projet suspendu par l'entreprise ; point prévu dans six mois.",
    Stage.LOST: "L'entreprise a choisi un autre site ; merci pour la recommandation.",
    Stage.ABANDONED: "L'entreprise a renoncé à son projet d'implantation.",
}


def _chamber(conn: Connection, name: str) -> tuple[int, str] | None:
    row = conn.execute(
        sa.select(Chamber.id, Chamber.country_iso2).where(Chamber.name == name)
    ).first()
    return (int(row[0]), str(row[1])) if row else None


def _candidate(conn: Connection, stage: Stage, country: str) -> int | None:
    p, o = Project.__table__, Organisation.__table__
    free = sa.and_(
        p.c.is_demo == sa.true(),
        p.c.stage == stage.value,
        p.c.source_chamber_id.is_(None),
        p.c.lead_on.is_not(None),
    )
    for extra in (o.c.control_country_iso2 == country, sa.true()):
        found = conn.execute(
            sa.select(p.c.id)
            .join(o, o.c.id == p.c.organisation_id)
            .where(free, extra)
            .order_by(p.c.id)
            .limit(1)
        ).scalar()
        if found is not None:
            return int(found)
    return None


def plant_referrals(conn: Connection, chamber_names: list[str]) -> int:
    """Give each named chamber a referral at every stage; share an update on each referral
    past Lead. Returns the number of shared updates written."""
    p = Project.__table__
    updates = 0
    for name in chamber_names:
        chamber = _chamber(conn, name)
        if chamber is None:
            continue
        chamber_id, country = chamber
        for stage in REFERRAL_STAGES:
            has = conn.execute(
                sa.select(p.c.id).where(
                    p.c.is_demo == sa.true(),
                    p.c.source_chamber_id == chamber_id,
                    p.c.stage == stage.value,
                )
            ).first()
            if has is None:
                project = _candidate(conn, stage, country)
                if project is not None:
                    conn.execute(
                        p.update()
                        .where(p.c.id == project)
                        .values(
                            source_channel=SourceChannel.CHAMBER.value,
                            source_chamber_id=chamber_id,
                            source_mission_id=None,
                        )
                    )
        updates += _share_updates(conn, chamber_id)
    return updates


def _share_updates(conn: Connection, chamber_id: int) -> int:
    p, sc = Project.__table__, StageChange.__table__
    last = (
        sa.select(sa.func.max(sc.c.changed_on))
        .where(sc.c.project_id == p.c.id, sc.c.to_stage == p.c.stage)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(p.c.id, p.c.stage, last.label("on"))
        .where(p.c.is_demo == sa.true(), p.c.source_chamber_id == chamber_id)
        .order_by(p.c.id)
    ).all()
    values = [
        {
            "project_id": int(i),
            "text": UPDATES[Stage(stage)],
            "written_on": on,
            "author": "Démo équipe",
        }
        for i, stage, on in rows
        if Stage(stage) in UPDATES and on is not None
    ]
    if values:
        conn.execute(SharedUpdate.__table__.insert(), values)
    return len(values)
