"""One settings object, read from environment variables (and an optional ``.env`` file).

Every field is documented in the README's configuration table; ``tests/test_docs.py`` checks
that the table and this class list the same settings.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DATA_DIR / 'dashboard.sqlite3'}",
        description="SQLAlchemy URL of the database (SQLite file or postgresql+psycopg://...).",
    )
    demo_data: bool | None = Field(
        default=None,
        description="Load the fictional demo portfolio (with its password-less demo accounts) on "
        "first start when the database is empty. Unset: only on an embedded SQLite file; "
        "PostgreSQL needs true.",
    )
    demo_scale: float = Field(
        default=1.0,
        gt=0,
        description="Size of the demo portfolio loaded on first start.",
    )
    demo_seed: int = Field(default=2025, description="Random seed of the demo generator.")
    default_language: str = Field(
        default="fr",
        pattern="^(fr|en)$",
        description="Interface language when none is chosen.",
    )
    territory_name: str = Field(
        default="Aix-Marseille-Provence", description="Name of the home territory."
    )
    territory_city: str = Field(default="Marseille", description="Main city of the territory.")
    territory_lat: float = Field(default=43.2965, description="Latitude of the main city.")
    territory_lon: float = Field(default=5.3698, description="Longitude of the main city.")
    territory_country: str = Field(
        default="FR",
        pattern="^[A-Z]{2}$",
        description="ISO code of the territory's country.",
    )
    territory_timezone: str = Field(
        default="Europe/Paris",
        description='IANA time zone of the territory: what "today" means for periods, '
        "default dates and validation.",
    )
    agency_name: str = Field(
        default="Provence Promotion",
        description="Name of the investment promotion agency.",
    )
    cache_ttl_seconds: int = Field(
        default=300,
        ge=0,
        description="How long dashboard readers keep a result in cache.",
    )
    map_style_url: str = Field(
        default="",
        description="URL of a MapLibre GL style drawn under the maps (online deployments, e.g. "
        "a self-hosted tile server); empty: no basemap and nothing fetched.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=10_000, ge=0, description="How long a SQLite writer waits for the lock."
    )
    postgresql_jit: bool = Field(
        default=False,
        description="Let PostgreSQL compile the app's queries just in time (off by default: "
        "the dashboard's aggregates are short, and compiling them cost more than it saved).",
    )
    session_idle_minutes: int = Field(
        default=60, ge=1, description="A signed-in session ends after this much inactivity."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins in a row before the account is locked."
    )
    login_lock_minutes: int = Field(
        default=15,
        ge=1,
        description="How long a locked account waits; failures older than this are forgotten.",
    )

    @field_validator("territory_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Paris)") from error
        return value

    def demo_allowed(self, database_url: str | None = None) -> bool:
        """Whether demo data and their password-less demo sign-in are allowed on
        ``database_url`` (default: this object's). An explicit ``DEMO_DATA`` decides; unset,
        only the embedded SQLite file allows them, so that a production start on PostgreSQL
        that forgets the variable never offers an account without a password."""
        if self.demo_data is not None:
            return self.demo_data
        return is_sqlite_url(database_url or self.database_url)


def is_sqlite_url(url: str) -> bool:
    return url.split(":", 1)[0].split("+", 1)[0].lower() == "sqlite"


@lru_cache
def get_settings() -> Settings:
    return Settings()
