"""Where simulated sites are, what language they write in, and what they are called."""

from __future__ import annotations

import random

# country (ISO 3166 alpha-2), language, cities
PLACES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("US", "en", ("Boston", "Chicago", "Denver", "Seattle", "Atlanta", "Portland", "Austin")),
    ("GB", "en", ("London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff")),
    ("IE", "en", ("Dublin", "Cork", "Galway")),
    ("CA", "en", ("Toronto", "Vancouver", "Calgary", "Halifax")),
    ("AU", "en", ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide")),
    ("NZ", "en", ("Auckland", "Wellington", "Christchurch")),
    ("IN", "en", ("Mumbai", "Delhi", "Bengaluru", "Chennai", "Kolkata")),
    ("ZA", "en", ("Johannesburg", "Cape Town", "Durban")),
    ("NG", "en", ("Lagos", "Abuja", "Ibadan")),
    ("KE", "en", ("Nairobi", "Mombasa")),
    ("GH", "en", ("Accra", "Kumasi")),
    ("SG", "en", ("Singapore",)),
    ("PH", "en", ("Manila", "Cebu")),
    ("JM", "en", ("Kingston",)),
    ("FR", "fr", ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille")),
    ("BE", "fr", ("Bruxelles", "Liège")),
    ("SN", "fr", ("Dakar",)),
    ("DE", "de", ("Berlin", "Hamburg", "München", "Köln", "Leipzig", "Frankfurt")),
    ("AT", "de", ("Wien", "Graz", "Linz")),
    ("CH", "de", ("Zürich", "Basel", "Bern")),
    ("ES", "es", ("Madrid", "Barcelona", "Sevilla", "Valencia", "Bilbao")),
    ("MX", "es", ("Ciudad de México", "Guadalajara", "Monterrey")),
    ("AR", "es", ("Buenos Aires", "Córdoba", "Rosario")),
    ("CO", "es", ("Bogotá", "Medellín")),
    ("PT", "pt", ("Lisboa", "Porto", "Coimbra")),
    ("BR", "pt", ("São Paulo", "Rio de Janeiro", "Recife", "Curitiba")),
    ("IT", "it", ("Roma", "Milano", "Napoli", "Torino", "Bologna")),
)
LANGUAGES = ("en", "fr", "de", "es", "pt", "it")

_PAPERS = {
    "en": (
        "{c} Herald",
        "{c} Times",
        "The {c} Courier",
        "{c} Post",
        "{c} Gazette",
        "{c} Chronicle",
        "The {c} Observer",
        "{c} Tribune",
        "{c} Daily",
        "{c} Express",
        "{c} Journal",
        "The {c} Star",
        "{c} Record",
        "{c} Sentinel",
        "{c} Dispatch",
        "{c} Standard",
        "{c} Monitor",
        "{c} Today",
        "{c} Live",
        "{c} Independent",
    ),
    "fr": (
        "Le Journal de {c}",
        "La Dépêche de {c}",
        "{c} Matin",
        "Le Courrier de {c}",
        "L'Écho de {c}",
        "{c} Info",
    ),
    "de": (
        "{c}er Nachrichten",
        "{c}er Rundschau",
        "{c}er Zeitung",
        "{c} Aktuell",
        "{c}er Tagblatt",
        "{c}er Anzeiger",
    ),
    "es": (
        "El Diario de {c}",
        "La Voz de {c}",
        "El Heraldo de {c}",
        "Noticias de {c}",
        "El Correo de {c}",
        "{c} Hoy",
    ),
    "pt": ("Jornal de {c}", "Diário de {c}", "Correio de {c}", "{c} Notícias", "A Voz de {c}"),
    "it": (
        "Il Corriere di {c}",
        "La Gazzetta di {c}",
        "Il Giornale di {c}",
        "{c} Oggi",
        "La Voce di {c}",
    ),
}
_WIRES = (
    "Continental Press",
    "Global News Wire",
    "Atlantic Press Association",
    "Pacific Wire Service",
    "Meridian News Agency",
    "Transworld Press",
    "Equator News Service",
    "Northern Newswire",
    "Union Press International",
    "Horizon Wire",
)
_FIRST = (
    "Anna",
    "James",
    "Maria",
    "David",
    "Sofia",
    "Daniel",
    "Laura",
    "Peter",
    "Nadia",
    "Samuel",
    "Grace",
    "Tomás",
    "Amara",
    "Lucas",
    "Ingrid",
    "Ravi",
    "Chloe",
    "Kwame",
)
_LAST = (
    "Smith",
    "García",
    "Müller",
    "Rossi",
    "Dubois",
    "Okafor",
    "Silva",
    "Khan",
    "Brown",
    "Novak",
    "Mensah",
    "Costa",
    "Schmidt",
    "Moreau",
    "Patel",
    "Walsh",
    "Tanaka",
    "Reyes",
)


def by_language() -> dict[str, list[tuple[str, str]]]:
    """(country, city) pairs for each language."""
    out: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGUAGES}
    for country, lang, cities in PLACES:
        out[lang].extend((country, city) for city in cities)
    return out


# German city adjectives that are not simply city + "er".
_DE_STEMS = {"Basel": "Basl", "Zürich": "Zürch", "München": "Münchn"}


def paper_name(rng: random.Random, lang: str, city: str) -> str:
    stem = _DE_STEMS.get(city, city) if lang == "de" else city
    pattern = rng.choice(_PAPERS[lang])
    if "{c}er" not in pattern:
        stem = city
    return pattern.format(c=stem)


def wire_name(index: int) -> str:
    name = _WIRES[index % len(_WIRES)]
    return name if index < len(_WIRES) else f"{name} {index // len(_WIRES) + 1}"


def byline(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
