"""Fees and payments: dated fee policies kept by procedure controllers, payments with their
append-only history, receipts (biên lai) numbered per one-stop unit and year without gaps.

Every change goes through ``payments.services``; nothing important happens in ``save()``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import AppendOnlyModel
from dossiers.rules import Channel

from .rules import EXEMPTION, REDUCTION, PaymentState


class PolicyKind(models.TextChoices):
    REDUCTION = REDUCTION, _("Giảm phí, lệ phí")
    EXEMPTION = EXEMPTION, _("Miễn phí, lệ phí")


class BeneficiaryGroup(models.TextChoices):
    """Đối tượng được miễn, giảm (as the fee laws list them)."""

    POOR_HOUSEHOLD = "poor_household", _("Hộ nghèo, hộ cận nghèo")
    MERITORIOUS = "meritorious", _("Người có công với cách mạng")
    CHILD_UNDER_6 = "child_under_6", _("Trẻ em dưới 6 tuổi")
    DISABLED = "disabled", _("Người khuyết tật")
    ETHNIC_MINORITY = (
        "ethnic_minority",
        _("Người dân tộc thiểu số ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn"),
    )


# The channel a fee policy applies to: a dossier's channel (``dossiers.rules.Channel``), or any.
POLICY_CHANNELS = [("", _("Mọi cách thức nộp")), *Channel.choices]


class FeePolicy(models.Model):
    """Chính sách miễn, giảm phí, lệ phí: a reduction for a submission channel (e.g. 50% for
    online submission, by a resolution of the provincial People's Council) or an exemption for a
    beneficiary group, in force from ``valid_from`` to ``valid_to`` (included). No procedure
    named: every procedure; procedures named: it overrides the general policies for them."""

    kind = models.CharField(_("loại"), max_length=10, choices=PolicyKind.choices)
    title = models.CharField(_("tên chính sách"), max_length=300)
    legal_basis = models.CharField(
        _("căn cứ pháp lý"), max_length=500, help_text=_("Ví dụ: Nghị quyết số 12/2025/NQ-HĐND của HĐND tỉnh.")
    )
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    percent = models.DecimalField(
        _("tỷ lệ miễn, giảm (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    channel = models.CharField(_("cách thức nộp"), max_length=10, choices=POLICY_CHANNELS, blank=True, default="")
    beneficiary_group = models.CharField(
        _("đối tượng được miễn"), max_length=20, choices=BeneficiaryGroup.choices, blank=True
    )
    proof_document = models.CharField(
        _("giấy tờ chứng minh"), max_length=300, blank=True, help_text=_("Ví dụ: Giấy chứng nhận hộ nghèo.")
    )
    procedures = models.ManyToManyField(
        "catalog.Procedure",
        blank=True,
        related_name="fee_policies",
        verbose_name=_("thủ tục áp dụng"),
        help_text=_("Để trống: mọi thủ tục. Chính sách riêng của thủ tục được ưu tiên hơn chính sách chung."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[procedures])

    class Meta:
        verbose_name = _("chính sách miễn, giảm phí")
        verbose_name_plural = _("chính sách miễn, giảm phí")
        ordering = ["-valid_from", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="fee_policy_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="fee_policy_percent_in_range"
            ),
            models.CheckConstraint(
                condition=Q(kind=REDUCTION) | ~Q(beneficiary_group=""), name="fee_exemption_names_a_group"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Method(models.TextChoices):
    VNPAY = "vnpay", _("VNPay")
    PAYGOV = "paygov", _("Nền tảng thanh toán của Cổng Dịch vụ công quốc gia")
    CASH = "cash", _("Tiền mặt tại Bộ phận Một cửa")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản ngân hàng")


ONLINE_METHODS = frozenset({Method.VNPAY, Method.PAYGOV})


class State(models.TextChoices):
    CREATED = PaymentState.CREATED, _("Đã tạo")
    PENDING = PaymentState.PENDING, _("Đang chờ thanh toán")
    PAID = PaymentState.PAID, _("Đã thanh toán")
    FAILED = PaymentState.FAILED, _("Không thành công")
    CANCELLED = PaymentState.CANCELLED, _("Đã hủy")
    EXPIRED = PaymentState.EXPIRED, _("Hết hạn")
    REFUNDED = PaymentState.REFUNDED, _("Đã hoàn tiền")


class Payment(models.Model):
    """Một lần nộp phí, lệ phí của một hồ sơ. ``reference`` is what the gateway knows us by
    (vnp_TxnRef, MaThamChieu). ``assessment`` is the explanation as charged. A "paid" that
    arrives after the payment was given up is recorded in ``late_paid_at`` and the payment is
    flagged for refund (``needs_refund``)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(_("mã tham chiếu"), max_length=40, unique=True)
    method = models.CharField(_("hình thức"), max_length=15, choices=Method.choices)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.CREATED)
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    base_vnd = models.PositiveBigIntegerField(_("số tiền theo biểu phí (đồng)"), default=0)
    reduction_vnd = models.PositiveBigIntegerField(_("số tiền được giảm (đồng)"), default=0)
    exemption_vnd = models.PositiveBigIntegerField(_("số tiền được miễn (đồng)"), default=0)
    assessment = models.JSONField(_("diễn giải số tiền"), default=dict)
    beneficiary_group = models.CharField(
        _("đối tượng được miễn"), max_length=20, choices=BeneficiaryGroup.choices, blank=True
    )
    gateway_number = models.CharField(_("mã giao dịch của cổng thanh toán"), max_length=60, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thời điểm thanh toán"), null=True, blank=True)
    late_paid_at = models.DateTimeField(_("báo thanh toán muộn lúc"), null=True, blank=True)
    needs_refund = models.BooleanField(_("cần hoàn tiền"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The last line of defence against paying twice: one paid payment per dossier.
            models.UniqueConstraint(fields=["dossier"], condition=Q(state="paid"), name="one_paid_payment_per_dossier"),
        ]
        indexes = [
            models.Index(fields=["state", "expires_at"], name="payment_expiry"),
            models.Index(fields=["paid_at"], name="payment_paid_at"),
        ]

    def __str__(self) -> str:
        return self.reference


class Source(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    OFFICER = "officer", _("Cán bộ")
    IPN = "ipn", _("Thông báo từ cổng thanh toán")
    RETURN = "return", _("Trang kết quả thanh toán")
    QUERY = "query", _("Tra cứu giao dịch")
    SYSTEM = "system", _("Hệ thống")


class PaymentEvent(AppendOnlyModel):
    """Lịch sử thanh toán: one row per change (who or what, when, from, to, why)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(_("từ trạng thái"), max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=10, choices=State.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử thanh toán")
        verbose_name_plural = _("lịch sử thanh toán")
        ordering = ["at", "id"]


class ReceiptSequence(models.Model):
    """The last receipt number a one-stop unit gave in a year, locked while the next is taken
    inside the transaction that marks a payment paid: a rolled-back payment leaves no gap."""

    unit = models.ForeignKey("org.OneStopUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    last_number = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số biên lai cuối trong năm")
        verbose_name_plural = _("số biên lai cuối trong năm")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_receipt_sequence_per_unit_year")]


class Receipt(models.Model):
    """Biên lai thu phí, lệ phí: one per paid payment."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    unit = models.ForeignKey("org.OneStopUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    code = models.CharField(_("số biên lai"), max_length=80, unique=True)
    issued_at = models.DateTimeField(_("ngày lập"))

    class Meta:
        verbose_name = _("biên lai")
        verbose_name_plural = _("biên lai")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "number"], name="one_receipt_number")]

    def __str__(self) -> str:
        return self.code


class MismatchKind(models.TextChoices):
    """What a reconciliation finds between a gateway's statement and our payments."""

    MISSING_HERE = "missing_here", _("Có trong sao kê, không có trong hệ thống")
    MISSING_THERE = "missing_there", _("Đã thu trong hệ thống, không có trong sao kê")
    AMOUNT = "amount", _("Khác số tiền")
    STATE = "state", _("Khác trạng thái")


class Reconciliation(AppendOnlyModel):
    """Đối soát giao dịch: who compared which gateway's statement for which day, when, over the
    payments of which agencies, and how many mismatches of each kind were found. The statement
    itself is not kept (its SHA-256 says which file it was)."""

    ran_at = models.DateTimeField(_("thời điểm đối soát"), db_index=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đối soát")
    )
    method = models.CharField(_("cổng thanh toán"), max_length=15, choices=Method.choices)
    day = models.DateField(_("ngày giao dịch"))
    agencies = models.ManyToManyField("org.Agency", related_name="+", verbose_name=_("cơ quan"))
    file_name = models.CharField(_("tên tệp sao kê"), max_length=200)
    file_sha256 = models.CharField(_("mã băm SHA-256 của tệp"), max_length=64)
    statement_rows = models.PositiveIntegerField(_("số dòng sao kê"))
    our_payments = models.PositiveIntegerField(_("số giao dịch trong hệ thống"))
    missing_here = models.PositiveIntegerField(_("có trong sao kê, không có trong hệ thống"))
    missing_there = models.PositiveIntegerField(_("không có trong sao kê"))
    amount_mismatches = models.PositiveIntegerField(_("khác số tiền"))
    state_mismatches = models.PositiveIntegerField(_("khác trạng thái"))

    class Meta:
        verbose_name = _("lần đối soát giao dịch")
        verbose_name_plural = _("lần đối soát giao dịch")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.day:%d/%m/%Y}"

    @property
    def mismatches(self) -> int:
        return self.missing_here + self.missing_there + self.amount_mismatches + self.state_mismatches
