"""French names written with and without accents, for the name keys and the matching rule,
built through ``core.records``. Keys worked out by hand from ``core.normalise``'s rule (no
accents, lower case, punctuation as spaces, dotted initials joined, legal forms dropped):

Organisations (name, HQ/control, domain, registration number) -> name_key
  CA   Crédit Agricole                FR/FR  credit-agricole.fr  -    credit agricole
  CM   Crédit Mutuel Méditerranée SA  FR/FR  -                   -    credit mutuel mediterranee
  EDP  Électricité de Provence        FR/FR  -        552 081 317     electricite de provence
  SGI  Société Générale Inde          IN/FR  -                   -    societe generale inde
  TSI  Tata Steel Ltd                 IN/IN  -                   -    tata steel
  TSN  Tata Steel B.V.                NL/IN  -                   -    tata steel
  PE   Provence Énergie               FR/FR  -                   -    provence energie
  PES  Provence Energies              FR/FR  -                   -    provence energies
  LO   L'Oréal                        FR/FR  -                   -    l oreal

People (first, last, organisation) -> name_key
  HD   Hélène Dupont        CA   helene dupont
  FL   Francois Lefevre     EDP  francois lefevre
  ZM   Zoé Martin-Lévy      SGI  zoe martin levy
  JN   Jean-Luc N'Diaye     LO   jean luc n diaye
"""

from __future__ import annotations

from sqlmodel import Session

from core import records
from models import OrganisationCreate, PersonCreate

ORGANISATIONS = {
    "CA": ("Crédit Agricole", "FR", "FR", "credit-agricole.fr", None),
    "CM": ("Crédit Mutuel Méditerranée SA", "FR", "FR", None, None),
    "EDP": ("Électricité de Provence", "FR", "FR", None, "552 081 317"),
    "SGI": ("Société Générale Inde", "IN", "FR", None, None),
    "TSI": ("Tata Steel Ltd", "IN", "IN", None, None),
    "TSN": ("Tata Steel B.V.", "NL", "IN", None, None),
    "PE": ("Provence Énergie", "FR", "FR", None, None),
    "PES": ("Provence Energies", "FR", "FR", None, None),
    "LO": ("L'Oréal", "FR", "FR", None, None),
}
PEOPLE = {
    "HD": ("Hélène", "Dupont", "CA"),
    "FL": ("Francois", "Lefevre", "EDP"),
    "ZM": ("Zoé", "Martin-Lévy", "SGI"),
    "JN": ("Jean-Luc", "N'Diaye", "LO"),
}


def build_names(session: Session) -> dict[str, int]:
    """The records above; their ids by key."""
    ids: dict[str, int] = {}
    for key, (name, hq, control, domain, registration) in ORGANISATIONS.items():
        data = OrganisationCreate(
            name=name,
            hq_country_iso2=hq,
            control_country_iso2=control,
            domain=domain,
            registration_number=registration,
        )
        ids[key] = records.create_organisation(session=session, data=data, author="t").id
    for key, (first, last, org) in PEOPLE.items():
        data = PersonCreate(
            first_name=first, last_name=last, organisation_id=ids[org], data_source="fixture"
        )
        ids[key] = records.create_person(session=session, data=data, author="t").id
    return ids
