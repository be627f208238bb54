"""What the app and ``manage.py init`` do before anything else: schema, reference data, demo."""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.config import Settings, get_settings
from core.db import upgrade_schema
from models import Interaction, Organisation, Project

log = logging.getLogger(__name__)


def init_database(engine: Engine) -> dict[str, int]:
    """Upgrade the schema to head and (re)load the reference data. Idempotent."""
    from core.refdata import load_reference_data

    upgrade_schema(engine)
    with Session(engine) as session:
        counts = load_reference_data(session)
        session.commit()
    return counts


def is_empty(session: Session) -> bool:
    """True when the database holds no organisation, project or interaction at all."""
    for model in (Organisation, Project, Interaction):
        if session.exec(select(sa.literal(1)).select_from(model).limit(1)).first() is not None:
            return False
    return True


def prepare_database(
    engine: Engine, settings: Settings | None = None, *, today: date | None = None
) -> bool:
    """Run at the app's start: schema to head, reference data, and the demo portfolio when the
    database is empty and demo data are allowed on it (``Settings.demo_allowed``: ``DEMO_DATA``
    true, or unset on an embedded SQLite file). Returns True if demo data was loaded."""
    from core.demo import seed_demo

    settings = settings or get_settings()
    init_database(engine)
    if not settings.demo_allowed(engine.url.render_as_string(hide_password=False)):
        if settings.demo_data is None:
            log.info("DEMO_DATA unset and the database is not SQLite: no demo data")
        return False
    with Session(engine) as session:
        if not is_empty(session):
            return False
    log.info("Empty database: loading the demo portfolio (scale %s)", settings.demo_scale)
    seed_demo(engine, scale=settings.demo_scale, seed=settings.demo_seed, anchor=today)
    return True
