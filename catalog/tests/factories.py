"""Factories for catalog tests. ``published`` makes a public procedure in one call."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

import factory

from catalog.models import (
    AnnouncementDecision,
    Category,
    Field,
    ImplementingAgency,
    Procedure,
    ProcedureTranslation,
    ProcedureVersion,
    RequiredDocument,
    TranslationStatus,
    VersionStatus,
)
from catalog.services import catalog_revision_bump


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Hộ tịch"
    slug = factory.Sequence(lambda n: f"nhom-{n}")


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("name",)

    name = "Hộ tịch"
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")
    category = factory.SubFactory(CategoryFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementingAgency
        django_get_or_create = ("name",)

    name = "Ủy ban nhân dân cấp xã"
    slug = factory.Sequence(lambda n: f"co-quan-{n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnouncementDecision
        django_get_or_create = ("number",)

    number = "163/QĐ-BTP"
    issuer = "Bộ Tư pháp"
    effective_on = datetime.date(2025, 7, 1)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9.{n:06d}")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureVersion

    procedure = factory.SubFactory(ProcedureFactory)
    decision = factory.SubFactory(DecisionFactory)
    status = VersionStatus.PUBLISHED
    name = "Thủ tục mẫu"
    field = factory.SubFactory(FieldFactory)
    levels = ["commune"]
    channels = ["online", "in_person"]
    online_level = "partial"
    processing_time_text = "3 Ngày làm việc"
    processing_days = 3


def published(
    code: str,
    name: str,
    *,
    documents: Sequence[str] = (),
    translations: dict[str, str] | None = None,
    agency: str = "Ủy ban nhân dân cấp xã",
    field: str = "Hộ tịch",
    **kwargs: Any,
) -> ProcedureVersion:
    """A public procedure with the given name, documents and reviewed translations of its name."""
    version = cast(
        ProcedureVersion,
        VersionFactory(procedure=ProcedureFactory(code=code), name=name, field=FieldFactory(name=field), **kwargs),
    )
    version.agencies.add(cast(ImplementingAgency, AgencyFactory(name=agency)))
    for position, doc in enumerate(documents):
        RequiredDocument.objects.create(version=version, name=doc, original_count=1, position=position)
    for language, translated in (translations or {}).items():
        ProcedureTranslation.objects.create(
            version=version,
            language=language,
            name=translated,
            status=TranslationStatus.REVIEWED,
            documents=[{"case": "", "name": doc} for doc in documents],
        )
    catalog_revision_bump()
    return version
