"""AppTest of the import page: a French CSV of organisations uploaded, its columns guessed, the
dry run row by row (nothing written), the import, and the rejected rows file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from models import Organisation
from tests.apptest_support import ROOT, point_app_at, reset_caches, run_app
from tests.test_importing import ORGS_FR

pytestmark = pytest.mark.slow

PAGE = str(ROOT / "pages" / "import_data.py")


@pytest.fixture(autouse=True)
def _clean_caches():
    reset_caches()
    yield
    reset_caches()


def test_upload_check_and_import(ref_engine, monkeypatch):  # noqa: ANN001
    point_app_at(monkeypatch, ref_engine, demo=False)
    at = run_app(PAGE, lang="fr")
    at.sidebar.text_input(key="author").input("Claire Martin").run()
    at.file_uploader[0].set_value(("orgs.csv", ORGS_FR.encode("cp1252"), "text/csv")).run()
    assert not at.exception
    # The columns guessed from the French headers.
    assert at.selectbox(key="import_map_organisations_name").value == "Raison sociale"
    assert at.selectbox(key="import_map_organisations_country").value == "Pays"
    assert [(m.label, m.value) for m in at.metric] == [
        ("À créer", "2"),
        ("Déjà présentes", "1"),
        ("Refusées", "2"),
    ]
    plan = next(df.value for df in at.dataframe if "Erreurs" in df.value.columns)
    assert list(plan["Ligne"]) == [2, 4, 5, 6, 7]
    assert list(plan["Erreurs"])[2:4] == ["Nom : obligatoire", "Pays : pays inconnu « Atlantide »"]
    with Session(ref_engine) as s:
        assert s.exec(select(sa.func.count()).select_from(Organisation)).one() == 0
    at.button(key="import_go").click().run()
    assert [s.value for s in at.success] == [
        "Import terminé : 2 créée(s), 1 déjà présente(s), 2 refusée(s)."
    ]
    with Session(ref_engine) as s:
        names = s.exec(select(Organisation.name).order_by(Organisation.name)).all()
    assert names == ["Société Générale Inde", "Tata Hydrogen Pvt Ltd"]
