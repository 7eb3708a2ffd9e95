"""Loading the official decisions (the shape of shared/data/workdays.json)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .models import DayKind, OfficialDay


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def official_days_load(data: dict[str, Any]) -> LoadReport:
    """Create or update every day of the file, atomically; re-loading changes nothing."""
    report = LoadReport()
    with transaction.atomic():
        for year, content in sorted(data["years"].items()):
            sources = "; ".join(str(s) for s in content.get("sources", []))[:500]
            entries = [(entry, DayKind.DAY_OFF) for entry in content["days_off"]] + [
                (entry, DayKind.MAKEUP) for entry in content["makeup_workdays"]
            ]
            for entry, kind in entries:
                day = datetime.date.fromisoformat(entry["date"])
                if day.year != int(year):
                    raise ValueError(f"{entry['date']} is listed under {year}")
                values = {
                    "kind": kind,
                    "name": entry.get("name", "")[:300],
                    "replaces": datetime.date.fromisoformat(entry["replaces"]) if entry.get("replaces") else None,
                    "source": sources,
                    "unconfirmed": bool(entry.get("unconfirmed", False)),
                }
                current = OfficialDay.objects.filter(date=day).first()
                if current is None:
                    OfficialDay.objects.create(date=day, **values)
                    report.created += 1
                elif any(getattr(current, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(current, k, v)
                    current.save()
                    report.updated += 1
                else:
                    report.unchanged += 1
    return report
