"""Electronic results API: public verification of a signed result, and the digitization figures
for reports. Thin over ``results.verification`` and the selectors."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from common.api import LocalDateTime, answers, localized
from common.i18n import request_language
from common.problems import Problem
from org.models import Agency
from org.permissions import ApiAccess, agencies_overseen, is_superuser

from . import selectors
from .verification import MAX_UPLOAD_BYTES, verify_upload

router = Router(tags=["results"])

FIGURES_CAPABILITY = "reports.view"
MAX_PERIOD_DAYS = 3 * 366


class VerificationOut(Schema):
    """Kết quả xác thực một tệp PDF đã ký số."""

    valid: bool
    status: str
    detail: str
    signer: str | None
    signed_at: LocalDateTime | None
    modified_after_signing: bool | None
    result_code: str | None


class DigitizationFiguresOut(Schema):
    """Số liệu số hóa hồ sơ và kết quả điện tử của một kỳ; shares are fractions (0..1), null when
    there is nothing to divide by."""

    start: datetime.date
    end: datetime.date
    agency: str | None
    dossiers_received: int
    dossiers_digitized: int
    dossiers_digitized_share: float | None
    dossiers_reusing_data: int
    dossiers_reusing_data_share: float | None
    electronic_results: int
    results_decided: int
    results_digitized: int
    results_digitized_share: float | None
    results_electronic: int
    results_electronic_share: float | None


@router.post(
    "/results/verify",
    url_name="verify_result",
    response=answers({200: VerificationOut}, 400, 413),
    summary="Xác thực kết quả điện tử",
)
def verify(
    request: HttpRequest, response: HttpResponse, file: File[UploadedFile], lang: str | None = None
) -> VerificationOut:
    """Send a PDF (multipart field `file`): whether its signature is valid and trusted, who signed
    it and when, whether it was changed after signing, and the result code if the portal issued
    it. `status` says precisely why a file is not valid: `modified_after_signing`,
    `untrusted_signer`, `altered`, `unsigned`, `not_pdf`. Nothing is stored."""
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        if file.size is not None and file.size > MAX_UPLOAD_BYTES:
            raise Problem(
                413,
                "file_too_large",
                _("Tệp quá lớn"),
                _("Tệp quá lớn (tối đa %(limit)s MB).") % {"limit": MAX_UPLOAD_BYTES // 2**20},
            )
        answer = verify_upload(file.read(MAX_UPLOAD_BYTES + 1))
        return VerificationOut(
            valid=answer.valid,
            status=answer.status.value,
            detail=answer.detail,
            signer=answer.signer,
            signed_at=answer.signed_at,
            modified_after_signing=answer.modified_after_signing,
            result_code=answer.result_code,
        )


def _period(start: datetime.date, end: datetime.date) -> None:
    if end < start or (end - start).days > MAX_PERIOD_DAYS:
        raise Problem(
            400,
            "invalid_period",
            _("Khoảng thời gian không hợp lệ"),
            _("Ngày kết thúc phải sau ngày bắt đầu, tối đa ba năm."),
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@router.get(
    "/figures/digitization",
    auth=ApiAccess(FIGURES_CAPABILITY),
    url_name="digitization_figures",
    response=answers({200: DigitizationFiguresOut}, 400, 401, 403, 404),
    summary="Số liệu số hóa và kết quả điện tử",
)
def digitization(
    request: HttpRequest,
    response: HttpResponse,
    start: datetime.date,
    end: datetime.date,
    agency: str = "",
    lang: str | None = None,
) -> DigitizationFiguresOut:
    """Per period (`start`, `end`, ISO dates, both included) and optionally one agency (its
    code): dossiers received, digitized and reusing stored data (counts and shares of the dossiers
    received); electronic results signed; results of the dossiers approved in the period that are
    digitized or electronic (counts and shares of those dossiers). Only the agencies where the
    caller may read reports."""
    from documents.selectors import digitization_figures

    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        _period(start, end)
        mine = agencies_overseen(request.user, FIGURES_CAPABILITY)
        chosen: Agency | None = None
        if agency:
            chosen = mine.filter(code=agency).first()
            if chosen is None:
                raise Problem(
                    404, "not_found", _("Không tìm thấy"), _("Không có cơ quan này, hoặc bạn không được xem.")
                )
        agencies: list[Agency | None] = list(mine) if chosen is None else [chosen]
        if chosen is None and is_superuser(request.user):
            agencies = [None]  # the whole province in one count
        received = digitized = reused = 0
        for place in agencies:
            figures = digitization_figures(start=start, end=end, agency=place)
            received += figures.received
            digitized += figures.digitized
            reused += figures.reused
        scoped = mine if chosen is None else mine.filter(pk=chosen.pk)
        issued = selectors.issued_count(start=start, end=end, agencies=scoped)
        results = selectors.result_figures(start=start, end=end, agencies=scoped)
        return DigitizationFiguresOut(
            start=start,
            end=end,
            agency=chosen.code if chosen is not None else None,
            dossiers_received=received,
            dossiers_digitized=digitized,
            dossiers_digitized_share=_share(digitized, received),
            dossiers_reusing_data=reused,
            dossiers_reusing_data_share=_share(reused, received),
            electronic_results=issued,
            results_decided=results.decided,
            results_digitized=results.digitized,
            results_digitized_share=_share(results.digitized, results.decided),
            results_electronic=results.electronic,
            results_electronic_share=_share(results.electronic, results.decided),
        )
