"""Administrators' pages of the audit trail (in the admin): search, and export as CSV with
identification and phone numbers masked. Exporting is itself audited."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.admin import ModelAdmin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.logging import redact

from .forms import AuditSearchForm
from .models import AuditAction, AuditEvent
from .selectors import audit_event_search
from .services import audit_record

PAGE_SIZE = 50
CSV_COLUMNS = ("id", "at", "action", "actor", "ip_address", "user_agent", "target_type", "target_id", "details")


def _search(request: HttpRequest) -> tuple[AuditSearchForm, Any]:
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, audit_event_search(**form.cleaned_data)
    if form.is_bound:
        return form, AuditEvent.objects.none()
    return form, audit_event_search()


def search(request: HttpRequest, model_admin: ModelAdmin) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form, events = _search(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("p"))
    params = request.GET.copy()
    params.pop("p", None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Tìm kiếm nhật ký kiểm tra"),
        "form": form,
        "page": page,
        "querystring": params.urlencode(),
    }
    return TemplateResponse(request, "admin/audit/auditevent/search.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    """Masked (identification and phone numbers, e-mail addresses), and never a formula when a
    spreadsheet opens the file."""
    text = redact("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _cell(value)
                for value in (
                    event.pk,
                    timezone.localtime(event.at).isoformat(timespec="seconds"),
                    event.action,
                    event.actor_label,
                    event.ip_address,
                    event.user_agent,
                    event.target_type,
                    event.target_id,
                    json.dumps(event.details, ensure_ascii=False, sort_keys=True),
                )
            ]
        )


def export(request: HttpRequest, model_admin: ModelAdmin) -> StreamingHttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form, events = _search(request)
    filters = {key: redact(str(value)) for key, value in (form.cleaned_data if form.is_bound else {}).items() if value}
    audit_record(
        action=AuditAction.DATA_EXPORTED,
        request=request,
        details={"dataset": "audit_events", "filters": filters, "rows": events.count()},
    )
    response = StreamingHttpResponse(_rows(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-kiem-tra-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
