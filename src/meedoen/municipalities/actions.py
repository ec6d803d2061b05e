"""Writes of tenants.

Municipalities are configuration, not personal data: no processing log, but one transaction each."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from meedoen.municipalities.models import District, Municipality


@dataclass(frozen=True)
class DistrictRow:
    municipality: str
    area: str
    name: str
    latitude: Decimal
    longitude: Decimal


def read_district_csv(path: Path) -> list[DistrictRow]:
    """Read a CSV with the columns municipality,area,district,lat,lon."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            DistrictRow(
                municipality=row["municipality"].strip(),
                area=row["area"].strip(),
                name=row["district"].strip(),
                latitude=Decimal(row["lat"]),
                longitude=Decimal(row["lon"]),
            )
            for row in csv.DictReader(handle)
        ]


def do_ensure_municipality(*, name: str, slug: str, cbs_code: str) -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        slug=slug, defaults={"name": name, "cbs_code": cbs_code}
    )
    return municipality


def do_sync_districts(municipality: Municipality, rows: list[DistrictRow]) -> int:
    """Create or update the districts of one municipality from reference rows; returns how many applied."""
    applied = 0
    with transaction.atomic():
        for row in rows:
            if row.municipality != municipality.name:
                continue
            District.objects.update_or_create(
                municipality=municipality,
                name=row.name,
                defaults={"area": row.area, "latitude": row.latitude, "longitude": row.longitude},
            )
            applied += 1
    return applied


DEFAULT_TARGET_GROUPS = [
    ("45-plus", "45+"),
    ("statushouder", "Statushouder"),
    ("psychische-kwetsbaarheid", "Psychische kwetsbaarheid"),
    ("jongere-vso-pro", "Jongere uit VSO/PrO"),
    ("fysieke-beperking", "Fysieke beperking"),
    ("langdurig-bijstand", "Langdurig in de bijstand"),
]

DEFAULT_INTEREST_TAGS = [
    ("groen", "Groen en tuin"),
    ("dieren", "Dieren"),
    ("techniek", "Techniek"),
    ("koken", "Koken en horeca"),
    ("zorg", "Zorg voor anderen"),
    ("administratie", "Administratie"),
    ("schoonmaak", "Schoonmaak"),
    ("logistiek", "Logistiek en magazijn"),
    ("creatief", "Creatief en handwerk"),
    ("winkel", "Winkel en verkoop"),
    ("ict", "Computers en ICT"),
    ("sport", "Sport en bewegen"),
    ("bouw", "Bouw en klussen"),
    ("fietsen", "Fietsen repareren"),
]


def do_ensure_vocabularies(municipality: Municipality) -> None:
    """Give a municipality the default target groups and interest words (it may change them later)."""
    from meedoen.municipalities.models import InterestTag, TargetGroup

    with transaction.atomic():
        for code, name in DEFAULT_TARGET_GROUPS:
            TargetGroup.objects.get_or_create(municipality=municipality, code=code, defaults={"name": name})
        for code, name in DEFAULT_INTEREST_TAGS:
            InterestTag.objects.get_or_create(municipality=municipality, code=code, defaults={"name": name})
