"""Shared set-up for the benchmarks: a database with the demo catalog, optionally grown to a
number of procedures with generated province variants (code suffix, name variant, same
translations)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
os.environ.setdefault("MOTCUA_DEBUG", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
(ROOT / "var").mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

VARIANT_PLACES = ["tại Bộ phận Một cửa cấp xã", "áp dụng tại khu kinh tế", "trường hợp đặc biệt", "liên thông"]


def database_label() -> str:
    from django.db import connection

    return connection.vendor


def ensure_catalog(total: int | None = None) -> int:
    """Load the demo catalog once; with ``total``, add variants until there are that many."""
    from catalog.models import Procedure, ProcedureTranslation, ProcedureVersion
    from catalog.services import catalog_revision_bump

    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        call_command("load_demo", verbosity=0)
    count = Procedure.objects.count()
    if total is None or count >= total:
        return count
    originals = list(
        ProcedureVersion.objects.filter(procedure__code__regex=r"^\d\.\d{6}$")
        .select_related("procedure")
        .prefetch_related("agencies", "fee_items", "documents", "translations")
        .order_by("procedure__code")
    )
    translated = [v for v in originals if len(v.translations.all()) == 4]
    with transaction.atomic():
        n = 0
        while count < total:
            source = originals[n % len(originals)]
            place = VARIANT_PLACES[(n // len(originals)) % len(VARIANT_PLACES)]
            suffix = f"V{n // len(originals) + 1}"
            n += 1
            procedure = Procedure.objects.create(code=f"{source.procedure.code}.{suffix}", popularity=0)
            agencies = list(source.agencies.all())
            fees = list(source.fee_items.all())
            documents = list(source.documents.all())
            translations = list(source.translations.all())
            version = source
            version.pk = None
            version.id = None
            version.procedure = procedure
            version.name = f"{source.name} ({place})"
            version.save()
            version.agencies.set(agencies)
            for item in fees + documents:
                item.pk = None
                item.id = None
                item.version = version
                item.save()
            # Every generated variant gets text in all four languages, so that each language's
            # index holds 2,000 procedures: borrowed from a translated procedure when the source
            # has none (benchmark data only, never shown to anyone).
            donors = translations or list(translated[n % len(translated)].translations.all())
            for tr in donors:
                ProcedureTranslation.objects.create(
                    version=version,
                    language=tr.language,
                    status=tr.status,
                    name=f"{tr.name} ({suffix})",
                    processing_time_text=tr.processing_time_text,
                    fee_text=tr.fee_text,
                    result=tr.result,
                    documents=tr.documents if len(tr.documents) == len(documents) else [],
                )
            count += 1
        catalog_revision_bump()
    return count
