"""The demo training's planning (Finnish): details, partners, who pays what,
a speaker and a few registrations, so that ``make run`` shows every page
filled in. Built through the same services as the pages use."""

from datetime import timedelta

from ..budget import coffee
from ..budget import services as budget
from ..registration import services as registration
from . import services

PARTNERS = (
    {
        "name": "Esimerkkikaupunki",
        "kind": "municipality",
        "contact_name": "Kaisa Kotoutumiskoordinaattori",
        "contact_email": "kotoutuminen@esimerkkikaupunki.example",
    },
    {"name": "Esimerkkiseudun työllisyysalue", "kind": "employment_services"},
    {"name": "Monikulttuurijärjestö ry", "kind": "ngo_project"},
)

# Made-up people at example addresses (RFC 2606): no real person's data.
REGISTRATIONS = (
    ("Aino Esimerkki", "municipal_staff", ["vegetarian"]),
    ("Mikko Malli", "employment_services", []),
    ("Sara Testaaja", "mainstream_services", ["gluten_free"]),
    ("Jussi Demo", "third_sector", ["lactose_free"]),
    ("Leena Koe", "municipal_staff", []),
    ("Omar Esimerkki", "volunteers", ["no_pork"]),
)


def seed_planning(training) -> None:
    """Fill in a new demo training's planning; the session and agenda come
    from agenda.demo."""
    day = (services.today_in_helsinki() + timedelta(days=30)).isoformat()
    services.update_details(
        training,
        {
            "title": training.title,
            "description": training.description,
            "date": day,
            "start_time": "09:00",
            "end_time": "13:00",
            "venue_name": "Esimerkkikaupungin kaupungintalo, valtuustosali",
            "venue_address": "Kauppakatu 1, 00100 Esimerkkikaupunki",
            "venue_accessibility": "Esteetön sisäänkäynti pihan puolelta; induktiosilmukka.",
            "venue_booking": "booked",
            "capacity": "40",
            "target_groups": [
                "municipal_staff",
                "employment_services",
                "mainstream_services",
                "third_sector",
                "volunteers",
            ],
            "languages": ["fi"],
            "status": "planning",
        },
    )
    partners = [services.add_partner(training, values) for values in PARTNERS]
    city, employment, ngo = partners
    budget.save_line(
        training,
        {
            "category": "venue",
            "description": "Valtuustosali ja tekniikka",
            "estimated": "600",
            "rule": "percent",
            "partners": [city.id, employment.id],
            f"percent_{city.id}": "60",
            f"percent_{employment.id}": "40",
        },
    )
    budget.save_speaker(
        training,
        {
            "name": "Tuula Tulkkauksen-Asiantuntija",
            "organisation": "Asioimistulkkikeskus",
            "topic": "Tulkin kanssa työskentely",
            "status": "confirmed",
            "fee": "400",
            "travel": "85,50",
            "paid_by": str(ngo.id),
        },
    )
    registration.open_registration(training)
    for number, (name, sector, diets) in enumerate(REGISTRATIONS, start=1):
        registration.register(
            training,
            {
                "name": name,
                "email": f"osallistuja{number}@example.com",
                "organisation": "Esimerkkiorganisaatio",
                "sector": sector,
                "diets": diets,
                "consent": "yes",
            },
        )
    coffee.save_settings(training, {"price": "4,50", "servings": "2"})
    coffee.apply_estimate(training)
