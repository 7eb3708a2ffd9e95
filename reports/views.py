"""Pages of the reports: the officers' dashboard (bảng số liệu, /can-bo/bao-cao/) with its XLSX
export and the writing of a report document, and the public figures (/so-lieu/). Thin over
``selectors`` (every figure), ``dashboard`` (how they are arranged) and ``xlsx``.

An officer sees the figures of the agencies where they hold ``reports.view`` and of every agency
under them (the province's analyst: the whole province); another agency answers 404, as the
figures API does."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.officer_services import is_officer, is_verified_officer
from catalog.models import Field, Procedure
from dossiers.rules import Channel
from org.models import Agency
from org.permissions import has_capability

from . import dashboard, documents, rules, selectors, services, xlsx
from .forms import DashboardForm, ReportWriteForm
from .selectors import CAPABILITY, Scope

View = Callable[..., HttpResponseBase]


def analyst_required(view: View) -> View:
    """Officers who passed both sign-in steps and hold ``reports.view`` somewhere. Anonymous
    visitors and officers without their second step are asked to sign in; citizens and officers
    without the capability are refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if user.is_authenticated and not is_officer(user):
            raise PermissionDenied
        if not is_verified_officer(user):
            return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
        if not has_capability(user, CAPABILITY):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- The dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """Everything the dashboard shows for one choice of period and scope."""

    start: datetime.date
    end: datetime.date
    before: tuple[datetime.date, datetime.date]
    scope: Scope
    agency: Agency | None
    field: Field | None
    channel: str
    lines: list[dashboard.Line]
    charts: list[dashboard.Chart]
    by_agency: list[dashboard.Row]
    by_procedure: list[dashboard.Row]  # when an agency or a procedure is chosen
    procedure: tuple[int, str, str] | None  # (id, code, name)

    @property
    def scope_text(self) -> str:
        parts = [self.agency.name if self.agency else _("Tất cả cơ quan được xem")]
        if self.procedure is not None:
            parts.append(_("thủ tục %(code)s %(name)s") % {"code": self.procedure[1], "name": self.procedure[2]})
        if self.field is not None:
            parts.append(_("lĩnh vực %(name)s") % {"name": self.field.name})
        if self.channel:
            parts.append(str(Channel(self.channel).label))
        return "; ".join(parts)


def _agency_choices(allowed: frozenset[int] | None) -> list[tuple[str, str]]:
    agencies = Agency.objects.order_by("level", "name")
    if allowed is not None:
        agencies = agencies.filter(pk__in=sorted(allowed))
    return list(agencies.values_list("code", "name"))


@dataclass(frozen=True)
class Choice:
    """What the dashboard's query narrows to, inside what the viewer may see."""

    scope: Scope
    agency: Agency | None
    field: Field | None
    channel: str
    procedure: tuple[int, str, str] | None  # (id, code, name)


def choice_for(user: Any, data: dict[str, Any]) -> Choice:
    """The scope of the dashboard's (valid) query; a procedure code that names none is not found
    (the agency was checked against the viewer's scope by ``_form``)."""
    allowed = selectors.viewer_agencies(user)
    scope = Scope(agencies=allowed)
    agency = None
    if data.get("co_quan"):
        agency = Agency.objects.get(code=data["co_quan"])
        scope = scope.narrowed(agencies=selectors.agency_tree([agency.pk])).within(allowed)
    field = None
    if data.get("linh_vuc") is not None:
        field = Field.objects.get(pk=data["linh_vuc"])
        scope = scope.narrowed(field_id=field.pk)
    channel = data.get("kenh") or ""
    if channel:
        scope = scope.narrowed(channel=channel)
    procedure = None
    if data.get("thu_tuc"):
        found = Procedure.objects.filter(code=data["thu_tuc"]).values_list("pk", flat=True).first()
        if found is None:
            raise Http404
        code, name = selectors.procedures_named([found])[found]
        procedure = (found, code, name)
        scope = scope.narrowed(procedure_id=found)
    return Choice(scope=scope, agency=agency, field=field, channel=channel, procedure=procedure)


def board_for(user: Any, data: dict[str, Any]) -> Board:
    chosen = choice_for(user, data)
    scope, agency, field, channel, procedure = (
        chosen.scope,
        chosen.agency,
        chosen.field,
        chosen.channel,
        chosen.procedure,
    )
    start, end = data["tu"], data["den"]
    before = rules.same_period_last_year(start, end)
    now = selectors.dashboard_period(start=start, end=end, scope=scope)
    then = selectors.dashboard_period(start=before[0], end=before[1], scope=scope)
    month_list = dashboard.months(start, end)
    measures = ["received", "early", "on_time", "late"]
    received = selectors.monthly(start=start, end=end, scope=scope, measures=measures, by="channel")
    finished_months: dict[datetime.date, dict[str, int]] = {}
    for by_month in received.values():
        for month, sums in by_month.items():
            total = finished_months.setdefault(month, dict.fromkeys(measures, 0))
            for measure in measures:
                total[measure] += sums[measure]
    charts = [
        dashboard.monthly_chart(
            "tiep-nhan",
            _("Hồ sơ tiếp nhận theo tháng và kênh nộp"),
            month_list,
            [
                (label, {m: v["received"] for m, v in received.get(value, {}).items()})
                for value, label in Channel.choices
            ],
        ),
        dashboard.monthly_chart(
            "giai-quyet",
            _("Hồ sơ giải quyết theo tháng: trước hạn, đúng hạn, quá hạn"),
            month_list,
            [
                (_("Trước hạn"), {m: v["early"] for m, v in finished_months.items()}),
                (_("Đúng hạn"), {m: v["on_time"] for m, v in finished_months.items()}),
                (_("Quá hạn"), {m: v["late"] for m, v in finished_months.items()}),
            ],
        ),
    ]
    named = {pk: (a.code, a.name) for pk, a in selectors.agencies_named(now.by_agency).items()}
    by_agency = dashboard.rows_of(now.by_agency, then.by_agency, named)
    by_procedure: list[dashboard.Row] = []
    if agency is not None or procedure is not None:
        grid = selectors.dossier_figures_by(start=start, end=end, by="procedure_id", scope=scope)
        earlier = selectors.dossier_figures_by(start=before[0], end=before[1], by="procedure_id", scope=scope)
        by_procedure = dashboard.rows_of(grid, earlier, selectors.procedures_named(grid))
    return Board(
        start=start,
        end=end,
        before=before,
        scope=scope,
        agency=agency,
        field=field,
        channel=channel,
        lines=dashboard.lines(now, then),
        charts=charts,
        by_agency=by_agency,
        by_procedure=by_procedure,
        procedure=procedure,
    )


def _form(request: HttpRequest) -> tuple[DashboardForm, frozenset[int] | None]:
    """The dashboard's form bound to the query (this year up to today when it says nothing of the
    period); an agency outside the viewer's scope is not found (404)."""
    allowed = selectors.viewer_agencies(request.user)
    choices = _agency_choices(allowed)
    asked = request.GET.get("co_quan", "")
    if asked and asked not in {code for code, _name in choices}:
        raise Http404
    query = request.GET.copy()
    today = timezone.localdate()
    if not query.get("tu") and not query.get("den"):
        query["tu"] = today.replace(month=1, day=1).isoformat()
        query["den"] = today.isoformat()
    return DashboardForm(query, agencies=choices), allowed


def _preset_links(request: HttpRequest, today: datetime.date) -> list[dict[str, Any]]:
    links = []
    for preset in dashboard.presets(today):
        query: QueryDict = request.GET.copy()
        query["tu"], query["den"] = preset.start.isoformat(), preset.end.isoformat()
        current = request.GET.get("tu") == query["tu"] and request.GET.get("den") == query["den"]
        links.append({"label": preset.label, "url": "?" + query.urlencode(), "current": current})
    return links


def _narrowed(request: HttpRequest, **params: str | None) -> str:
    """The dashboard's query with ``params`` set (None: taken away), on its first page."""
    query: QueryDict = request.GET.copy()
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    query.pop("trang", None)
    return "?" + query.urlencode()


DOSSIERS_PER_PAGE = 50


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        return 1


def _dossier_page(request: HttpRequest, board: Board) -> dict[str, Any]:
    """The page of the procedure's dossiers that the query asks for."""
    counted = selectors.counted_dossiers(start=board.start, end=board.end, scope=board.scope)
    total = counted.count()
    pages = max(1, -(-total // DOSSIERS_PER_PAGE))
    number = min(_page_number(request), pages)
    lines = list(
        selectors.dossier_lines(
            counted, end=board.end, offset=(number - 1) * DOSSIERS_PER_PAGE, limit=DOSSIERS_PER_PAGE
        )
    )
    names = {pk: a.name for pk, a in selectors.agencies_named({line.agency_id for line in lines}).items()}

    def page_url(n: int) -> str:
        query: QueryDict = request.GET.copy()
        query["trang"] = str(n)
        return "?" + query.urlencode()

    return {
        "total": total,
        "number": number,
        "pages": pages,
        "rows": [(line, names.get(line.agency_id, ""), dashboard.STANDING_LABELS[line.standing]) for line in lines],
        "previous_url": page_url(number - 1) if number > 1 else None,
        "next_url": page_url(number + 1) if number < pages else None,
    }


@never_cache
@require_GET
@analyst_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    form, _allowed = _form(request)
    context: dict[str, Any] = {
        "form": form,
        "presets": _preset_links(request, timezone.localdate()),
        "board": None,
    }
    if not form.is_valid():
        return render(request, "reports/dashboard.html", context, status=400)
    board = board_for(request.user, form.cleaned_data)
    period = {"start": board.start.isoformat(), "end": board.end.isoformat()}
    if board.agency is not None:
        period["agency"] = board.agency.code
    trail = [{"label": _("Toàn bộ phạm vi được xem"), "url": _narrowed(request, co_quan=None, thu_tuc=None)}]
    if board.agency is not None:
        trail.append({"label": board.agency.name, "url": _narrowed(request, thu_tuc=None)})
    if board.procedure is not None:
        trail.append({"label": board.procedure[1], "url": _narrowed(request)})
    query = request.GET.urlencode()
    context.update(
        board=board,
        trail=trail,
        by_agency=[replace(row, url=_narrowed(request, co_quan=row.code, thu_tuc=None)) for row in board.by_agency],
        by_procedure=[replace(row, url=_narrowed(request, thu_tuc=row.code)) for row in board.by_procedure],
        dossiers=_dossier_page(request, board) if board.procedure is not None else None,
        xlsx_url=reverse("reports:dashboard_xlsx") + "?" + query,
        dossiers_xlsx_url=reverse("reports:dossiers_xlsx") + "?" + query,
        scorecard_url=reverse("api:scorecard") + "?" + urlencode(period),
        evaluation_url=reverse("api:unit_evaluation") + "?" + urlencode(period),
        report_url=reverse("reports:report_write")
        + "?"
        + urlencode({"tu": period["start"], "den": period["end"], "co_quan": period.get("agency", "")}),
        charts=[(chart, f"du-lieu-{chart.key}", chart.as_json()) for chart in board.charts],
    )
    return render(request, "reports/dashboard.html", context)


def _bad_query(form: DashboardForm) -> HttpResponse:
    return HttpResponse(
        " ".join(str(e) for errors in form.errors.values() for e in errors),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@never_cache
@require_GET
@analyst_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table of the dashboard as an XLSX file, exactly as shown."""
    form, _allowed = _form(request)
    if not form.is_valid():
        return _bad_query(form)
    board = board_for(request.user, form.cleaned_data)
    content = xlsx.dashboard_workbook(
        lines=board.lines,
        start=board.start,
        end=board.end,
        before=board.before,
        scope_text=board.scope_text,
        by_agency=board.by_agency,
        by_procedure=board.by_procedure,
        charts=board.charts,
    )
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="so-lieu-{board.start:%Y%m%d}-{board.end:%Y%m%d}.xlsx"'
    return response


@never_cache
@require_GET
@analyst_required
def dossiers_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The dossiers behind the dashboard's figures (its scope, procedure included) as an XLSX
    file, streamed as it is written whatever their number (a new sheet every million rows)."""
    form, _allowed = _form(request)
    if not form.is_valid():
        return _bad_query(form)
    data = form.cleaned_data
    chosen = choice_for(request.user, data)
    start, end = data["tu"], data["den"]
    counted = selectors.counted_dossiers(start=start, end=end, scope=chosen.scope)
    parts = [chosen.agency.name if chosen.agency else _("Tất cả cơ quan được xem")]
    if chosen.procedure is not None:
        parts.append(_("thủ tục %(code)s") % {"code": chosen.procedure[1]})
    scope_text = "; ".join(parts)
    content = xlsx.dossiers_workbook(
        selectors.dossier_lines(counted, end=end),
        start=start,
        end=end,
        scope_text=scope_text,
        agency_names=dict(Agency.objects.values_list("pk", "name")),
        procedure_codes=dict(Procedure.objects.values_list("pk", "code")),
    )
    response = StreamingHttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response


# --- Writing a report document -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@analyst_required
def report_write(request: HttpRequest) -> HttpResponse:
    """Lập báo cáo: the period and agency come from the dashboard (?tu, den, co_quan); the officer
    gives the document's heading, and gets the DOCX and its PDF."""
    form, allowed = _form(request)
    if not form.is_valid():
        raise Http404
    period = form.cleaned_data
    agency = Agency.objects.filter(code=period["co_quan"]).first() if period.get("co_quan") else None
    scope = Scope(agencies=allowed)
    if agency is not None:
        scope = scope.narrowed(agencies=selectors.agency_tree([agency.pk])).within(allowed)
    today = timezone.localdate()
    initial = {
        "day": today,
        "body": agency.name if agency else "",
        "place": "",
    }
    heading_form = ReportWriteForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": heading_form, "start": period["tu"], "end": period["den"], "agency": agency}
    if request.method == "POST" and heading_form.is_valid():
        data = heading_form.cleaned_data
        heading = documents.Heading(
            parent_body=data["parent_body"],
            body=data["body"],
            number=data["number"],
            place=data["place"],
            day=data["day"],
            signer_title=data["signer_title"].replace("\r\n", "\n"),
            signer_name=data["signer_name"],
            recipients=heading_form.recipient_list(),
        )
        try:
            report = services.report_write(
                actor=request.user,
                kind=data["kind"],
                start=period["tu"],
                end=period["den"],
                scope=scope,
                agency_id=agency.pk if agency else None,
                heading=heading,
            )
        except documents.PlaceholderError as error:
            heading_form.add_error(
                None,
                _("Mẫu có trường «%(name)s» (%(where)s) mà hệ thống không có số liệu; hãy sửa mẫu trong Word.")
                % {"name": error.name, "where": error.where},
            )
        else:
            context["report"] = report
            context["docx_url"] = reverse("api:report_docx", args=[report.pk])
            context["pdf_url"] = reverse("api:report_pdf", args=[report.pk]) if report.pdf else None
    status = 400 if request.method == "POST" and not heading_form.is_valid() else 200
    return render(request, "reports/report_write.html", context, status=status)


# --- The public figures --------------------------------------------------------------------------------

PUBLIC_SECONDS = 15 * 60


def public_year(year: int, today: datetime.date) -> dict[str, Any]:
    """The province's headline figures of ``year`` (up to today for this year)."""
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), today)
    f = selectors.dossier_figures(start=start, end=end)
    return {"year": year, "start": start, "end": end, "figures": f}


@require_GET
def public_figures(request: HttpRequest) -> HttpResponse:
    """Số liệu: the province's headline figures of this year and last, the same for everyone (no
    personal data), kept in the cache for a quarter of an hour."""
    today = timezone.localdate()
    key = f"reports:public:{get_language()}:{today.isoformat()}"
    html = cache.get(key)
    if html is None:
        years = [public_year(today.year, today), public_year(today.year - 1, today)]
        rows = []
        for name, getter in PUBLIC_LINES:
            label, kind, level = dashboard.LINE_INFO[name]
            values = [dashboard.written(getter(y["figures"]), kind, get_language() or "vi") for y in years]
            rows.append({"label": label, "level": level, "values": values})
        html = render_to_string(
            "reports/public_figures.html", {"years": years, "rows": rows, "today": today}, request=request
        )
        cache.set(key, html, timeout=PUBLIC_SECONDS)
    response = HttpResponse(html)
    patch_cache_control(response, public=True, max_age=300)
    return response


# (key of dashboard.LINES, how it is read from the figures): the headline figures, no personal data.
PUBLIC_LINES: tuple[tuple[str, Callable[[rules.Figures], Any]], ...] = (
    ("received_new", lambda f: f.received_new),
    ("received_online", lambda f: f.received_online),
    ("online_share", lambda f: f.online_share),
    ("finished", lambda f: f.finished),
    ("on_time_share", lambda f: f.on_time_share),
    ("paid_online_vnd", lambda f: f.paid_online_vnd),
)
