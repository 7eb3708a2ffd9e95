"""Writes to the catalog. Every write ends with ``catalog_revision_bump`` so that search indexes
in every process rebuild."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import declaration
from .models import CatalogRevision, DeclarationForm, FormStatus, Procedure, ProcedureVersion, VersionStatus

# The history's change reason is a varchar(100) (django-simple-history).
REASON_MAX_LENGTH = 100


def catalog_revision_bump() -> None:
    """Mark the catalog as changed (call inside the writing transaction)."""
    CatalogRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def procedure_version_publish(*, version: ProcedureVersion, actor: Any) -> ProcedureVersion:
    """Công bố: make a version public from its decision's effective date. The change is recorded
    in the version's history with the actor."""
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.PUBLISHED:
            version.status = VersionStatus.PUBLISHED
            version._history_user = actor  # type: ignore[attr-defined]
            version.save(update_fields=["status", "updated_at"])
            catalog_revision_bump()
    return version


def procedure_version_set_working_days(
    *, version: ProcedureVersion, days: int, by_channel: dict[str, int] | None = None, actor: Any, reason: str
) -> ProcedureVersion:
    """A controller sets the working days of a version whose published text gives none (a bare
    number, calendar days), citing why; the version's history keeps who, when and why."""
    if days <= 0 or any(not isinstance(d, int) or d <= 0 for d in (by_channel or {}).values()):
        raise ValueError("working days are positive")
    if not reason.strip() or len(reason.strip()) > REASON_MAX_LENGTH:
        raise ValueError(f"a reason of 1 to {REASON_MAX_LENGTH} characters is needed")
    with transaction.atomic():
        version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
        version.processing_days = days
        version.days_by_channel = dict(by_channel or {})
        version._history_user = actor  # type: ignore[attr-defined]
        version._change_reason = reason.strip()  # type: ignore[attr-defined]
        version.save(update_fields=["processing_days", "days_by_channel", "updated_at"])
        catalog_revision_bump()
    return version


class FormNotPublishable(Exception):
    """A declaration form that fails its check (``declaration.form_problems``)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def declaration_form_publish(*, form: DeclarationForm, actor: Any) -> DeclarationForm:
    """Công bố tờ khai: checked first (``declaration.form_problems``), refused with the problems
    listed; a published form replaces the one published for the same day. The history keeps
    who and when."""
    with transaction.atomic():
        form = DeclarationForm.objects.select_for_update().get(pk=form.pk)
        problems = declaration.form_problems(form.schema, form.layout, form.examples, today=timezone.localdate())
        problems += declaration.translation_problems(form.schema, form.layout, form.translations)
        if problems:
            raise FormNotPublishable(problems)
        if form.status == FormStatus.PUBLISHED:
            return form
        for same_day in DeclarationForm.objects.filter(
            procedure_id=form.procedure_id, effective_from=form.effective_from, status=FormStatus.PUBLISHED
        ).exclude(pk=form.pk):
            same_day.status = FormStatus.DRAFT
            same_day._history_user = actor  # type: ignore[attr-defined]
            same_day._change_reason = "replaced by a newer form for the same day"  # type: ignore[attr-defined]
            same_day.save(update_fields=["status", "updated_at"])
        form.status = FormStatus.PUBLISHED
        form.published_at = timezone.now()
        form.published_by = actor
        form._history_user = actor  # type: ignore[attr-defined]
        form.save(update_fields=["status", "published_at", "published_by", "updated_at"])
        catalog_revision_bump()
    return form


#: The keys of a form file (catalog/declaration_forms/<procedure_code>.json; see its README).
FORM_FILE_KEYS = (
    "procedure_code",
    "title",
    "form_number",
    "legal_basis",
    "effective_from",
    "schema",
    "layout",
    "examples",
)
#: Keys a form file may have besides those: its translations, per language (see the README).
FORM_FILE_OPTIONAL_KEYS = ("translations",)


def declaration_form_load(content: dict[str, Any], *, actor: Any = None) -> tuple[DeclarationForm | None, str]:
    """Load one form file's content: create (or update, when its schema, layout or examples
    changed) the procedure's form for that ``effective_from``, and publish it. Returns the form
    and what was done (``created``, ``updated``, ``unchanged``, or why it was skipped)."""
    missing = [key for key in FORM_FILE_KEYS if key not in content]
    if missing:
        return None, "missing keys: " + ", ".join(missing)
    procedure = Procedure.objects.filter(code=content["procedure_code"]).first()
    if procedure is None:
        return None, f"no procedure {content['procedure_code']}"
    values = {
        "title": content["title"],
        "form_number": content["form_number"],
        "legal_basis": content["legal_basis"],
        "schema": content["schema"],
        "layout": content["layout"],
        "examples": content["examples"],
        "translations": content.get("translations") or {},
    }
    effective_from = datetime.date.fromisoformat(content["effective_from"])
    with transaction.atomic():
        form = (
            DeclarationForm.objects.filter(procedure=procedure, effective_from=effective_from)
            .order_by("-status", "-id")
            .first()
        )
        if form is not None and all(getattr(form, key) == value for key, value in values.items()):
            if form.status != FormStatus.PUBLISHED:
                declaration_form_publish(form=form, actor=actor)
            return form, "unchanged"
        done = "updated" if form is not None else "created"
        if form is None:
            form = DeclarationForm(procedure=procedure, effective_from=effective_from)
        for key, value in values.items():
            setattr(form, key, value)
        form.status = FormStatus.DRAFT
        form._history_user = actor  # type: ignore[attr-defined]
        form.save()
        declaration_form_publish(form=form, actor=actor)
    return form, done
