"""The two catalogs hold the same keys, every enum the interface shows has labels, and every
key the code asks for exists."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

import models
from core.i18n import (
    LANGUAGES,
    column_label,
    enum_label,
    enum_value_label,
    load_catalog,
    normalise_language,
    t,
)
from models import OrganisationKind, Stage

ROOT = Path(__file__).resolve().parent.parent
MODEL_ENUMS = [
    obj
    for obj in vars(models).values()
    if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
]


def test_catalogs_have_the_same_keys():
    fr, en = load_catalog("fr"), load_catalog("en")
    assert sorted(set(fr) - set(en)) == []
    assert sorted(set(en) - set(fr)) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_value(lang):
    assert [k for k, v in load_catalog(lang).items() if not v.strip()] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_between_languages(lang):
    fields = re.compile(r"\{(\w+)\}")
    other = "en" if lang == "fr" else "fr"
    here, there = load_catalog(lang), load_catalog(other)
    wrong = [k for k in here if set(fields.findall(here[k])) != set(fields.findall(there[k]))]
    assert wrong == []


def test_model_enums_are_found():
    # Guards the next test against silently checking nothing.
    names = {e.__name__ for e in MODEL_ENUMS}
    assert {"Stage", "OrganisationKind", "InteractionOutcome", "TargetKpi"} <= names


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("enum", MODEL_ENUMS, ids=lambda e: e.__name__)
def test_every_enum_member_has_a_label(enum, lang):
    labels = [enum_label(member, lang) for member in enum]
    assert all(labels)
    # Two members of one enum never share a label.
    assert len(set(labels)) == len(labels)


def test_known_labels():
    assert enum_label(Stage.WON, "fr") == "Gagné"
    assert enum_label(Stage.WON, "en") == "Won"
    assert enum_value_label(OrganisationKind, "chamber", "fr") == "Chambre CCI FI"
    assert enum_value_label(OrganisationKind, None, "fr") == ""


def test_placeholders_are_filled():
    assert t("kpi.open_pipeline.jobs", "fr", n="12") == "12 emplois en jeu"
    assert t("kpi.open_pipeline.jobs", "en", n="12") == "12 jobs in play"


def test_french_is_the_default_and_unknown_languages_fall_back():
    assert normalise_language(None) == "fr"
    assert normalise_language("de") == "fr"
    assert normalise_language("EN") == "en"


def test_missing_key_raises():
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


def test_unsupported_language_raises():
    with pytest.raises(ValueError):
        t("app.title", "de")


def test_column_label_falls_back_to_the_column_name():
    assert column_label("name", "fr") == "Nom"
    assert column_label("some_new_column", "en") == "some_new_column"


def _keys_used_in_code() -> tuple[set[str], set[str]]:
    """Literal keys passed to ``t(...)`` and the prefixes of f-string keys."""
    literal = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
    prefix = re.compile(r"""\bt\(\s*f["']([\w.]+)\{""")
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(literal.findall(text))
        prefixes |= set(prefix.findall(text))
    return keys, prefixes


def test_every_key_used_in_code_exists():
    keys, prefixes = _keys_used_in_code()
    assert len(keys) > 30  # the scan found the code's keys
    catalog = load_catalog("fr")
    assert sorted(k for k in keys if k not in catalog) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in catalog)) == []


def test_every_rule_key_of_core_exists_in_both_catalogs():
    """The refusals of core (``RuleError("key", ...)``) are shown to users: each key, or each
    f-string key's prefix, is in both catalogs."""
    literal = re.compile(r"""\bRuleError\(\s*["']([\w.]+)["']""")
    prefix = re.compile(r"""\bRuleError\(\s*f["']([\w.]+)\{""")
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in ROOT.glob("core/**/*.py"):
        text = path.read_text(encoding="utf-8")
        keys |= set(literal.findall(text))
        keys |= set(re.findall(r"""["'](rule\.[\w.]+[a-z])["']""", text))  # keys passed on
        prefixes |= set(prefix.findall(text))
    assert len(keys) > 10  # the scan found core's rules
    for lang in LANGUAGES:
        catalog = load_catalog(lang)
        assert sorted(k for k in keys if k not in catalog) == []
        assert sorted(p for p in prefixes if not any(k.startswith(p) for k in catalog)) == []
