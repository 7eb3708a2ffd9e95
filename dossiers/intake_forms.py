"""Tờ khai nộp hồ sơ trực tuyến: the citizen's online form, built from the catalog (the
procedure's required documents and its declaration form in force, ``catalog.DeclarationForm``)
and the identity of the signed-in citizen, and turned into a ``services.Intake``.

The form itself only carries what the citizen typed; every rule is checked by ``dossiers.rules``
(shape of the applicant's details, the procedure's fields) and again by ``dossiers.services`` on
submission, whose problems (``DossierInvalid.errors``) are put back on the form's fields.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog import declaration
from catalog.models import DeclarationForm, ProcedureVersion, RequiredDocument
from documents.errors import UploadRejected
from documents.models import DossierFile, StoredFile
from documents.selectors import reusable_items
from documents.services import dossier_file_attach, dossier_files_attach_new, file_store, store_item_reuse
from org.models import Agency, OneStopUnit

from . import rules
from .delivery import (
    POSTAL_FORM_FIELDS,
    PostalAddress,
    address_line,
    commune_choices,
    full_address,
    guess_commune,
    postal_address_problems,
)
from .models import Handed
from .rules import ResultDelivery
from .services import Applicant, HandedDocument, Intake

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    """Mã chống nộp trùng: one per form, sent back with it and passed to ``dossier_submit`` as
    its idempotency key, so that a double click, a retry or the back button give one dossier."""
    return secrets.token_urlsafe(24)


# --- Where the dossier goes -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A processing agency with a one-stop unit that receives its dossiers."""

    agency: Agency
    unit: OneStopUnit

    @property
    def key(self) -> str:
        return f"{self.agency.pk}-{self.unit.pk}"

    @property
    def label(self) -> str:
        """The unit's name in the page's language (where translated), the agency's official one."""
        return f"{self.unit.text_in(get_language() or 'vi').name} — {self.agency.name}"


# --- Required documents -----------------------------------------------------------------------


def is_mandatory(document: RequiredDocument) -> bool:
    """A document every applicant must upload: marked required in the catalog (the published
    case and wording decide it on import, a controller may correct it) and not one that is only
    shown in person (giấy tờ phải xuất trình), which is never asked for as a file."""
    return document.required and not document.presented_only


def missing_documents(documents: Sequence[RequiredDocument], provided: set[int]) -> list[RequiredDocument]:
    """The mandatory documents for which nothing was provided."""
    return [d for d in documents if is_mandatory(d) and d.pk not in provided]


def missing_document_message(document: RequiredDocument) -> str:
    """The API's refusal for an empty required slot, naming the slot (its name shortened, so a
    long published wording stays readable)."""
    name = document.name if len(document.name) <= 120 else document.name[:117].rstrip() + "…"
    return _("Cần tải lên giấy tờ bắt buộc “%(name)s”.") % {"name": name}


# --- The form ---------------------------------------------------------------------------------


def slot_name(document: RequiredDocument) -> str:
    return f"document_{document.pk}"


class IntakeForm(forms.Form):
    """The applicant's contact details, the place, how to receive the result and the procedure's
    own fields. Every field may be empty here (a draft may be incomplete); what a submission
    needs is checked by ``completeness_problems`` and the services."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Để nhận tin nhắn về tình trạng hồ sơ."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=gettext_lazy("Thư điện tử"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Không bắt buộc. Để nhận thông báo qua thư điện tử."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Địa chỉ liên hệ"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Số nhà, đường, thôn/tổ dân phố, xã/phường."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    result_delivery = forms.ChoiceField(
        label=gettext_lazy("Hình thức nhận kết quả"),
        choices=ResultDelivery.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    # Nhận kết quả qua dịch vụ bưu chính: asked (and required) only for that choice. Lengths and
    # shapes are checked by ``delivery.postal_address_problems``, one message for form and API.
    postal_recipient_name = forms.CharField(
        label=gettext_lazy("Họ và tên người nhận"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "shipping name", "maxlength": "200"}),
    )
    postal_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại người nhận"),
        required=False,
        help_text=gettext_lazy("Nhân viên bưu chính gọi số này trước khi phát."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "shipping tel", "maxlength": "20"}),
    )
    postal_address = forms.CharField(
        label=gettext_lazy("Số nhà, đường phố hoặc thôn, tổ dân phố"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "shipping address-line1", "maxlength": "300"}),
    )
    postal_commune = forms.ChoiceField(label=gettext_lazy("Xã, phường, đặc khu"), required=False)

    POSTAL_FIELDS = POSTAL_FORM_FIELDS

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        declaration_form: DeclarationForm | None,
        declaration_initial: Mapping[str, Any] | None = None,
        places: Sequence[Place],
        organizations: Sequence[Any] = (),
        communes: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {c.code: c for c in communes}
        postal_commune = self.fields["postal_commune"]
        assert isinstance(postal_commune, forms.ChoiceField)
        postal_commune.choices = commune_choices(
            [(c.code, c.name, c.province) for c in communes], _("— Chọn xã, phường, đặc khu —")
        )
        self.version = version
        self.declaration_form = declaration_form
        self.declaration_initial = dict(declaration_initial or {})
        # Problems of the declaration's data, by field path (``child.birth_date``).
        self.declaration_errors: dict[str, str] = {}
        self.places = list(places)
        self.organizations = {link.tax_code: link for link in organizations}
        if self.organizations:
            self.fields["organization"] = forms.ChoiceField(
                label=_("Nộp hồ sơ cho"),
                choices=[
                    ("", _("Bản thân tôi (cá nhân)")),
                    *((t, f"{link.organization_name} — {_('MST')} {t}") for t, link in self.organizations.items()),
                ],
                required=False,
                help_text=_("Tổ chức, doanh nghiệp mà tài khoản của bạn đã được xác nhận là người đại diện."),
            )
        if len(self.places) > 1:
            self.fields["place"] = forms.ChoiceField(
                label=_("Nơi nộp hồ sơ"),
                choices=[("", _("— Chọn nơi nộp —")), *((p.key, p.label) for p in self.places)],
                required=False,
            )

    # The declaration form (tờ khai), for the template, in the page's language: its labels,
    # hints, choices and messages translated where the form has a translation, the values kept.
    def localized_declaration(self) -> tuple[Any, Any]:
        form = self.declaration_form
        if form is None:
            return {}, {}
        return form.localized(get_language())

    def declaration_title(self) -> str:
        form = self.declaration_form
        return form.title_in(get_language()) if form is not None else ""

    def declaration_sections(self) -> list[declaration.Section]:
        form = self.declaration_form
        if form is None:
            return []
        data = self.form_data() if self.is_bound else self.declaration_initial
        schema, layout = self.localized_declaration()
        return declaration.sections(schema, layout, data, self.declaration_errors)

    def declaration_hidden(self) -> list[tuple[str, str]]:
        """The declaration's data as hidden fields (the review page sends it back)."""
        form = self.declaration_form
        if form is None:
            return []
        return list(declaration.to_post(form.schema, form.layout, self.form_data()).items())

    def declaration_review(self) -> list[tuple[str, list[tuple[str, str]]]]:
        form = self.declaration_form
        if form is None:
            return []
        schema, layout = self.localized_declaration()
        return declaration.review_rows(schema, layout, self.form_data())

    def declaration_problems(self, *, today: datetime.date, complete: bool) -> dict[str, str]:
        """Every problem of the declaration's data at once, by field path."""
        form = self.declaration_form
        if form is None:
            return {}
        return {
            e.path: e.message
            for e in declaration.validate(
                self.localized_declaration()[0], self.form_data(), today=today, complete=complete
            )
        }

    @property
    def has_places(self) -> bool:
        return "place" in self.fields

    def postal_fields(self) -> list[Any]:
        return [self[name] for name in self.POSTAL_FIELDS.values()]

    @property
    def by_post(self) -> bool:
        return bool(self.is_bound and self.data.get("result_delivery") == ResultDelivery.POST)

    def postal(self) -> PostalAddress | None:
        """The postal address typed, when the result goes by post."""
        data = self.cleaned_data
        if data.get("result_delivery") != ResultDelivery.POST:
            return None
        return PostalAddress(**{key: str(data.get(name) or "") for key, name in self.POSTAL_FIELDS.items()}).stripped()

    def postal_label(self) -> str:
        """The postal address as the review page shows it."""
        postal = self.postal()
        if postal is None:
            return ""
        commune = self.communes.get(postal.commune)
        places = (commune.name, commune.province) if commune is not None else ()
        return full_address(postal.address, *places)

    def describe(self) -> None:
        """Tie each input to its hint and error (``aria-describedby``) for screen readers."""
        for name, form_field in self.fields.items():
            ids = [f"id_{name}-hint"] if form_field.help_text else []
            if self.is_bound and name in self.errors:
                ids.append(f"id_{name}-error")
            if ids:
                form_field.widget.attrs["aria-describedby"] = " ".join(ids)
            elif "aria-describedby" in form_field.widget.attrs:
                del form_field.widget.attrs["aria-describedby"]

    def chosen_organization(self) -> Any | None:
        """The organization the citizen submits for (one of their confirmed links), if any."""
        return self.organizations.get(str(self.cleaned_data.get("organization") or ""))

    def chosen_place(self) -> Place | None:
        if len(self.places) == 1:
            return self.places[0]
        chosen = self.cleaned_data.get("place", "")
        return next((p for p in self.places if p.key == chosen), None)

    def form_data(self) -> dict[str, Any]:
        """The declaration's data as typed, normalized (ISO dates, numbers, nested groups), the
        parts hidden by their condition left out."""
        form = self.declaration_form
        if form is None or not self.is_bound:
            return {}
        data = declaration.from_post(form.schema, form.layout, self.data)
        return data if isinstance(data, dict) else {}

    def put_errors(self, errors: Mapping[str, str]) -> None:
        """The services' problems (``DossierInvalid.errors``) on the fields they are about."""
        for key, message in errors.items():
            target: str | None = None
            if key in ("agency", "unit") and "place" in self.fields:
                target = "place"
            elif key.startswith("applicant.") and key[len("applicant.") :] in ("phone", "email", "address"):
                target = key[len("applicant.") :]
            elif key == "result_delivery":
                target = "result_delivery"
            elif key.startswith("postal.") and key[len("postal.") :] in self.POSTAL_FIELDS:
                target = self.POSTAL_FIELDS[key[len("postal.") :]]
            elif key.startswith("form.") or key == "form":
                self.declaration_errors.setdefault(key[len("form.") :], message)
                continue
            if target is not None and target in self.fields and not self.has_error(target):
                self.add_error(target, message)
            elif target is None:
                self.add_error(None, message)


def completeness_problems(
    form: IntakeForm,
    *,
    personal_id: str,
    name: str,
    documents: Sequence[RequiredDocument],
    provided: set[int],
) -> dict[str, str]:
    """What a submission still lacks, by form field: what the services would refuse, told before
    the review page rather than after it."""
    problems: dict[str, str] = {}
    data = form.cleaned_data
    applicant = rules.applicant_problems(
        name=name, personal_id=personal_id, phone=data.get("phone", ""), address=data.get("address", ""),
        email=data.get("email", ""),
    )  # fmt: skip
    for key in ("phone", "email", "address"):
        if key in applicant:
            problems[key] = applicant[key]
    if "name" in applicant or "personal_id" in applicant:
        problems["__all__"] = _("Tài khoản chưa có đủ họ tên và số định danh cá nhân từ định danh điện tử.")
    if form.chosen_place() is None:
        problems["place"] = _("Cần chọn nơi nộp hồ sơ.")
    if not data.get("result_delivery"):
        problems["result_delivery"] = _("Cần chọn hình thức nhận kết quả.")
    postal = form.postal()
    postal_problems = postal_address_problems(
        postal,
        result_delivery=data.get("result_delivery", ""),
        complete=True,
        commune_known=postal is not None and postal.commune in form.communes,
        communes_offered=bool(form.communes),
    )
    for key, message in postal_problems.items():
        problems[IntakeForm.POSTAL_FIELDS[key]] = message
    # The declaration's problems go beside its fields (``form.declaration_errors``).
    for path, message in form.declaration_problems(today=timezone.localdate(), complete=True).items():
        form.declaration_errors.setdefault(path, message)
    for document in missing_documents(documents, provided):
        # The page puts the slot's name before it (summary) and the message beside the slot.
        problems[slot_name(document)] = _("Cần tải lên giấy tờ này.")
    return problems


def to_intake(
    form: IntakeForm, *, user: Any, place: Place, documents: Sequence[HandedDocument] = (), complete: bool
) -> Intake:
    """The submission the form describes, for ``dossier_submit`` or ``dossier_draft_save``."""
    data = form.cleaned_data
    organization = form.chosen_organization()
    return Intake(
        procedure_version=form.version,
        processing_agency=place.agency,
        receiving_unit=place.unit,
        applicant=Applicant(
            name=user.full_name or user.get_username(),
            personal_id=user.personal_id or "",
            address=data.get("address", "").strip(),
            phone=data.get("phone", "").strip(),
            email=data.get("email", "").strip(),
            tax_code=organization.tax_code if organization is not None else "",
            organization_name=organization.organization_name if organization is not None else "",
        ),
        # A draft may not have chosen yet; the counter is what a draft falls back to.
        result_delivery=data.get("result_delivery") or (ResultDelivery.COUNTER if not complete else ""),
        form_data=form.form_data(),
        documents=list(documents),
        postal=form.postal(),
    )


def postal_initial(*, name: str, phone: str, address: str, communes: Sequence[Any]) -> dict[str, str]:
    """The postal address prefilled from the contact details: the applicant receives the result
    at their contact address, in the commune that address names (when it names one)."""
    commune = guess_commune(address, [(c.code, c.name) for c in communes])
    named = next((c for c in communes if c.code == commune), None)
    return {
        "postal_recipient_name": name,
        "postal_phone": phone,
        "postal_address": address_line(address, named.name) if named is not None else address,
        "postal_commune": commune,
    }


def prefill_postal(data: Any, *, name: str, communes: Sequence[Any]) -> None:
    """A form sent with "by post" chosen and the postal address left wholly empty (a browser
    without the script, or a citizen who skipped it) gets it from the contact details, shown
    again to be checked; a field emptied on purpose among filled ones stays empty."""
    if data.get("result_delivery") != ResultDelivery.POST:
        return
    if any(str(data.get(field_name_) or "").strip() for field_name_ in IntakeForm.POSTAL_FIELDS.values()):
        return
    initial = postal_initial(
        name=name, phone=str(data.get("phone") or ""), address=str(data.get("address") or ""), communes=communes
    )
    for key, value in initial.items():
        data[key] = value


def electronic(document_ids: Sequence[int]) -> list[HandedDocument]:
    """The documents handed in online: electronic copies, one each."""
    return [HandedDocument(required_document=pk, handed_in=Handed.ELECTRONIC) for pk in sorted(set(document_ids))]


# --- Files --------------------------------------------------------------------------------------
# Uploads are checked (type by content, size, pages) and stored by the documents app before the
# dossier is written; the stored file is attached in the dossier's transaction. Between the steps
# of the form a stored file travels as a signed reference bound to the citizen and the slot, so a
# page that comes back with an error loses nothing and nobody can claim another person's file.

_SALT = "dossiers.intake.file"


class UploadProblem(Exception):
    """A file refused by the storage service, with its localized message and stable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class StoredUpload:
    """A file given for one required document: newly stored (``stored_file``), or an item of the
    citizen's data store to reuse (``item``); ``attached`` when already on the dossier."""

    required_document_id: int
    name: str
    stored_file: Any = None
    item: Any = None
    attached: bool = False
    document: Any = field(default=None, compare=False)  # the RequiredDocument, when at hand

    @property
    def stored_file_id(self) -> int | None:
        if self.stored_file is not None:
            return int(self.stored_file.pk)
        if self.item is not None:
            return int(self.item.stored_file_id)
        return None

    def token(self, user: Any) -> str:
        kind, pk = ("item", self.item.pk) if self.item is not None else ("file", self.stored_file_id)
        return signing.dumps([user.pk, self.required_document_id, kind, pk, self.name], salt=_SALT, compress=True)


def store(*, upload: Any, user: Any, required_document: RequiredDocument) -> StoredUpload:
    """Check and store one uploaded file for ``required_document``."""
    name = str(getattr(upload, "name", "") or "tep")[-120:]
    try:
        stored = file_store(data=upload, name=name, actor=user)
    except UploadRejected as refused:
        raise UploadProblem(refused.message, refused.code) from refused
    return StoredUpload(required_document.pk, name, stored_file=stored, document=required_document)


def stored_upload(token: str, *, user: Any, required_document: RequiredDocument) -> StoredUpload | None:
    """The file a signed reference names, if it was given by ``user`` for this slot."""
    try:
        owner, document_id, kind, pk, name = signing.loads(token, salt=_SALT, max_age=7 * 24 * 3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if owner != user.pk or document_id != required_document.pk:
        return None
    if kind == "item":
        item = next((i for i in reusable(user=user, required_document=required_document) if i.pk == pk), None)
        return None if item is None else StoredUpload(required_document.pk, str(name), item=item)
    stored = StoredFile.objects.filter(pk=pk).first()
    return None if stored is None else StoredUpload(required_document.pk, str(name), stored_file=stored)


def reusable(*, user: Any, required_document: RequiredDocument) -> list[Any]:
    """The valid items of the citizen's data store that may fill ``required_document``."""
    return list(reusable_items(user=user, required_document=required_document))


def reuse(*, token: str, user: Any, required_document: RequiredDocument) -> StoredUpload | None:
    """The data-store item the citizen chose for a slot (``token`` is the item's id as offered)."""
    if not token.isdigit():
        return None
    item = next((i for i in reusable(user=user, required_document=required_document) if i.pk == int(token)), None)
    if item is None:
        return None
    return StoredUpload(required_document.pk, str(item.kind), item=item)


def attachments_of(dossier: Any) -> dict[int, StoredUpload]:
    """The files already on a dossier (a draft being resumed), by required document."""
    files = DossierFile.objects.filter(dossier=dossier, replaced_at__isnull=True, required_document__isnull=False)
    found: dict[int, StoredUpload] = {}
    for f in files.select_related("stored_file"):
        slot = int(f.required_document_id or 0)
        found[slot] = StoredUpload(slot, f.name, stored_file=f.stored_file, attached=True)
    return found


def dossier_files(dossier: Any) -> list[DossierFile]:
    """The files the dossier was handed in and supplemented with (the current one of each slot),
    for its owner's page."""
    return list(
        DossierFile.objects.filter(dossier=dossier, replaced_at__isnull=True)
        .exclude(purpose="result")
        .select_related("required_document")
        .order_by("required_document__position", "id")
    )


def attach(*, dossier: Any, uploads: Any, user: Any, purpose: str, fresh: bool = False) -> None:
    """Attach the given files to ``dossier`` (inside the caller's transaction); files already on
    it are left alone (``fresh``: the dossier was just created, so it has none)."""
    uploads = list(uploads)
    documents = {u.required_document_id: u.document for u in uploads if u.document is not None}
    unknown = [u.required_document_id for u in uploads if u.required_document_id not in documents]
    if unknown:
        documents |= {d.pk: d for d in RequiredDocument.objects.filter(pk__in=unknown)}
    if fresh:
        new_files = [u for u in uploads if u.item is None and not u.attached]
        dossier_files_attach_new(
            dossier=dossier,
            files=[(u.stored_file, documents[u.required_document_id], u.name) for u in new_files],
            purpose=purpose,
            actor=user,
        )
        uploads = [u for u in uploads if u.item is not None]
    current = {} if fresh else attachments_of(dossier)
    for upload in uploads:
        same = current.get(upload.required_document_id)
        if upload.attached or (same is not None and same.stored_file_id == upload.stored_file_id):
            continue
        document = documents[upload.required_document_id]
        if upload.item is not None:
            store_item_reuse(item=upload.item, dossier=dossier, required_document=document, actor=user)
        else:
            dossier_file_attach(
                dossier=dossier,
                stored_file=upload.stored_file,
                required_document=document,
                purpose=purpose,
                name=upload.name,
                actor=user,
            )
