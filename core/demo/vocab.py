"""Word lists of the demo generator: every name here is invented or generic.

Company names are built from meaningless syllables, domains end in ``.example`` (a reserved
top-level domain), and staff and contacts are fictional. Real places (cities, trade fairs) only
give the data a believable setting.
"""

from __future__ import annotations

#: Fictional agency staff: authors and owners of interactions, stage changes and projects.
STAFF: tuple[str, ...] = (
    "Claire Fabre",
    "Mehdi Benali",
    "Sophie Roux",
    "Julien Marchetti",
    "Anaïs Girard",
    "Rahul Iyer",
    "Thomas Lemoine",
    "Léa Castellan",
)
STAFF_WEIGHTS: tuple[float, ...] = (16, 14, 14, 12, 12, 12, 10, 10)

#: Country of control of companies (weights, percent). France first, then a strong India share.
CONTROL_COUNTRY_WEIGHTS: dict[str, float] = {
    "FR": 39.0,
    "IN": 17.0,
    "US": 7.5,
    "DE": 5.0,
    "GB": 4.5,
    "CN": 4.0,
    "AE": 3.0,
    "IT": 3.0,
    "SA": 2.5,
    "ES": 2.5,
    "BE": 2.0,
    "CH": 2.0,
    "JP": 1.5,
    "NL": 1.2,
    "CA": 1.0,
    "KR": 0.8,
    "SG": 0.8,
    "MA": 0.8,
    "SE": 0.6,
    "TN": 0.5,
    "IL": 0.5,
    "BR": 0.5,
    "QA": 0.4,
}

#: Sector of organisations (weights); the six strategic sectors and "other".
ORG_SECTOR_WEIGHTS: dict[str, float] = {
    "digital": 30,
    "health": 12,
    "energy": 12,
    "work_hr": 6,
    "tourism": 10,
    "port_airport": 12,
    "other": 18,
}

#: Sector of won projects, echoing 2022 (digital 29, art de vivre 13, maritime 11, energy 8,
#: health 6 of 77; the rest spread over work/HR and other sectors).
WON_SECTOR_WEIGHTS: dict[str, float] = {
    "digital": 29,
    "tourism": 13,
    "port_airport": 11,
    "energy": 8,
    "health": 6,
    "work_hr": 4,
    "other": 6,
}

CALLING_CODES: dict[str, str] = {
    "FR": "33", "IN": "91", "US": "1", "DE": "49", "GB": "44", "CN": "86", "AE": "971",
    "IT": "39", "SA": "966", "ES": "34", "BE": "32", "CH": "41", "JP": "81", "NL": "31",
    "CA": "1", "KR": "82", "SG": "65", "MA": "212", "SE": "46", "TN": "216", "IL": "972",
    "BR": "55", "QA": "974",
}  # fmt: skip

#: Naming culture of people by country (default: "en").
CULTURE: dict[str, str] = {
    "FR": "fr", "BE": "fr", "CH": "de", "IN": "in", "DE": "de", "NL": "de", "SE": "de",
    "CN": "zh", "SG": "zh", "AE": "ar", "SA": "ar", "QA": "ar", "MA": "ar", "TN": "ar",
    "IT": "it", "ES": "es", "BR": "es", "JP": "ja", "KR": "ko",
}  # fmt: skip

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("Camille", "Nicolas", "Julie", "Antoine", "Manon", "Olivier", "Sarah", "Hugo",
           "Élodie", "Mathieu", "Chloé", "Laurent", "Inès", "Romain", "Aurélie", "Karim"),
    "in": ("Aarav", "Priya", "Vikram", "Ananya", "Rohan", "Kavya", "Arjun", "Meera", "Sanjay",
           "Divya", "Nikhil", "Pooja", "Aditya", "Lakshmi", "Kiran", "Neha"),
    "en": ("James", "Emily", "Michael", "Olivia", "Daniel", "Hannah", "Ryan", "Grace",
           "Matthew", "Chloe", "Andrew", "Megan", "David", "Laura", "Kevin", "Rachel"),
    "de": ("Lukas", "Anna", "Felix", "Lea", "Jonas", "Sophie", "Maximilian", "Katharina",
           "Tobias", "Johanna", "Florian", "Miriam", "Stefan", "Lena"),
    "zh": ("Wei", "Jing", "Hao", "Li", "Yang", "Xin", "Jun", "Mei", "Chen", "Yu", "Lei", "Ying"),
    "ar": ("Omar", "Layla", "Khalid", "Noura", "Faisal", "Aisha", "Yousef", "Mariam", "Tariq",
           "Hind", "Saeed", "Reem"),
    "it": ("Marco", "Giulia", "Luca", "Francesca", "Matteo", "Chiara", "Alessandro", "Sara",
           "Davide", "Elena"),
    "es": ("Javier", "Lucía", "Pablo", "Carmen", "Diego", "Marta", "Sergio", "Paula", "Álvaro",
           "Elena"),
    "ja": ("Haruto", "Yui", "Takeshi", "Aiko", "Kenji", "Sakura", "Daiki", "Emi"),
    "ko": ("Minjun", "Seoyeon", "Jiho", "Hayun", "Doyun", "Jiwoo"),
}  # fmt: skip

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "fr": ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Simon", "Michel", "Lefèvre",
           "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel"),
    "in": ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Rao", "Kulkarni",
           "Chatterjee", "Singh", "Desai", "Joshi", "Pillai", "Bhat", "Mehta"),
    "en": ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Clarke", "Walker",
           "Harris", "Lewis", "Young", "Turner", "Hughes", "Carter"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Koch",
           "Richter", "Wolf", "Neumann", "Braun"),
    "zh": ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu"),
    "ar": ("Al Mansouri", "Al Harbi", "Haddad", "Al Qahtani", "Benjelloun", "Al Suwaidi",
           "Khoury", "Al Otaibi", "Trabelsi", "Nasser"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
           "Marino", "Greco"),
    "es": ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz",
           "Díaz", "Moreno"),
    "ja": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    "ko": ("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
}  # fmt: skip

#: Syllables of invented company names (two or three of them make a stem: "Korvelin").
SYLLABLES: tuple[str, ...] = (
    "ka", "lo", "vi", "ner", "sa", "tor", "mi", "ra", "zen", "qua", "vel", "dor", "lin", "tes",
    "mar", "ix", "or", "an", "bel", "cor", "del", "fin", "gal", "hel", "jun", "kor", "lum",
    "nov", "pra", "rin", "sol", "tal", "ul", "ven", "xel", "yar", "zor", "bri", "cal", "dra",
    "fel", "gor", "kel", "mon", "pel", "ros", "tri", "vor",
)  # fmt: skip

SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "digital": ("Systems", "Data", "Cloud", "Labs", "Digital", "Networks", "Software"),
    "health": ("Bio", "Pharma", "Health", "Medical", "Therapeutics", "Diagnostics"),
    "energy": ("Energy", "Power", "Hydrogen", "Solar", "Grid", "Renewables"),
    "work_hr": ("Talent", "Staffing", "Workforce", "People"),
    "tourism": ("Hospitality", "Travel", "Resorts", "Cruises", "Leisure"),
    "port_airport": ("Logistics", "Shipping", "Maritime", "Aero", "Freight", "Terminals"),
    "other": ("Industries", "Materials", "Foods", "Group", "Consulting", "Chemicals"),
}

LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "FR": ("SAS", "SA", "SARL"), "IN": ("Pvt Ltd", "Ltd"), "US": ("Inc.", "LLC"),
    "DE": ("GmbH", "AG"), "GB": ("Ltd", "plc"), "CN": ("Co., Ltd",), "AE": ("LLC", "FZ-LLC"),
    "SA": ("Co.",), "IT": ("S.p.A.", "S.r.l."), "ES": ("S.L.", "S.A."), "BE": ("SA/NV",),
    "CH": ("AG", "SA"), "JP": ("K.K.",), "NL": ("B.V.",), "SE": ("AB",), "BR": ("Ltda",),
}  # fmt: skip

INVESTOR_WORDS: tuple[str, ...] = ("Capital", "Ventures", "Partners", "Invest", "Holdings")

#: Main cities by country (India's come from the reference City table when it is loaded).
CITIES: dict[str, tuple[str, ...]] = {
    "FR": ("Marseille", "Marseille", "Aix-en-Provence", "Paris", "Paris", "Lyon", "Toulouse",
           "Nice", "Montpellier", "Lille", "Nantes", "Bordeaux"),
    "IN": ("Mumbai", "Bengaluru", "Delhi", "Chennai", "Hyderabad", "Pune", "Kolkata"),
    "US": ("New York", "San Francisco", "Boston", "Chicago", "Austin", "Seattle"),
    "DE": ("Munich", "Berlin", "Hamburg", "Frankfurt", "Stuttgart"),
    "GB": ("London", "Manchester", "Cambridge", "Edinburgh"),
    "CN": ("Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Hangzhou"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
    "SA": ("Riyadh", "Jeddah", "Dammam"),
    "IT": ("Milan", "Turin", "Rome", "Genoa"),
    "ES": ("Madrid", "Barcelona", "Valencia"),
    "BE": ("Brussels", "Antwerp", "Ghent"),
    "CH": ("Zurich", "Geneva", "Basel", "Lausanne"),
    "JP": ("Tokyo", "Osaka", "Yokohama"),
    "NL": ("Amsterdam", "Rotterdam", "Eindhoven"),
    "CA": ("Montréal", "Toronto"),
    "KR": ("Seoul",),
    "SG": ("Singapore",),
    "MA": ("Casablanca", "Rabat", "Tangier"),
    "SE": ("Stockholm", "Gothenburg"),
    "TN": ("Tunis", "Sfax"),
    "IL": ("Tel Aviv", "Haifa"),
    "BR": ("São Paulo", "Rio de Janeiro"),
    "QA": ("Doha",),
}  # fmt: skip

#: Communes of the metropolis where projects land.
COMMUNES: tuple[str, ...] = (
    "Marseille", "Marseille", "Marseille", "Aix-en-Provence", "Aix-en-Provence", "Vitrolles",
    "Marignane", "Fos-sur-Mer", "La Ciotat", "Aubagne", "Martigues", "Istres", "Gémenos",
    "Rousset", "Meyreuil", "Salon-de-Provence", "Gardanne", "Pertuis",
)  # fmt: skip

#: Where lost projects went instead.
LOST_LOCATIONS: tuple[str, ...] = (
    "Barcelona", "Lyon", "Milan", "Rotterdam", "Dubai", "Lisbon", "Munich", "Amsterdam",
    "Toulouse", "Montpellier", "Valencia", "Genoa", "Antwerp", "Casablanca", "Paris", "Nice",
)  # fmt: skip

#: Consulates in Marseille met by the agency (the Consulate General of India comes first).
CONSULATES: tuple[str, ...] = ("IN", "US", "DE", "IT", "ES", "CN", "MA", "TN", "JP", "GB", "CH")

CODE_WORDS: tuple[str, ...] = (
    "Mistral", "Calanque", "Lavande", "Sirocco", "Olivier", "Cigale", "Garrigue", "Phare",
    "Sextant", "Boussole", "Amarre", "Vigie", "Tramontane", "Santon", "Pastis", "Corniche",
    "Frioul", "Sainte-Victoire", "Estaque", "Goudes", "Ponant", "Levant", "Fanal", "Galet",
)  # fmt: skip

JOB_TITLES: tuple[str, ...] = (
    "Chief Executive Officer", "Chief Financial Officer", "Head of International Expansion",
    "VP Operations", "Country Manager France", "Director of Real Estate", "HR Director",
    "Founder", "Managing Director", "Head of Strategy", "Business Development Manager",
    "Chief Technology Officer", "Head of Supply Chain",
)  # fmt: skip

PERSON_TAGS: tuple[str | None, ...] = (
    None, None, None, "decision-maker", "decision-maker", "investor", "talent", "alumni",
    "diaspora", "board",
)  # fmt: skip

DATA_SOURCES: tuple[str, ...] = (
    "Business card collected in a meeting",
    "Company website (professional contact page)",
    "Professional social network profile",
    "Inbound enquiry to the agency",
    "Referral by a partner chamber",
    "Trade fair visitor list (exhibitor contact)",
)

LOCAL_EVENTS: tuple[str, ...] = (
    "Marseille — petit-déjeuner investisseurs",
    "Aix-en-Provence — forum de l'innovation",
    "Marseille — journée du port et de la logistique",
    "Marseille — conférence centres de données",
    "Marseille — soirée d'affaires Inde",
)

NEXT_STEPS: tuple[str, ...] = (
    "Envoyer le dossier de données du territoire",
    "Organiser une visite de sites",
    "Présenter à l'agence régionale de l'innovation",
    "Transmettre des offres immobilières",
    "Appel de suivi",
    "Envoyer une simulation des aides publiques",
    "Mettre en relation avec l'équipe du port",
    "Inviter à la prochaine délégation",
    "Présenter aux universités locales pour le recrutement",
    "Envoyer l'étude sur le vivier de talents",
)

SECTOR_TOPICS: dict[str, str] = {
    "digital": "les centres de données et le hub de câbles sous-marins",
    "health": "les partenaires de recherche clinique et les campus santé",
    "energy": "les filières hydrogène vert et nucléaire",
    "work_hr": "les viviers de recrutement et les partenaires de formation",
    "tourism": "l'hôtellerie et la croisière",
    "port_airport": "le foncier portuaire, la logistique et les liaisons aériennes",
    "other": "le foncier industriel et les services aux entreprises",
}

SUMMARIES: dict[str, tuple[str, ...]] = {
    "new_lead": (
        "Premier contact : l'entreprise cherche un site en Europe ; échange sur {topic}.",
        "Recherche d'implantation confirmée ; présentation de la métropole et de {topic}.",
    ),
    "progress": (
        "Point projet : critères affinés, échange sur {topic} et la liste courte de sites.",
        "Réunion d'avancement avec l'équipe projet sur {topic} ; prochaines étapes convenues.",
    ),
    "follow_up": (
        "Suite d'un échange précédent sur {topic}.",
        "Contact entretenu ; intérêt pour {topic}, pas encore de projet.",
    ),
    "information": (
        "Présentation du territoire et de ses atouts ({topic}).",
        "Échange d'informations sur {topic} ; pas de projet à ce stade.",
    ),
    "no_interest": (
        "Pas de projet d'implantation en France pour l'instant ; contact gardé.",
        "L'entreprise a choisi une autre option ; remerciements pour l'accompagnement.",
    ),
}
