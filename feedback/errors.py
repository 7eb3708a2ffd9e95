"""Refused feedback operations, each with a stable ``code`` (the API's problem code) and a
localized message for the person who tried."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from .rules import Action, State


class FeedbackError(Exception):
    code = "feedback_error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FeedbackChanged(FeedbackError):
    code = "feedback_changed"
    status = 409

    def __init__(self) -> None:
        super().__init__(_("Phản ánh đã được người khác xử lý, vui lòng tải lại."))


class ActionForbidden(FeedbackError):
    code = "action_forbidden"
    status = 403

    def __init__(self, action: Action) -> None:
        super().__init__(_("Bạn không có quyền thực hiện thao tác “%(action)s”.") % {"action": action.label})


class TransitionNotAllowed(FeedbackError):
    code = "transition_not_allowed"
    status = 409

    def __init__(self, action: Action, state: State) -> None:
        super().__init__(
            _("Không thể thực hiện thao tác “%(action)s” khi phản ánh ở trạng thái “%(state)s”.")
            % {"action": action.label, "state": state.label}
        )


class FeedbackInvalid(FeedbackError):
    """Bad input, with the problems by field."""

    code = "feedback_invalid"
    status = 400

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(_("Thông tin chưa hợp lệ."))
        self.errors = dict(errors)
