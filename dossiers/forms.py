"""Officers' forms (the counter and the dossier page): one form per action an officer may take on
a dossier, the counter's registration of a paper or postal dossier, and the queue filters.

Forms only read what the officer typed; the rules are ``dossiers.services``', whose problems
(``DossierInvalid.errors``) go back onto the form's fields. The officer API binds the same forms
to its JSON body, so a page and the API refuse the same input with the same words.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from catalog.models import ProcedureVersion, RequiredDocument
from common.formats import format_vnd_per_unit
from org.models import Agency, OneStopUnit

from . import services
from .delivery import POSTAL_FORM_FIELDS, PostalAddress, address_line, commune_choices, guess_commune
from .fees import fee_desk
from .models import Dossier, Handed
from .officer_selectors import Handler
from .rules import Action, Channel, ResultDelivery, State
from .selectors import QueueFilter


def choices_of(field: forms.Field) -> forms.ChoiceField:
    return cast(forms.ChoiceField, field)


# --- Queue filters ---------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Mã hồ sơ hoặc tên người nộp"), required=False, max_length=100)
    # Any code is a filter (one the officer's agencies do not process finds nothing), so that a
    # filter never silently falls back to the whole queue.
    thu_tuc = forms.CharField(label=gettext_lazy("Thủ tục"), required=False, max_length=40)
    trang_thai = forms.ChoiceField(label=gettext_lazy("Trạng thái"), required=False)

    def __init__(self, *args: Any, procedures: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure_choices = [("", _("Tất cả thủ tục")), *procedures]
        choices_of(self.fields["trang_thai"]).choices = [
            ("", _("Tất cả trạng thái")),
            *[(state.value, state.label) for state in State if state != State.DRAFT],
        ]

    def filters(self) -> QueueFilter:
        self.is_valid()
        data = self.cleaned_data
        return QueueFilter(
            procedure=data.get("thu_tuc", ""), state=data.get("trang_thai", ""), search=data.get("q", "")
        )


# --- Actions on a dossier --------------------------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class ActionForm(forms.Form):
    """The version of the dossier the officer saw: of two officers acting at once, one wins and
    the other is told the dossier changed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    action: Action
    submit_label: Any = gettext_lazy("Thực hiện")

    def __init__(
        self, *args: Any, dossier: Dossier, handlers: Sequence[Handler] = (), proposed: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", self.action.value)
        kwargs.setdefault("initial", {"version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    @property
    def seen_version(self) -> int:
        """The version of the dossier the officer saw when the form was shown."""
        return int(self.cleaned_data["version"])

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        """Take the action on ``dossier`` as the caller has just read it (``read_for_transition``):
        it goes through only if the dossier is still at the version the officer saw."""
        raise NotImplementedError


class NoteField(forms.CharField):
    def __init__(self, label: Any = None, *, required: bool = False, **kwargs: Any) -> None:
        super().__init__(
            label=label or gettext_lazy("Ghi chú"),
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            **kwargs,
        )


class ReceiveForm(ActionForm):
    """Tiếp nhận. When the procedure has no working days, the officer sets the due date with the
    reason (asked only then)."""

    action = Action.RECEIVE
    submit_label = gettext_lazy("Tiếp nhận và in giấy tiếp nhận")
    due_on = forms.DateField(
        label=gettext_lazy("Ngày hẹn trả kết quả"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "Thủ tục chưa quy định thời hạn giải quyết bằng ngày làm việc: "
            "đặt ngày hẹn là một ngày làm việc sau hôm nay."
        ),
    )
    due_reason = NoteField(gettext_lazy("Lý do, căn cứ xác định ngày hẹn (ghi vào lịch sử hồ sơ)"))
    note = NoteField()

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        self.sets_due_date = dossier.procedure_version.working_days(dossier.channel) is None
        if not self.sets_due_date:
            del self.fields["due_on"], self.fields["due_reason"]
        else:
            self.fields["due_on"].required = True
            self.fields["due_reason"].required = True

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_receive(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            note=self.cleaned_data["note"],
            due_on=self.cleaned_data.get("due_on"),
            due_reason=self.cleaned_data.get("due_reason", ""),
        )


class RefuseIntakeForm(ActionForm):
    action = Action.REFUSE_INTAKE
    submit_label = gettext_lazy("Từ chối tiếp nhận")
    reason = NoteField(gettext_lazy("Lý do từ chối (in trên phiếu từ chối)"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_refuse_intake(
            actor=actor, dossier=dossier, expected_version=self.seen_version, reason=self.cleaned_data["reason"]
        )


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    submit_label = gettext_lazy("Gửi yêu cầu bổ sung")
    documents = forms.MultipleChoiceField(
        label=gettext_lazy("Giấy tờ còn thiếu"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=gettext_lazy("Nội dung khác cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = NoteField()

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        names = [d.name for d in dossier.procedure_version.documents.all()]
        choices_of(self.fields["documents"]).choices = [(name, name) for name in names]

    def missing(self) -> list[str]:
        return [*self.cleaned_data["documents"], *_lines(self.cleaned_data["other"])]

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_request_supplement(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            missing=self.missing(),
            note=self.cleaned_data["note"],
        )


class SupplementForm(ActionForm):
    action = Action.SUPPLEMENT
    submit_label = gettext_lazy("Ghi nhận người nộp đã bổ sung")
    note = NoteField(gettext_lazy("Giấy tờ đã nhận bổ sung"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_supplement(
            actor=actor, dossier=dossier, expected_version=self.seen_version, note=self.cleaned_data["note"]
        )


class _HandOverForm(ActionForm):
    to = forms.TypedChoiceField(label=gettext_lazy("Chuyển cho"), coerce=int, required=False, empty_value=None)
    note = NoteField()

    def __init__(
        self, *args: Any, dossier: Dossier, handlers: Sequence[Handler] = (), proposed: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        # The people of the proposed step first; anyone of the agency may still be chosen.
        ordered = sorted(handlers, key=lambda h: h.role != proposed)
        self.handlers = {h.user.pk: h.user for h in ordered}
        choices_of(self.fields["to"]).choices = [*self.empty_choice(), *[(h.user.pk, h.label) for h in ordered]]
        first = next((h for h in ordered if h.role == proposed), None)
        if first is not None and not self.is_bound:
            self.initial.setdefault("to", first.user.pk)

    def empty_choice(self) -> list[tuple[str, str]]:
        return []

    def recipient(self) -> Any:
        chosen = self.cleaned_data.get("to")
        return self.handlers.get(chosen) if chosen is not None else None


class AssignForm(_HandOverForm):
    action = Action.ASSIGN
    submit_label = gettext_lazy("Chuyển cơ quan giải quyết")

    def empty_choice(self) -> list[tuple[str, str]]:
        return [("", _("Cơ quan giải quyết tự phân công"))]

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_assign(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            to=self.recipient(),
            note=self.cleaned_data["note"],
        )


class ForwardForm(_HandOverForm):
    action = Action.FORWARD
    submit_label = gettext_lazy("Chuyển bước xử lý")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].required = True

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_forward(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            to=self.recipient(),
            note=self.cleaned_data["note"],
        )


class ReturnStepForm(ActionForm):
    action = Action.RETURN_STEP
    submit_label = gettext_lazy("Trả lại bước trước")
    reason = NoteField(gettext_lazy("Lý do trả lại"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_return_step(
            actor=actor, dossier=dossier, expected_version=self.seen_version, reason=self.cleaned_data["reason"]
        )


class RequestPaymentForm(ActionForm):
    """The officer picks the catalog's fee lines (a quantity for a fee charged per unit); the
    amount is the fee desk's, the one the payment charges. An amount typed instead needs a reason
    (kept in the history and audited)."""

    action = Action.REQUEST_PAYMENT
    submit_label = gettext_lazy("Yêu cầu nộp phí, lệ phí")
    override_vnd = forms.IntegerField(
        label=gettext_lazy("Số tiền khác biểu phí (đồng), nếu có"),
        required=False,
        min_value=1,
        max_value=10_000_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Lý do nhập số tiền khác biểu phí"), required=False, max_length=500
    )
    note = NoteField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "vi"
        self.fee_choices = fee_desk().choices(self.dossier)
        fields: dict[str, forms.Field] = {}
        for choice in self.fee_choices:
            price = format_vnd_per_unit(choice.amount_vnd, choice.unit, language)
            fields[f"fee_{choice.key}"] = forms.BooleanField(
                label=f"{choice.description or _('Phí, lệ phí')} — {price}", required=False, initial=choice.default
            )
            if choice.counted:
                fields[f"qty_{choice.key}"] = forms.IntegerField(
                    label=_("Số lượng (%(unit)s)") % {"unit": choice.unit},
                    min_value=1,
                    max_value=999,
                    initial=1,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
        # The fee lines first, then the override and the note.
        self.fields = {
            "version": self.fields["version"],
            **fields,
            **{k: v for k, v in self.fields.items() if k != "version"},
        }

    def picks(self) -> dict[int, int]:
        data = self.cleaned_data
        return {
            choice.key: int(data.get(f"qty_{choice.key}") or 1)
            for choice in self.fee_choices
            if data.get(f"fee_{choice.key}")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.picks() and data.get("override_vnd") is None:
            raise forms.ValidationError(_("Chọn khoản phí, lệ phí cần nộp (hoặc nhập số tiền và lý do)."))
        if data.get("override_vnd") is not None and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", _("Ghi lý do khi nhập số tiền khác với biểu phí."))
        return data

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        data = self.cleaned_data
        return services.dossier_request_payment(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            fee_items=self.picks(),
            override_vnd=data.get("override_vnd"),
            override_reason=data.get("override_reason") or "",
            note=data["note"],
        )


class MarkPaidForm(ActionForm):
    action = Action.MARK_PAID
    submit_label = gettext_lazy("Xác nhận đã nộp phí, lệ phí")
    receipt_number = forms.CharField(label=gettext_lazy("Số biên lai"), required=False, max_length=60)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_mark_paid(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            receipt_number=self.cleaned_data["receipt_number"],
        )


class WithdrawForm(ActionForm):
    action = Action.WITHDRAW
    submit_label = gettext_lazy("Ghi nhận rút hồ sơ theo đề nghị của người nộp")
    reason = NoteField(gettext_lazy("Nội dung đề nghị rút hồ sơ"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_withdraw(
            actor=actor, dossier=dossier, expected_version=self.seen_version, reason=self.cleaned_data["reason"]
        )


class StopForm(ActionForm):
    action = Action.STOP
    submit_label = gettext_lazy("Dừng xử lý hồ sơ")
    reason = NoteField(gettext_lazy("Lý do dừng xử lý (in trên thông báo)"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_stop(
            actor=actor, dossier=dossier, expected_version=self.seen_version, reason=self.cleaned_data["reason"]
        )


class ApproveForm(ActionForm):
    action = Action.APPROVE
    submit_label = gettext_lazy("Phê duyệt")
    note = NoteField()

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_approve(
            actor=actor, dossier=dossier, expected_version=self.seen_version, note=self.cleaned_data["note"]
        )


class RefuseForm(ActionForm):
    action = Action.REFUSE
    submit_label = gettext_lazy("Từ chối giải quyết")
    reasons = forms.CharField(
        label=gettext_lazy("Lý do từ chối giải quyết (mỗi dòng một lý do)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_refuse(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            reasons=_lines(self.cleaned_data["reasons"]),
        )


class ExtendForm(ActionForm):
    action = Action.EXTEND
    submit_label = gettext_lazy("Gửi phiếu xin lỗi và hẹn lại ngày trả")
    new_due_on = forms.DateField(
        label=gettext_lazy("Ngày hẹn trả mới"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    apology = NoteField(gettext_lazy("Lý do chậm trễ và lời xin lỗi"), required=True)

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        new_due_on: datetime.date = self.cleaned_data["new_due_on"]
        return services.dossier_extend(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            new_due_on=new_due_on,
            apology=self.cleaned_data["apology"],
        )


class ResultReadyForm(ActionForm):
    action = Action.RESULT_READY
    submit_label = gettext_lazy("Báo người nộp đã có kết quả")
    note = NoteField()

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        return services.dossier_result_ready(
            actor=actor, dossier=dossier, expected_version=self.seen_version, note=self.cleaned_data["note"]
        )


class ReturnResultForm(ActionForm):
    action = Action.RETURN_RESULT
    submit_label = gettext_lazy("Trả kết quả")
    method = forms.ChoiceField(label=gettext_lazy("Hình thức trả"), choices=ResultDelivery.choices)
    tracking_number = forms.CharField(
        label=gettext_lazy("Số hiệu bưu gửi (khi trả qua bưu chính)"), required=False, max_length=60
    )
    note = NoteField()

    def __init__(self, *args: Any, dossier: Dossier, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("method", dossier.result_delivery)
        # Where to send it, when the citizen asked for the post.
        self.send_to = dossier.postal_destination

    def perform(self, actor: Any, dossier: Dossier) -> Dossier:
        data = self.cleaned_data
        return services.dossier_return_result(
            actor=actor,
            dossier=dossier,
            expected_version=self.seen_version,
            method=data["method"],
            tracking_number=data["tracking_number"],
            note=data["note"],
        )


ACTION_FORMS: Mapping[Action, type[ActionForm]] = {
    form.action: form
    for form in (
        ReceiveForm,
        RefuseIntakeForm,
        RequestSupplementForm,
        SupplementForm,
        AssignForm,
        ForwardForm,
        ReturnStepForm,
        RequestPaymentForm,
        MarkPaidForm,
        WithdrawForm,
        StopForm,
        ApproveForm,
        RefuseForm,
        ExtendForm,
        ResultReadyForm,
        ReturnResultForm,
    )
}

# The service's field names (DossierInvalid.errors) → the form's.
_ERROR_FIELDS: Mapping[str, str] = {"missing": "other", "reasons": "reasons", "to": "to", "method": "method"}


def add_service_errors(form: forms.Form, errors: Mapping[str, str]) -> None:
    """Put a service's problems next to the fields they are about (the rest above the form)."""
    for key, message in errors.items():
        name = _ERROR_FIELDS.get(key, key)
        form.add_error(name if name in form.fields else None, message)


# --- The counter: a paper or postal dossier --------------------------------------------------

HANDED_CHOICES = [("", gettext_lazy("Không nộp")), *[(h.value, h.label) for h in Handed if h != Handed.ELECTRONIC]]


class RegisterForm(forms.Form):
    """Đăng ký hồ sơ tại Bộ phận Một cửa: the applicant's details, where the dossier goes, how
    it came and how the result goes back, and the checklist of the procedure's required documents
    with what was handed in (form and quantity)."""

    name = forms.CharField(label=gettext_lazy("Họ và tên người nộp"), max_length=200)
    personal_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.CharField(label=gettext_lazy("Thư điện tử"), required=False, max_length=254)
    address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=500)
    organization_name = forms.CharField(label=gettext_lazy("Tên tổ chức (nếu có)"), required=False, max_length=300)
    tax_code = forms.CharField(label=gettext_lazy("Mã số thuế tổ chức"), required=False, max_length=14)
    agency = forms.TypedChoiceField(label=gettext_lazy("Cơ quan giải quyết"), coerce=int)
    unit = forms.TypedChoiceField(label=gettext_lazy("Nơi tiếp nhận"), coerce=int)
    channel = forms.ChoiceField(
        label=gettext_lazy("Cách thức nộp"),
        choices=[(Channel.COUNTER.value, Channel.COUNTER.label), (Channel.POSTAL.value, Channel.POSTAL.label)],
    )
    result_delivery = forms.ChoiceField(label=gettext_lazy("Hình thức nhận kết quả"), choices=ResultDelivery.choices)
    # Nhận kết quả qua dịch vụ bưu chính: required only for that choice (checked by the services).
    postal_recipient_name = forms.CharField(
        label=gettext_lazy("Người nhận kết quả"),
        required=False,
        help_text=gettext_lazy("Để trống nếu là người nộp."),
        widget=forms.TextInput(attrs={"maxlength": "200"}),
    )
    postal_phone = forms.CharField(
        label=gettext_lazy("Số điện thoại người nhận"),
        required=False,
        help_text=gettext_lazy("Để trống nếu là số của người nộp."),
        widget=forms.TextInput(attrs={"type": "tel", "maxlength": "20"}),
    )
    postal_address = forms.CharField(
        label=gettext_lazy("Số nhà, đường phố hoặc thôn, tổ dân phố"),
        required=False,
        help_text=gettext_lazy("Để trống nếu gửi đến địa chỉ của người nộp."),
        widget=forms.TextInput(attrs={"maxlength": "300"}),
    )
    postal_commune = forms.ChoiceField(label=gettext_lazy("Xã, phường, đặc khu"), required=False)

    POSTAL_FIELDS = POSTAL_FORM_FIELDS

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        agencies: Sequence[Agency],
        units: Sequence[OneStopUnit],
        communes: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.communes = list(communes)
        choices_of(self.fields["postal_commune"]).choices = commune_choices(
            [(c.code, c.name, c.province) for c in communes], _("— Chọn xã, phường, đặc khu —")
        )
        self.agencies = {a.pk: a for a in agencies}
        self.units = {u.pk: u for u in units}
        choices_of(self.fields["agency"]).choices = [(a.pk, a.name) for a in agencies]
        choices_of(self.fields["unit"]).choices = [(u.pk, u.name) for u in units]
        self.documents: list[RequiredDocument] = list(version.documents.all())
        for document in self.documents:
            self.fields[f"doc_{document.pk}_form"] = forms.ChoiceField(
                label=document.name, choices=HANDED_CHOICES, required=False
            )
            self.fields[f"doc_{document.pk}_quantity"] = forms.IntegerField(
                label=_("Số lượng"),
                min_value=1,
                max_value=99,
                initial=1,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quantity"}),
            )

    def postal_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.POSTAL_FIELDS.values()]

    def postal(self) -> PostalAddress | None:
        """Where the result goes by post (only for that choice): to the applicant at their
        address (its commune when the address names one) unless somebody or somewhere else is
        written."""
        data = self.cleaned_data
        if data["result_delivery"] != ResultDelivery.POST:
            return None
        address, commune = data["postal_address"].strip(), data["postal_commune"]
        if not address:
            commune = commune or guess_commune(data["address"], [(c.code, c.name) for c in self.communes])
            named = next((c for c in self.communes if c.code == commune), None)
            address = address_line(data["address"], named.name) if named is not None else data["address"]
        return PostalAddress(
            recipient_name=data["postal_recipient_name"].strip() or data["name"],
            phone=data["postal_phone"].strip() or data["phone"],
            address=address,
            commune=commune,
        )

    def checklist(self) -> list[tuple[RequiredDocument, forms.BoundField, forms.BoundField]]:
        return [(d, self[f"doc_{d.pk}_form"], self[f"doc_{d.pk}_quantity"]) for d in self.documents]

    def handed(self) -> list[services.HandedDocument]:
        handed = []
        for document in self.documents:
            form = self.cleaned_data.get(f"doc_{document.pk}_form")
            if form:
                quantity = self.cleaned_data.get(f"doc_{document.pk}_quantity") or 1
                handed.append(services.HandedDocument(document.pk, form, quantity))
        return handed

    def intake(self) -> services.Intake:
        data = self.cleaned_data
        return services.Intake(
            procedure_version=self.version,
            processing_agency=self.agencies[data["agency"]],
            receiving_unit=self.units[data["unit"]],
            applicant=services.Applicant(
                name=data["name"],
                personal_id=data["personal_id"].strip(),
                address=data["address"],
                phone=data["phone"].strip(),
                email=data["email"].strip(),
                tax_code=data["tax_code"].strip(),
                organization_name=data["organization_name"],
            ),
            result_delivery=data["result_delivery"],
            channel=data["channel"],
            documents=self.handed(),
            postal=self.postal(),
        )

    def add_service_errors(self, errors: Mapping[str, str]) -> None:
        fields = {"applicant.tax_code": "tax_code", "procedure": None, "unit": "unit", "agency": "agency"}
        for key, message in errors.items():
            if key.startswith("documents."):
                position = int(key.split(".")[1])
                handed = self.handed()
                target: str | None = (
                    f"doc_{handed[position].required_document}_form" if position < len(handed) else None
                )
            elif key in fields:
                target = fields[key]
            elif key.startswith("postal."):
                target = self.POSTAL_FIELDS.get(key.removeprefix("postal."))
            else:
                target = key.removeprefix("applicant.")
            self.add_error(target if target in self.fields else None, message)
