"""Dossier API: online submission by a signed-in citizen and public tracking. Thin over
``dossiers.services`` and ``dossiers.selectors``."""

from __future__ import annotations

import datetime
import math
import re
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import ValidationError as PydanticError

from accounts.organizations import acting_organizations
from catalog.models import RequiredDocument
from catalog.rules import is_the_declaration_form
from catalog.selectors import declaration_form_in_force, version_documents
from common.api import LocalDateTime, answers, localized
from common.i18n import request_language
from common.problems import Problem, problem_response
from common.transactions import atomic_whole
from org.permissions import ApiAccess

from .delivery import PostalAddress
from .errors import DossierError, DossierInvalid
from .intake_forms import (
    StoredUpload,
    UploadProblem,
    attach,
    electronic,
    missing_document_message,
    missing_documents,
    store,
)
from .models import Dossier, Handed
from .rules import national_status
from .selectors import submission_place
from .services import Applicant, HandedDocument, Intake, dossier_submit
from .tracking import TrackingLocked, dossier_track_guarded

router = Router(tags=["dossiers"])

_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")
_STATUS = {
    "dossier_invalid": 422,
    "idempotency_key_reused": 422,
    "dossier_changed": 409,
    "transition_not_allowed": 409,
    "action_forbidden": 403,
}


def problem_from(error: DossierError) -> Problem:
    """The API answer to a refused dossier operation."""
    extra = {"errors": error.errors} if isinstance(error, DossierInvalid) else {}
    return Problem(_STATUS.get(error.code, 400), error.code, _("Không thực hiện được"), error.message, **extra)


class ApplicantIn(Schema):
    address: str = Field(..., max_length=500, description="Địa chỉ liên hệ")
    phone: str = Field("", max_length=20, description="Số điện thoại (mặc định: của tài khoản)")
    email: str = Field("", max_length=254, description="Thư điện tử (mặc định: của tài khoản)")


class OrganizationIn(Schema):
    tax_code: str = Field(
        ..., max_length=14, description="Mã số thuế của tổ chức mà tài khoản đã được xác nhận là người đại diện"
    )
    name: str = Field(..., max_length=300, description="Tên tổ chức (hồ sơ ghi tên đã được xác nhận)")


class PostalIn(Schema):
    """Địa chỉ nhận kết quả qua dịch vụ bưu chính: required (every field) when
    ``result_delivery`` is ``post``, ignored otherwise. Lengths are checked with the rest of the
    dossier (422 ``dossier_invalid``, errors under ``postal.<field>``)."""

    recipient_name: str = Field("", description="Họ và tên người nhận (tối đa 200 ký tự)")
    phone: str = Field("", description="Số điện thoại người nhận, để nhân viên bưu chính liên hệ khi phát")
    address: str = Field("", description="Số nhà, đường phố hoặc thôn, tổ dân phố (tối đa 300 ký tự)")
    commune: str = Field(
        "", description="Mã xã, phường, đặc khu (đơn vị hành chính đang có hiệu lực: GET /api/v1/communes)"
    )


class DocumentIn(Schema):
    required_document: int = Field(..., description="Mã thành phần hồ sơ (id) của thủ tục")
    handed_in: str = Handed.ELECTRONIC
    quantity: int = 1
    note: str = Field("", max_length=500)


class SubmissionIn(Schema):
    procedure: str = Field(..., max_length=40, description="Mã thủ tục, ví dụ 1.001193")
    agency: str | None = Field(None, max_length=40, description="Mã định danh cơ quan giải quyết")
    unit: str | None = Field(None, max_length=40, description="Mã định danh Bộ phận Một cửa tiếp nhận")
    result_delivery: str = Field(..., description="counter, post hoặc online")
    applicant: ApplicantIn
    postal: PostalIn | None = Field(None, description="Địa chỉ nhận kết quả khi result_delivery là post")
    organization: OrganizationIn | None = None
    form: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Thông tin tờ khai: phải thỏa lược đồ JSON Schema của tờ khai đang áp dụng "
            "(GET /api/v1/procedures/{code}/declaration-form); ngày ghi ISO hoặc dd/mm/yyyy. "
            "Mọi lỗi được trả về cùng lúc trong errors, khóa form.<đường dẫn trường>."
        ),
    )
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)


class ProcedureRefOut(Schema):
    code: str
    name: str


class DossierOut(Schema):
    """Hồ sơ vừa nộp: its code, status (and the status code of the national portal), place and
    dates."""

    id: int
    code: str | None
    procedure: ProcedureRefOut
    status: str
    status_label: str
    national_status: int | None
    channel: str
    result_delivery: str
    processing_agency: str
    receiving_unit: str
    submitted_at: LocalDateTime | None
    received_at: LocalDateTime | None
    due_date: datetime.date | None


def dossier_body(dossier: Dossier) -> DossierOut:
    version = dossier.procedure_version
    return DossierOut(
        id=dossier.pk,
        code=dossier.code,
        procedure=ProcedureRefOut(code=version.procedure.code, name=version.name),
        status=dossier.state,
        status_label=str(dossier.get_state_display()),
        national_status=national_status(dossier.state),
        channel=dossier.channel,
        result_delivery=dossier.result_delivery,
        processing_agency=dossier.processing_agency.code,
        receiving_unit=dossier.receiving_unit.code,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_date=dossier.due_on,
    )


class StatusAtOut(Schema):
    status: str
    at: LocalDateTime


class TrackingOut(Schema):
    """Tình trạng hồ sơ: status and dates only, never personal data."""

    code: str
    procedure: str
    status: str
    status_label: str
    national_status: int | None
    received_at: LocalDateTime | None
    due_date: datetime.date | None
    finished_at: LocalDateTime | None
    history: list[StatusAtOut]


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic JSON schema with its ``$defs`` inlined, to sit in the OpenAPI document as is."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(dict(defs[ref[len("#/$defs/") :]]))
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(value) for value in node]
        return node

    return dict(resolve(schema))


_SUBMISSION_SCHEMA = _inline(SubmissionIn.model_json_schema())
_SUBMISSION_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _SUBMISSION_SCHEMA},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["payload"],
                "properties": {
                    "payload": {"type": "string", "description": "The JSON submission (as for application/json)"},
                },
                "patternProperties": {"^document_[0-9]+$": {"type": "string", "format": "binary"}},
                "description": "One file per required document, in the field document_<required document id>: "
                "PDF, JPEG, PNG or TIFF, checked by content.",
            }
        },
    },
}
# Refused uploads whose HTTP status says more than 422.
_UPLOAD_STATUS = {"too_large": 413, "unsupported_type": 415}


def _invalid(errors: dict[str, str]) -> Problem:
    return problem_from(DossierInvalid(errors))


def _read_submission(request: HttpRequest) -> tuple[SubmissionIn, dict[str, UploadedFile]]:
    """The submission and its files: a JSON body, or ``multipart/form-data`` with the JSON in
    ``payload`` and one file per required document."""
    files: dict[str, UploadedFile] = {}
    if request.content_type == "multipart/form-data":
        raw: str | bytes | None = request.POST.get("payload")
        if raw is None:
            raise _invalid({"payload": _("Thiếu trường payload chứa nội dung hồ sơ (JSON).")})
        files = {name: cast(UploadedFile, request.FILES[name]) for name in request.FILES}
    else:
        raw = request.body
    try:
        return SubmissionIn.model_validate_json(raw), files
    except PydanticError as error:
        raise ValidationError(
            [dict(e) for e in error.errors(include_url=False, include_context=False, include_input=False)]
        ) from error


def _store_files(
    version: Any, files: dict[str, UploadedFile], user: Any
) -> tuple[list[StoredUpload], dict[int, RequiredDocument]]:
    """Check and store the uploaded files (before anything is written about the dossier)."""
    documents = {d.pk: d for d in version_documents(version)}
    unknown = {
        name: _("Trường tệp phải có dạng document_<mã thành phần hồ sơ> của thủ tục này.")
        for name in files
        if not (name.startswith("document_") and name[9:].isdigit() and int(name[9:]) in documents)
    }
    unknown |= {
        name: _("Giấy tờ này chỉ xuất trình khi đến cơ quan, không tải lên.")
        for name in files
        if name not in unknown and documents[int(name[9:])].presented_only
    }
    if unknown:
        raise _invalid(unknown)
    stored = []
    for name, upload in files.items():
        try:
            stored.append(store(upload=upload, user=user, required_document=documents[int(name[9:])]))
        except UploadProblem as problem:
            raise Problem(
                _UPLOAD_STATUS.get(problem.code, 422),
                problem.code,
                _("Tệp không được chấp nhận"),
                problem.message,
                errors={name: problem.message},
            ) from problem
    return stored, documents


@router.post(
    "/dossiers",
    auth=ApiAccess(),
    url_name="submit_dossier",
    response=answers({201: DossierOut}, 400, 401, 403, 409, 413, 415, 422),
    summary="Nộp hồ sơ trực tuyến",
    openapi_extra={"requestBody": _SUBMISSION_BODY},
)
def submit(request: HttpRequest, response: HttpResponse, lang: str | None = None) -> Status[DossierOut]:
    """A signed-in citizen submits a dossier, as JSON, or as `multipart/form-data` with the JSON
    in `payload` and one file per required document (`document_<id>`): then every required
    document listed under no particular case must come with a file, each checked by its content.
    With an `Idempotency-Key` header, sending the same request again (a retry, a double click)
    answers with the first dossier instead of a new one; the same key with a different content is
    refused."""
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
            raise Problem(
                400,
                "invalid_idempotency_key",
                _("Yêu cầu không hợp lệ"),
                _("Idempotency-Key gồm 1 đến 100 ký tự ASCII in được."),
            )
        user: Any = request.user
        if not user.personal_id:
            raise Problem(
                403,
                "identity_required",
                _("Cần định danh điện tử"),
                _("Tài khoản chưa có số định danh cá nhân; hãy đăng nhập bằng tài khoản định danh điện tử."),
            )
        body, files = _read_submission(request)
        organization = None
        if body.organization is not None:
            organization = acting_organizations(user).filter(tax_code=body.organization.tax_code).first()
            if organization is None:
                raise Problem(
                    403,
                    "organization_not_linked",
                    _("Không có quyền nộp thay tổ chức"),
                    _("Tài khoản chưa được xác nhận là người đại diện của tổ chức có mã số thuế này."),
                )
        multipart = request.content_type == "multipart/form-data"
        try:
            version, agency, unit = submission_place(procedure=body.procedure, agency=body.agency, unit=body.unit)
            uploads, documents = _store_files(version, files, user) if multipart else ([], {})
            listed = [HandedDocument(d.required_document, d.handed_in, d.quantity, d.note) for d in body.documents]
            if multipart:
                form = declaration_form_in_force(version.procedure_id)
                asked = [d for d in documents.values() if not (form and is_the_declaration_form(d.name, form.title))]
                missing = missing_documents(asked, {u.required_document_id for u in uploads})
                if missing:
                    raise DossierInvalid({f"document_{d.pk}": missing_document_message(d) for d in missing})
                given = {(d.required_document, d.handed_in) for d in listed}
                listed += [d for d in electronic([u.required_document_id for u in uploads]) if
                           (d.required_document, d.handed_in) not in given]  # fmt: skip
            intake = Intake(
                place_checked=True,
                procedure_version=version,
                processing_agency=agency,
                receiving_unit=unit,
                applicant=Applicant(
                    name=user.full_name or user.get_username(),
                    personal_id=user.personal_id,
                    address=body.applicant.address,
                    phone=body.applicant.phone or user.phone,
                    email=body.applicant.email or user.email,
                    tax_code=organization.tax_code if organization is not None else "",
                    organization_name=organization.organization_name if organization is not None else "",
                ),
                result_delivery=body.result_delivery,
                form_data=body.form,
                documents=listed,
                postal=PostalAddress(**body.postal.model_dump()) if body.postal is not None else None,
                required_documents=list(documents.values()) if multipart else None,
            )
            with atomic_whole():
                dossier, created = dossier_submit(applicant=user, intake=intake, idempotency_key=key)
                if created and uploads:
                    attach(dossier=dossier, uploads=uploads, user=user, purpose="submitted", fresh=True)
            if dossier.procedure_version_id == version.pk and dossier.processing_agency_id == agency.pk:
                # What the answer shows of them is already at hand.
                dossier.procedure_version, dossier.processing_agency = version, agency
        except DossierError as error:
            raise problem_from(error) from error
        if not created:
            response["Idempotent-Replayed"] = "true"
        return Status(201, dossier_body(dossier))


@router.get(
    "/dossiers/{code}/status",
    url_name="dossier_status",
    response=answers({200: TrackingOut}, 404),
    summary="Tra cứu tình trạng hồ sơ",
)
def track(
    request: HttpRequest, response: HttpResponse, code: str, check: str = "", lang: str | None = None
) -> TrackingOut | HttpResponse:
    """Public tracking by dossier code and a check value: the last four digits of the applicant's
    identification number or phone number. Status and dates only, never personal data. An
    unknown code and a wrong check value get the same answer."""
    language = request_language(request, lang)
    localized(response, language)
    with translation.override(language):
        try:
            view = dossier_track_guarded(code=code[:80], check=check)
        except TrackingLocked as locked:
            locked_out = problem_response(
                request,
                Problem(
                    429,
                    "tracking_locked",
                    _("Mã hồ sơ tạm khóa tra cứu"),
                    _(
                        "Số kiểm tra của mã hồ sơ này đã bị nhập sai quá nhiều lần. "
                        "Vui lòng thử lại sau %(minutes)d phút."
                    )
                    % {"minutes": math.ceil(locked.retry_after / 60)},
                ),
            )
            locked_out["Retry-After"] = str(locked.retry_after)
            return locked_out
        if view is None:
            raise Problem(
                404,
                "dossier_not_found",
                _("Không tìm thấy hồ sơ"),
                _("Không có hồ sơ với mã và số kiểm tra này."),
            )
        return TrackingOut(
            code=view.code,
            procedure=view.procedure,
            status=view.status.value,
            status_label=str(view.status.label),
            national_status=view.national_status,
            received_at=view.received_at,
            due_date=view.due_date,
            finished_at=view.finished_at,
            history=[StatusAtOut(status=state.value, at=at) for state, at in view.history],
        )
