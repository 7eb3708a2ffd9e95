"""Refusals of the contest, each with a stable ``code`` (the API's problem code), an HTTP status
and a localized message for the participant. Whatever raises one has changed nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _


class ContestError(Exception):
    code = "contest_error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ContestError):
    """Unknown contest, round or attempt; another participant's attempt answers the same."""

    code = "not_found"
    status = 404

    def __init__(self) -> None:
        super().__init__(_("Không tìm thấy cuộc thi, vòng thi hoặc lượt thi này."))


class RoundNotOpen(ContestError):
    code = "round_not_open"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Vòng thi chưa mở hoặc đã kết thúc."))


class NoAttemptLeft(ContestError):
    code = "no_attempt_left"
    status = 409

    def __init__(self, allowed: int) -> None:
        super().__init__(_("Bạn đã dùng hết %(allowed)d lượt thi của vòng này.") % {"allowed": allowed})


class AttemptClosed(ContestError):
    code = "attempt_closed"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Lượt thi đã kết thúc, không thể thay đổi câu trả lời."))


class TooLate(ContestError):
    code = "too_late"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Đã hết thời gian làm bài; câu trả lời gửi sau giờ không được nhận."))


class QuestionNotInAttempt(ContestError):
    code = "question_not_in_attempt"
    status = 400

    def __init__(self) -> None:
        super().__init__(_("Câu hỏi này không có trong đề thi của bạn."))


class InvalidChoice(ContestError):
    code = "invalid_choice"
    status = 400

    def __init__(self) -> None:
        super().__init__(_("Phương án chọn không hợp lệ cho câu hỏi này."))


class NotRegistered(ContestError):
    code = "not_registered"
    status = 403

    def __init__(self) -> None:
        super().__init__(_("Bạn cần đăng ký dự thi trước khi làm bài."))


class DrawUnavailable(ContestError):
    code = "draw_unavailable"
    status = 503

    def __init__(self) -> None:
        super().__init__(_("Ngân hàng câu hỏi chưa đủ câu để ra đề; vui lòng báo ban tổ chức."))


class PhoneCodeInvalid(ContestError):
    code = "phone_code_invalid"
    status = 400

    def __init__(self) -> None:
        super().__init__(_("Mã xác nhận không đúng hoặc đã hết hạn."))


class PhoneCodeTooSoon(ContestError):
    code = "phone_code_too_soon"
    status = 429

    def __init__(self, seconds: int) -> None:
        super().__init__(_("Vui lòng chờ %(seconds)d giây trước khi xin mã mới.") % {"seconds": seconds})
        self.seconds = seconds


class AlreadyRegistered(ContestError):
    code = "already_registered"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Người này đã đăng ký dự thi cuộc thi này."))


class ResultNotYet(ContestError):
    code = "result_not_yet"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Kết quả và đáp án được công bố sau khi vòng thi kết thúc."))


class SubmissionsClosed(ContestError):
    code = "submissions_closed"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Cuộc thi chưa mở hoặc đã hết thời gian nhận sáng kiến."))


class InitiativeInvalid(ContestError):
    """A submission or a scorecard with problems, per field (localized), nothing saved."""

    code = "invalid"
    status = 422

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(_("Thông tin chưa hợp lệ, vui lòng kiểm tra lại."))
        self.problems = problems


class JudgingClosed(ContestError):
    code = "judging_closed"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Chỉ chấm điểm sau khi hết hạn nhận sáng kiến và trước khi hội đồng xếp hạng."))


class OwnInitiative(ContestError):
    code = "own_initiative"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Thành viên hội đồng không chấm sáng kiến của chính mình."))
