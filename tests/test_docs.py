"""The README documents every setting, and only those (datasette checks its docs the same way)."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def _documented_settings() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)` \|", section, flags=re.MULTILINE))


def test_readme_configuration_table_lists_every_setting():
    assert _documented_settings() == {name.upper() for name in Settings.model_fields}


def test_readme_has_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", setup, flags=re.DOTALL)
    assert commands == [
        "pip install -r requirements.txt && streamlit run app.py",
        "pip install -r requirements-dev.txt && python -m pytest",
    ]
