"""Cuộc thi trực tuyến: contests and their rounds, the question bank (versioned), participants,
attempts with a snapshot of the questions they drew, answers as given, and the standings of a
ranked round.

The fairness rules that must hold under concurrency are constraints here, not checks in code:
one participant per contest per identification number or confirmed phone, one attempt per number
per participant and round, at most one open attempt, one answer row per question of an attempt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.models import AppendOnlyModel
from org.models import AdministrativeUnit

from .rules import AttemptState, Group, Prize, QuestionKind

DEFAULT_TIE_BREAK = "Theo bạn, có bao nhiêu người tham gia vòng thi này?"


class QuestionBank(models.Model):
    """Ngân hàng câu hỏi."""

    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngân hàng câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """Chủ đề: the unit a draw counts questions by."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="topics", verbose_name=_("ngân hàng câu hỏi")
    )
    code = models.CharField(_("mã chủ đề"), max_length=40)
    name = models.CharField(_("tên chủ đề"), max_length=200)

    class Meta:
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="contest_topic_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Question(models.Model):
    """Câu hỏi, versioned: changing a question adds a version and retires the old one, so a
    round already drawn keeps what it asked (each attempt also keeps its own snapshot)."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions", verbose_name=_("ngân hàng câu hỏi")
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("chủ đề"))
    code = models.CharField(_("mã câu hỏi"), max_length=40)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    is_current = models.BooleanField(_("đang dùng"), default=True)
    kind = models.CharField(_("loại câu hỏi"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("nội dung câu hỏi"))
    explanation = models.TextField(_("giải thích đáp án"), blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    points = models.PositiveSmallIntegerField(_("điểm"), default=1)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["bank", "code", "version"], name="contest_question_version_unique"),
            models.UniqueConstraint(
                fields=["bank", "code"], condition=Q(is_current=True), name="contest_question_one_current"
            ),
        ]
        indexes = [models.Index(fields=["bank", "is_current", "topic"], name="contest_question_pool")]

    def __str__(self) -> str:
        return f"{self.code} (v{self.version})"


class Option(models.Model):
    """Phương án trả lời."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.CharField(_("nội dung"), max_length=1000)
    is_correct = models.BooleanField(_("là đáp án đúng"), default=False)

    class Meta:
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")
        ordering = ["question", "position"]
        constraints = [models.UniqueConstraint(fields=["question", "position"], name="contest_option_position_unique")]

    def __str__(self) -> str:
        return self.text


class ContestKind(models.TextChoices):
    QUIZ = "quiz", _("Tìm hiểu pháp luật trực tuyến")
    INITIATIVE = "initiative", _("Sáng kiến, giải pháp cải cách hành chính")


class Contest(models.Model):
    """Cuộc thi, with its prizes by rank and by group."""

    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)
    title = models.CharField(_("tên cuộc thi"), max_length=300)
    kind = models.CharField(_("loại cuộc thi"), max_length=12, choices=ContestKind.choices, default=ContestKind.QUIZ)
    summary = models.TextField(_("giới thiệu"), blank=True)
    rules_text = models.TextField(_("thể lệ"), blank=True)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=300, blank=True)
    is_published = models.BooleanField(_("đã công bố"), default=False)
    first_prizes = models.PositiveSmallIntegerField(_("số giải Nhất"), default=1)
    second_prizes = models.PositiveSmallIntegerField(_("số giải Nhì"), default=2)
    third_prizes = models.PositiveSmallIntegerField(_("số giải Ba"), default=3)
    consolation_prizes = models.PositiveSmallIntegerField(_("số giải Khuyến khích"), default=5)
    group_prizes = models.PositiveSmallIntegerField(_("số giải mỗi đối tượng"), default=0)
    # Initiative contests: the window staff submit in, then the panel's scoring.
    submissions_open_at = models.DateTimeField(_("nhận sáng kiến từ"), null=True, blank=True)
    submissions_close_at = models.DateTimeField(_("nhận sáng kiến đến"), null=True, blank=True)
    judging_quorum = models.PositiveSmallIntegerField(
        _("số phiếu chấm tối thiểu"),
        default=1,
        help_text=_("Sáng kiến có ít phiếu chấm hơn số này không được xếp hạng."),
    )
    prize_threshold = models.PositiveSmallIntegerField(_("điểm tối thiểu để xét giải (thang 100)"), default=50)
    initiatives_ranked_at = models.DateTimeField(_("đã xếp hạng sáng kiến lúc"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("đã công bố kết quả lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc thi")
        verbose_name_plural = _("cuộc thi")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submissions_open_at__isnull=True)
                | Q(submissions_close_at__isnull=True)
                | Q(submissions_close_at__gt=models.F("submissions_open_at")),
                name="contest_submission_window",
            ),
            models.CheckConstraint(
                condition=Q(results_published_at__isnull=True) | Q(initiatives_ranked_at__isnull=False),
                name="contest_published_after_ranked",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Round(models.Model):
    """Vòng thi (usually weekly): when it opens and closes, the draw, the time limit, the number
    of attempts allowed (the best counts) and the tie-break question."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("cuộc thi"))
    number = models.PositiveSmallIntegerField(_("vòng số"))
    title = models.CharField(_("tên vòng thi"), max_length=300, blank=True)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    time_limit_seconds = models.PositiveIntegerField(_("thời gian làm bài (giây)"), default=20 * 60)
    grace_seconds = models.PositiveSmallIntegerField(_("thời gian châm chước (giây)"), default=10)
    attempts_allowed = models.PositiveSmallIntegerField(_("số lượt dự thi"), default=1)
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("ngân hàng câu hỏi")
    )
    draw_spec = models.JSONField(
        _("cơ cấu đề"),
        default=dict,
        help_text=_('Số câu theo chủ đề cho từng đối tượng, ví dụ {"*": {"TTHC": 10, "MC": 10}}.'),
    )
    tie_break_question = models.CharField(_("câu hỏi dự đoán"), max_length=300, default=DEFAULT_TIE_BREAK)
    closed_at = models.DateTimeField(_("đã đóng lúc"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("đã xếp hạng lúc"), null=True, blank=True)
    participants_count = models.PositiveIntegerField(_("số người tham gia"), null=True, blank=True)

    class Meta:
        verbose_name = _("vòng thi")
        verbose_name_plural = _("vòng thi")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_number_unique"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="contest_round_dates"),
        ]

    def __str__(self) -> str:
        return self.title or f"Vòng {self.number}"


class Participant(models.Model):
    """Người dự thi: one per person and contest, known by the identification number (VNeID) or
    by a phone confirmed with a one-time code."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="participants", verbose_name=_("cuộc thi")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("tài khoản")
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    birth_date = models.DateField(_("ngày sinh"))
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, verbose_name=_("xã, phường"))
    group = models.CharField(_("đối tượng"), max_length=20, choices=Group.choices)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    phone_confirmed_at = models.DateTimeField(_("xác nhận số điện thoại lúc"), null=True, blank=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm đăng ký"), auto_now_add=True)

    class Meta:
        verbose_name = _("người dự thi")
        verbose_name_plural = _("người dự thi")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "personal_id"],
                condition=Q(personal_id__isnull=False),
                name="contest_participant_one_per_id",
            ),
            models.UniqueConstraint(
                fields=["contest", "phone"],
                condition=Q(phone_confirmed_at__isnull=False),
                name="contest_participant_one_per_phone",
            ),
            models.CheckConstraint(
                condition=Q(personal_id__isnull=False) | Q(phone_confirmed_at__isnull=False),
                name="contest_participant_identified",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class PhoneCode(models.Model):
    """A one-time code sent by SMS to confirm a phone; only its keyed hash is kept."""

    phone = models.CharField(max_length=15, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận số điện thoại")
        verbose_name_plural = _("mã xác nhận số điện thoại")


class Attempt(models.Model):
    """Lượt thi. Its end is fixed by the server when it starts; ``questions`` is the snapshot of
    what it drew (text, options in this attempt's order, right answers, explanation and legal
    basis), so a later change to the bank changes nothing of it. It is known outside by
    ``public_id`` (never the sequential id)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("vòng thi"))
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("lượt thứ"))
    state = models.CharField(_("trạng thái"), max_length=16, choices=AttemptState.choices, default=AttemptState.OPEN)
    started_at = models.DateTimeField(_("bắt đầu lúc"))
    ends_at = models.DateTimeField(_("hết giờ lúc"))
    submitted_at = models.DateTimeField(_("nộp bài lúc"), null=True, blank=True)
    questions = models.JSONField(_("đề thi"))
    prediction = models.PositiveIntegerField(_("dự đoán số người tham gia"), null=True, blank=True)
    score = models.PositiveIntegerField(_("điểm"), null=True, blank=True)
    time_taken_ms = models.PositiveIntegerField(_("thời gian làm bài (ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        constraints = [
            models.UniqueConstraint(fields=["round", "participant", "number"], name="contest_attempt_number_unique"),
            models.UniqueConstraint(
                fields=["round", "participant"],
                condition=Q(state=AttemptState.OPEN),
                name="contest_attempt_one_open",
            ),
        ]
        indexes = [models.Index(fields=["state", "ends_at"], name="contest_attempt_due")]

    def __str__(self) -> str:
        return f"{self.participant} – {self.round} #{self.number}"


class Answer(models.Model):
    """Câu trả lời as given: the chosen option ids, saved each time the taker chooses. ``seq`` is
    the taker's own counter, so that a save replayed after a dropped connection, or overtaken by
    a later one, changes nothing."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.BigIntegerField()
    chosen = models.JSONField(default=list)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="contest_answer_unique")]


class Standing(models.Model):
    """Kết quả xếp hạng of a closed round: one row per participant (their best attempt)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="standings", verbose_name=_("vòng thi"))
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="standings")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField(_("thứ hạng"))
    score = models.PositiveIntegerField(_("điểm"))
    prediction_gap = models.PositiveIntegerField(_("chênh lệch dự đoán"), null=True, blank=True)
    time_taken_ms = models.PositiveIntegerField(_("thời gian làm bài (ms)"))
    prize = models.CharField(_("giải"), max_length=12, choices=Prize.choices, blank=True)

    class Meta:
        verbose_name = _("xếp hạng")
        verbose_name_plural = _("xếp hạng")
        ordering = ["round", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "rank"], name="contest_standing_rank_unique"),
            models.UniqueConstraint(fields=["round", "participant"], name="contest_standing_participant_unique"),
        ]


class Criterion(models.Model):
    """Tiêu chí chấm sáng kiến: a line of the rubric, with its relative weight and the most
    points a judge may give."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("cuộc thi"))
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tiêu chí"), max_length=300)
    description = models.TextField(_("hướng dẫn chấm"), blank=True)
    weight = models.PositiveSmallIntegerField(_("trọng số"), default=1)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"), default=10)

    class Meta:
        verbose_name = _("tiêu chí chấm")
        verbose_name_plural = _("tiêu chí chấm")
        ordering = ["contest", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "position"], name="contest_criterion_position_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(max_points__gt=0), name="contest_criterion_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Judge(models.Model):
    """Thành viên hội đồng chấm: an officer the organiser put on the contest's panel."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges", verbose_name=_("cuộc thi"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("thành viên hội đồng")
    )
    added_at = models.DateTimeField(_("phân công lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên hội đồng chấm")
        verbose_name_plural = _("hội đồng chấm")
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="contest_judge_unique")]

    def __str__(self) -> str:
        return str(self.user)


class Initiative(models.Model):
    """Sáng kiến, giải pháp: what a member of staff submitted in the window. Judges know it by its
    ``code`` only (chấm kín: never the author or their unit); ``average``, ``rank`` and ``prize``
    are the panel's outcome, written when the organiser ranks."""

    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, related_name="initiatives", verbose_name=_("cuộc thi")
    )
    code = models.CharField(_("mã sáng kiến"), max_length=12)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("tác giả")
    )
    author_name = models.CharField(_("họ và tên tác giả"), max_length=200)
    author_unit = models.CharField(_("đơn vị công tác"), max_length=300)
    title = models.CharField(_("tên sáng kiến"), max_length=300)
    problem = models.TextField(_("thực trạng, vấn đề cần giải quyết"))
    solution = models.TextField(_("nội dung giải pháp"))
    expected_effect = models.TextField(_("hiệu quả dự kiến"))
    submitted_at = models.DateTimeField(_("gửi lúc"))
    average = models.DecimalField(_("điểm trung bình"), max_digits=5, decimal_places=2, null=True, blank=True)
    scorecards = models.PositiveSmallIntegerField(_("số phiếu chấm"), default=0)
    rank = models.PositiveIntegerField(_("thứ hạng"), null=True, blank=True)
    prize = models.CharField(_("giải"), max_length=12, choices=Prize.choices, blank=True)

    class Meta:
        verbose_name = _("sáng kiến")
        verbose_name_plural = _("sáng kiến")
        ordering = ["contest", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="contest_initiative_code_unique"),
            models.UniqueConstraint(
                fields=["contest", "rank"], condition=Q(rank__isnull=False), name="contest_initiative_rank_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class InitiativeAttachment(models.Model):
    """Tệp đính kèm of an initiative: checked and stored by the documents app."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=200)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


class Scorecard(models.Model):
    """Phiếu chấm: one judge's points for one initiative, per criterion id, and the score out of
    100 they make. One per judge and initiative (saving again replaces it until the ranking)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="cards")
    judge = models.ForeignKey(Judge, on_delete=models.PROTECT, related_name="cards")
    points = models.JSONField(_("điểm theo tiêu chí"))
    score = models.DecimalField(_("điểm (thang 100)"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)
    saved_at = models.DateTimeField(_("chấm lúc"))

    class Meta:
        verbose_name = _("phiếu chấm")
        verbose_name_plural = _("phiếu chấm")
        constraints = [models.UniqueConstraint(fields=["initiative", "judge"], name="contest_scorecard_unique")]


class EventAction(models.TextChoices):
    ROUND_CLOSED = "round_closed", _("Đóng vòng thi")
    ROUND_RANKED = "round_ranked", _("Xếp hạng vòng thi")
    QUESTIONS_IMPORTED = "questions_imported", _("Nhập câu hỏi")
    WINNERS_EXPORTED = "winners_exported", _("Xuất danh sách đoạt giải")
    INITIATIVES_RANKED = "initiatives_ranked", _("Xếp hạng sáng kiến")
    RESULTS_PUBLISHED = "results_published", _("Công bố kết quả sáng kiến")
    PANEL_CHANGED = "panel_changed", _("Phân công hội đồng chấm")


class ContestEvent(AppendOnlyModel):
    """Nhật ký cuộc thi: what organisers and the worker did (who, when, what, details).
    Append-only; a contest with history cannot be deleted."""

    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("người thực hiện")
    )
    action = models.CharField(_("thao tác"), max_length=30, choices=EventAction.choices)
    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("cuộc thi")
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.PROTECT, related_name="events", verbose_name=_("vòng thi")
    )
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký cuộc thi")
        verbose_name_plural = _("nhật ký cuộc thi")
        ordering = ["-at"]
