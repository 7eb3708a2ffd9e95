"""Phản ánh, kiến nghị: the items people send (web form, hotline, paper at the counter), their
append-only history, their attachments, the dated deadline rules, the routing rules and the
province's daily code sequence.

Every change of an item goes through ``feedback.services`` (one function per transition); nothing
important happens in ``save()``. The sender's name, address, phone and e-mail are personal data:
shown to the sender and to the officers of the item's agency, never in a public page, a URL or a
log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import AppendOnlyModel

from .rules import SYSTEM_ROLES, WORD_LENGTH, Action, Channel, ReplyBy, State, Topic


class FeedbackItem(models.Model):
    """Một phản ánh, kiến nghị."""

    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("lĩnh vực phản ánh"), max_length=12, choices=Topic.choices, default=Topic.OTHER)
    subject = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))

    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        verbose_name=_("tài khoản người gửi"),
    )
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=200)
    sender_address = models.CharField(_("địa chỉ người gửi"), max_length=500)
    sender_phone = models.CharField(_("số điện thoại người gửi"), max_length=20)
    sender_email = models.EmailField(_("thư điện tử người gửi"), blank=True)
    reply_by = models.CharField(
        _("nhận thông báo, trả lời qua"), max_length=10, choices=ReplyBy.choices, default=ReplyBy.SMS
    )
    language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")

    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        verbose_name=_("thủ tục liên quan"),
    )
    named_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan người gửi nêu"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_items",
        verbose_name=_("hồ sơ liên quan"),
        help_text=_("Chỉ khi mã hồ sơ đã được đối chiếu với người nộp."),
    )
    # The agency that holds the item now: the desk (the routing rule without conditions) until it
    # is routed, then the competent agency. Officers see the items of their agencies only.
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="feedback_items", verbose_name=_("cơ quan đang giữ")
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        verbose_name=_("trùng với"),
        help_text=_("Cùng người gửi, cùng nội dung trong thời hạn: liên kết, không đếm hai lần."),
    )

    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.RECEIVED)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    classified_at = models.DateTimeField(_("thời điểm phân loại"), null=True, blank=True)
    reached_agency_at = models.DateTimeField(_("thời điểm đến cơ quan có thẩm quyền"), null=True, blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    classify_by = models.DateField(_("hạn phân loại"))
    forward_by = models.DateField(_("hạn chuyển cơ quan có thẩm quyền"))
    answer_by = models.DateField(_("hạn trả lời"))
    publish_by = models.DateField(_("hạn công khai"), null=True, blank=True)

    # Hotline calls (Channel.HOTLINE): when the call began and how long it lasted.
    call_started_at = models.DateTimeField(_("thời điểm gọi"), null=True, blank=True)
    call_seconds = models.PositiveIntegerField(_("thời lượng cuộc gọi (giây)"), null=True, blank=True)

    answer_text = models.TextField(_("nội dung trả lời"), blank=True)
    answer_file = models.ForeignKey(
        "documents.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("văn bản trả lời (PDF)"),
    )
    answered_by_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan trả lời"),
    )
    # What the public sees, confirmed by an officer: personal data removed (rules.redact).
    public_subject = models.CharField(_("tiêu đề công khai"), max_length=200, blank=True)
    public_question = models.TextField(_("nội dung công khai"), blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    public_folded = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "state", "answer_by"], name="feedback_agency_queue"),
            models.Index(fields=["sender_phone", "received_at"], name="feedback_sender_phone"),
            models.Index(fields=["state", "procedure", "-published_at"], name="feedback_published"),
            models.Index(fields=["state", "-published_at"], name="feedback_published_newest"),
            models.Index(fields=["received_at"], name="feedback_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=State.PUBLISHED) | ~Q(public_answer=""), name="feedback_published_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PublicWord(models.Model):
    """One folded word (``common.text.fold``) of a published answer's public text: the index of the
    public answers' search, so that a word is found through a B-tree on SQLite and PostgreSQL
    alike instead of a ``LIKE '%word%'`` scan of every item. Written when the answer is published,
    removed when it is taken down (reopened)."""

    word = models.CharField(max_length=WORD_LENGTH)
    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "item"], name="feedback_public_word")]
        # The PostgreSQL operator class lets a prefix (LIKE 'word%') use the index whatever the
        # database's collation; other databases ignore it (SQLite reads a prefix as a range).
        indexes = [
            models.Index(fields=["word"], name="feedback_public_word_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["item", "word"], name="feedback_public_word_item"),
        ]


class FeedbackAttachment(models.Model):
    """Tệp đính kèm: checked and stored by the documents app."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=200)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


class FeedbackEvent(AppendOnlyModel):
    """Lịch sử xử lý: one row per transition (who, when, from, to, where, why). Never changed."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    actor_role = models.CharField(_("với vai trò"), max_length=20, blank=True)
    action = models.CharField(_("thao tác"), max_length=12, choices=[("receive", _("Tiếp nhận")), *Action.choices])
    from_state = models.CharField(_("từ trạng thái"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=12, choices=State.choices)
    from_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    to_agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    note = models.TextField(_("ghi chú, lý do"), blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch sử xử lý phản ánh")
        verbose_name_plural = _("lịch sử xử lý phản ánh")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"], name="feedback_event_item")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def by_system(self) -> bool:
        return self.actor_id is None and self.actor_role in SYSTEM_ROLES


class DeadlineRule(models.Model):
    """Thời hạn xử lý phản ánh, kiến nghị (working days), in force from a date: controllers change
    them by adding a row, so an item is judged by the rule of the day it was received."""

    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    classify_days = models.PositiveSmallIntegerField(_("phân loại hoặc từ chối trong (ngày làm việc)"), default=2)
    forward_days = models.PositiveSmallIntegerField(_("chuyển cơ quan có thẩm quyền trong"), default=5)
    answer_days = models.PositiveSmallIntegerField(_("trả lời trong"), default=15)
    publish_days = models.PositiveSmallIntegerField(_("công khai sau khi trả lời trong"), default=2)
    legal_basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn xử lý phản ánh")
        verbose_name_plural = _("thời hạn xử lý phản ánh")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y}"


class RoutingRule(models.Model):
    """Quy tắc phân luồng: an item matching every condition given goes to ``agency`` at once. A rule
    with no condition names the desk (tổ tiếp nhận) where unclear items wait for a person."""

    agency = models.ForeignKey("org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("chuyển đến"))
    topic = models.CharField(_("lĩnh vực phản ánh"), max_length=12, choices=Topic.choices, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    named_agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cơ quan người gửi nêu"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự ưu tiên"), default=100)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc phân luồng phản ánh")
        verbose_name_plural = _("quy tắc phân luồng phản ánh")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"→ {self.agency}"


class DailySequence(models.Model):
    """The last item number of a day in the province: codes are never reused and have no gaps."""

    day = models.DateField(_("ngày"), unique=True)
    last_number = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        verbose_name = _("số thứ tự phản ánh trong ngày")
        verbose_name_plural = _("số thứ tự phản ánh trong ngày")
