"""Hồ sơ: dossiers submitted for administrative procedures, their documents, their append-only
history, clock stops and the daily code sequences (the citizen's notifications are in the
notifications app's outbox).

Every change of a dossier goes through ``dossiers.services`` (one function per transition);
nothing important happens in ``save()``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel
from org.models import Role

from . import delivery
from .rules import AGENCY_ROLES, NATIONAL_STATUS, SYSTEM_ROLES, Action, Channel, Outcome, ResultDelivery, State

STEP_ROLES = AGENCY_ROLES


class Dossier(models.Model):
    """Hồ sơ thủ tục hành chính. The applicant's details are a snapshot taken at submission:
    what the slips and the log book must show even if the account changes later. The personal
    identification number and phone are never logged nor shown in lists unmasked."""

    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("thủ tục")
    )
    # The foreign keys that an index of Meta.indexes begins with have no index of their own: every
    # index is written again on each transition of a million-row table.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="dossiers",
        verbose_name=_("tài khoản người nộp"),
        help_text=_("Để trống với hồ sơ nộp trực tiếp hoặc qua bưu chính của người chưa có tài khoản."),
    )
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=200)
    # The name folded (common.text.fold): officers find a dossier by the name however it is typed.
    applicant_folded = models.CharField(max_length=200, blank=True, default="", editable=False)
    applicant_personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500)
    organization_tax_code = models.CharField(_("mã số thuế tổ chức"), max_length=14, blank=True)
    organization_name = models.CharField(_("tên tổ chức"), max_length=300, blank=True)

    channel = models.CharField(_("cách thức nộp"), max_length=10, choices=Channel.choices)
    result_delivery = models.CharField(_("hình thức nhận kết quả"), max_length=10, choices=ResultDelivery.choices)
    receiving_unit = models.ForeignKey(
        "org.OneStopUnit",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="dossiers",
        verbose_name=_("nơi tiếp nhận"),
    )
    processing_agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="dossiers",
        verbose_name=_("cơ quan giải quyết"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
        verbose_name=_("người đang xử lý"),
    )

    state = models.CharField(_("trạng thái"), max_length=25, choices=State.choices, default=State.DRAFT)
    outcome = models.CharField(_("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True)
    # Unique by a constraint (one_dossier_per_code): a unique field would also get a second index
    # for LIKE 'prefix%' on PostgreSQL, which no query uses.
    code = models.CharField(_("mã hồ sơ"), max_length=80, null=True, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_on = models.DateField(_("ngày hẹn trả"), null=True, blank=True)
    original_due_on = models.DateField(
        _("ngày hẹn trả ban đầu"),
        null=True,
        blank=True,
        help_text=_("Không tính gia hạn; thống kê đúng hạn, quá hạn theo ngày này."),
    )
    # Thời hạn do Bộ phận Một cửa hẹn: for a procedure without working days, the working days from
    # reception to the due date the officer set with a reason (rules.counter_due_problems).
    counter_working_days = models.PositiveSmallIntegerField(
        _("số ngày làm việc do cán bộ tiếp nhận hẹn"),
        null=True,
        blank=True,
        help_text=_("Chỉ với thủ tục chưa quy định thời hạn bằng ngày làm việc; lý do ghi trong lịch sử tiếp nhận."),
    )
    extended = models.BooleanField(_("đã hẹn lại ngày trả"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("số ngày làm việc gia hạn"), default=0)
    finished_at = models.DateTimeField(_("thời điểm kết thúc xử lý"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    result_returned_by = models.CharField(
        _("hình thức đã trả kết quả"), max_length=10, choices=ResultDelivery.choices, blank=True
    )
    postal_tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=60, blank=True)
    # Where the result goes when it is received by post (only then; empty otherwise): personal
    # data, shown to the citizen and to the officers of the dossier's agencies only.
    postal_recipient_name = models.CharField(
        _("người nhận kết quả qua bưu chính"), max_length=delivery.RECIPIENT_MAX_LENGTH, blank=True
    )
    postal_recipient_phone = models.CharField(
        _("điện thoại người nhận"), max_length=delivery.PHONE_MAX_LENGTH, blank=True
    )
    postal_address = models.CharField(
        _("địa chỉ nhận kết quả (số nhà, đường, thôn, tổ)"), max_length=delivery.ADDRESS_MAX_LENGTH, blank=True
    )
    postal_commune = models.ForeignKey(
        "org.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # no dossier is looked up by it
        related_name="+",
        verbose_name=_("xã, phường, đặc khu nhận kết quả"),
    )
    supplement_request_count = models.PositiveSmallIntegerField(
        _("số lần yêu cầu bổ sung"),
        default=0,
        help_text=_("Chỉ tính các lần yêu cầu sau khi tiếp nhận; quá một lần là quá hạn theo chỉ số quốc gia."),
    )

    version = models.PositiveIntegerField(
        _("phiên bản"), default=1, help_text=_("Tăng sau mỗi thao tác; hai thao tác cùng lúc thì chỉ một được ghi.")
    )
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    form_data = models.JSONField(_("thông tin tờ khai"), default=dict, blank=True)
    # The form (tờ khai) in force when the data was filled in: its schema reads the data.
    declaration_form = models.ForeignKey(
        "catalog.DeclarationForm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mẫu tờ khai"),
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("thời điểm cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="one_dossier_per_code"),
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="one_dossier_per_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(submitted_at__isnull=False), name="dossier_code_only_when_submitted"
            ),
            # A postal address is kept only for a result that goes by post.
            models.CheckConstraint(
                condition=Q(result_delivery=ResultDelivery.POST)
                | Q(
                    postal_recipient_name="", postal_recipient_phone="", postal_address="", postal_commune__isnull=True
                ),
                name="dossier_postal_address_only_by_post",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_unit", "state", "due_on"], name="dossier_unit_queue"),
            models.Index(fields=["processing_agency", "state", "due_on"], name="dossier_agency_queue"),
            # The dashboard's counts, read from the index alone: a counter's queues by unit and
            # state within the officer's agencies, a handler's by agency, state and assignee.
            models.Index(fields=["receiving_unit", "state", "processing_agency"], name="dossier_unit_counts"),
            models.Index(fields=["processing_agency", "state", "assignee"], name="dossier_agency_counts"),
            models.Index(fields=["applicant", "-created_at"], name="dossier_applicant"),
        ]

    def __str__(self) -> str:
        return self.code or _("Hồ sơ chưa có mã (#%(id)s)") % {"id": self.pk}

    def processing_days(self) -> int | None:
        """The working days the dossier is given: those the counter officer set at reception (a
        procedure without working days), else the procedure's for the channel it came by."""
        if self.counter_working_days is not None:
            return self.counter_working_days
        return self.procedure_version.working_days(self.channel)

    @property
    def national_status(self) -> int | None:
        return NATIONAL_STATUS[State(self.state)]

    @property
    def by_post(self) -> bool:
        return self.result_delivery == ResultDelivery.POST

    @property
    def postal_destination(self) -> str:
        """Where the result is sent by post, as written on the envelope: the address line, the
        commune and its province (the contact address for a dossier registered before the postal
        address was asked). Empty unless the result goes by post."""
        if not self.by_post:
            return ""
        if not self.postal_address:
            return self.applicant_address
        commune = self.postal_commune
        places = [commune.name, commune.parent.name if commune.parent_id and commune.parent else ""] if commune else []
        return delivery.full_address(self.postal_address, *places)


class Handed(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    ELECTRONIC = "electronic", _("Bản điện tử")


class DossierDocument(models.Model):
    """Thành phần hồ sơ đã nộp: which required document it fills and in what form it was handed
    in. The files themselves come with the documents app."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, db_index=False, related_name="documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    handed_in = models.CharField(_("hình thức"), max_length=15, choices=Handed.choices)
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("giấy tờ đã nộp")
        verbose_name_plural = _("giấy tờ đã nộp")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "required_document", "handed_in"], name="one_row_per_document_form"
            )
        ]


class DossierEvent(AppendOnlyModel):
    """Lịch sử xử lý: one row per transition (who, when, from, to, why, attachments), the source
    of the processing control sheet. Rows are never changed or deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    # Who acted and to whom a dossier was handed have no index: history is read by dossier, never
    # by person, and each index costs every transition a write into a table of millions of rows
    # (deleting an account, which these rows protect, reads the table through).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    actor_role = models.CharField(_("với vai trò"), max_length=30, blank=True)
    action = models.CharField(_("thao tác"), max_length=25, choices=Action.choices)
    from_state = models.CharField(_("từ trạng thái"), max_length=25, choices=State.choices)
    to_state = models.CharField(_("sang trạng thái"), max_length=25, choices=State.choices)
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
        verbose_name=_("chuyển cho"),
    )
    note = models.TextField(_("ghi chú, lý do"), blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    attachments = models.JSONField(_("tệp đính kèm"), default=list, blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý")
        verbose_name_plural = _("lịch sử xử lý")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def by_system(self) -> bool:
        """Taken by a system on its own (the payment platform), not by a person."""
        return self.actor_id is None and self.actor_role in SYSTEM_ROLES


class StopReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


class ClockStop(models.Model):
    """Thời gian tạm dừng tính thời hạn: from the day the citizen was asked to the day they
    answered, both included; open while waiting."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="clock_stops")
    reason = models.CharField(_("lý do"), max_length=10, choices=StopReason.choices)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("tạm dừng tính thời hạn")
        verbose_name_plural = _("tạm dừng tính thời hạn")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(ended_on__isnull=True), name="one_open_clock_stop_per_dossier"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="clock_stop_ends_after_start",
            ),
        ]


class DailySequence(models.Model):
    """The last dossier number given by a one-stop unit on a day. One row per unit and day,
    locked while a reception takes the next number, so that codes are never reused and have no
    gaps."""

    unit = models.ForeignKey("org.OneStopUnit", on_delete=models.PROTECT, db_index=False, related_name="+")
    day = models.DateField(_("ngày"))
    last_number = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_sequence_per_unit_and_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%Y-%m-%d}: {self.last_number}"


class ProcessingStep(models.Model):
    """Bước xử lý trong cơ quan giải quyết: the hands a dossier of a procedure passes through
    inside the processing agency (chuyên viên → lãnh đạo phòng → lãnh đạo cơ quan), kept by
    procedure controllers. Without any, a dossier goes from a processing officer to a leader."""

    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.CASCADE, related_name="processing_steps", verbose_name=_("thủ tục")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(
        _("vai trò thực hiện"),
        max_length=30,
        choices=[(role, label) for role, label in Role.choices if role in STEP_ROLES],
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="one_step_per_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class SlipKind(models.TextChoices):
    """The slips issued at a transition and kept with the dossier (the control sheet and the log
    book are made on demand from the history instead)."""

    RECEIPT = "receipt", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    SUPPLEMENT = "supplement", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")
    APOLOGY = "apology", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", _("Thông báo dừng xử lý hồ sơ")


def _slip_path(instance: DossierSlip, filename: str) -> str:
    # Not guessable: a slip carries the applicant's name and address.
    return f"dossiers/slips/{secrets.token_urlsafe(24)}.pdf"


class DossierSlip(models.Model):
    """Phiếu đã phát hành: the PDF issued at one transition, stored once so that a reprint is the
    very document the citizen was given."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="slips")
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="slip")
    kind = models.CharField(_("loại phiếu"), max_length=15, choices=SlipKind.choices)
    file = models.FileField(_("tệp"), upload_to=_slip_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu đã phát hành")
        verbose_name_plural = _("phiếu đã phát hành")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="dossier_slip_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y %H:%M})"


class OfficerIdempotency(models.Model):
    """The first answer to an officer's API write sent with an ``Idempotency-Key``: a retry with
    the same key gets it again instead of acting twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("câu trả lời đã ghi theo khóa chống lặp của cán bộ")
        verbose_name_plural = _("câu trả lời đã ghi theo khóa chống lặp của cán bộ")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_officer_key")]
