"""Routes of the reports for the permission walk (tests/route_registry.py): a report written for
an agency is read by that agency's officers (and whoever wrote it), never by another agency's."""

from __future__ import annotations

import datetime
import itertools

from reports.models import ReportDocument, ReportKind
from tests.route_registry import Cast, Target, private

_numbers = itertools.count(1)


def _report(cast: Cast) -> tuple[ReportDocument, str]:
    marker = f"bao-cao-rieng-{next(_numbers)}"
    report = ReportDocument.objects.create(
        kind=ReportKind.ONE_STOP_QUARTERLY,
        start=datetime.date(2025, 7, 1),
        end=datetime.date(2025, 9, 30),
        agency_id=cast.agency.pk,
        created_by=cast.officer,
        snapshot={"context": {"ho_so_moi": marker}},
        docx=marker.encode(),
        pdf=marker.encode(),
    )
    return report, marker


@private("api:report", owner="agency")
def _report_json(cast: Cast) -> Target:
    report, marker = _report(cast)
    return Target({"report_id": report.pk}, marker=marker)


@private("api:report_docx", owner="agency")
def _report_docx(cast: Cast) -> Target:
    report, marker = _report(cast)
    return Target({"report_id": report.pk}, marker=marker)


@private("api:report_pdf", owner="agency")
def _report_pdf(cast: Cast) -> Target:
    report, marker = _report(cast)
    return Target({"report_id": report.pk}, marker=marker)
