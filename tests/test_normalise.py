"""Phone numbers, website domains and names as the forms and imports clean them."""

from __future__ import annotations

import pytest

from core.normalise import domain_of, fold, normalise_phone, organisation_key, person_key


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("06 12 34 56 78", "FR", ("+33612345678", True)),
        ("+33 (0)6 12 34 56 78", None, ("+33612345678", True)),
        ("+91 98200 12345", "FR", ("+919820012345", True)),
        ("022 2204 1234", "IN", ("+912222041234", True)),
        ("", "FR", (None, True)),
        (None, None, (None, True)),
        ("12", "FR", (None, False)),
        ("06 12 34 56 78", None, (None, False)),  # no prefix, no country: unreadable
        ("call me", "FR", (None, False)),
    ],
)
def test_phone_numbers_in_e164(text, region, expected):
    assert normalise_phone(text, region) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.Example.co.uk/about", "example.co.uk"),
        ("www.tata-steel.com", "tata-steel.com"),
        ("tcs.com/", "tcs.com"),
        ("http://shop.infosys.com:8080/x?y=1", "shop.infosys.com"),
        ("ravi.kumar@TataHydrogen.in", "tatahydrogen.in"),
        ("not a website", None),
        ("", None),
        (None, None),
    ],
)
def test_website_domains(text, expected):
    assert domain_of(text) == expected


def test_names_for_comparing():
    assert fold("  L'Oréal-Paris  ") == "l oreal paris"
    assert organisation_key("Tata Consultancy Services Pvt. Ltd.") == "tata consultancy services"
    assert organisation_key("Société Générale SA") == "societe generale"
    # A name made only of a legal form keeps its words rather than vanishing.
    assert organisation_key("SA") == "sa"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Crédit Agricole", "credit agricole"),
        ("Credit Agricole S.A.", "credit agricole"),
        ("CRÉDIT AGRICOLE SA", "credit agricole"),
        ("Électricité de Provence", "electricite de provence"),  # "de" is a word here
        ("Grupo Bimbo S.A. de C.V.", "grupo bimbo"),  # and a legal form there
        ("Société Générale Inde SAS", "societe generale inde"),
        ("Société Générale Inde S.A.S.", "societe generale inde"),
        ("L'Oréal", "l oreal"),
        ("", ""),
        (None, ""),
    ],
)
def test_organisation_keys(name, key):
    assert organisation_key(name) == key


def test_person_keys():
    assert person_key("Hélène", "Dupont-Aignan") == "helene dupont aignan"
    assert person_key("Jean-Luc", "N'Diaye") == "jean luc n diaye"
    assert person_key("ZOË", None) == "zoe"
    assert person_key("Anonyme", "#12") == "anonyme 12"
