"""Refused dossier operations. Each has a stable ``code`` (the API's problem code) and a
localized message for the person who tried."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from .rules import Action, State


class DossierError(Exception):
    """A refused dossier operation, with a stable ``code`` and a localized message."""

    code = "dossier_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DossierChanged(DossierError):
    code = "dossier_changed"

    def __init__(self) -> None:
        super().__init__(_("Hồ sơ đã thay đổi, vui lòng tải lại."))


class ActionForbidden(DossierError):
    code = "action_forbidden"

    def __init__(self, action: Action) -> None:
        super().__init__(
            _("Bạn không có quyền thực hiện thao tác “%(action)s” với hồ sơ này.") % {"action": action.label}
        )


class TransitionNotAllowed(DossierError):
    code = "transition_not_allowed"

    def __init__(self, action: Action, state: State, reason: str | None = None) -> None:
        super().__init__(
            reason
            or _("Không thể thực hiện thao tác “%(action)s” khi hồ sơ ở trạng thái “%(state)s”.")
            % {"action": action.label, "state": state.label}
        )


class DossierInvalid(DossierError):
    """Bad input, with the problems by field."""

    code = "dossier_invalid"

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(_("Thông tin hồ sơ chưa hợp lệ."))
        self.errors = dict(errors)


class IdempotencyKeyReused(DossierError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(_("Khóa Idempotency-Key này đã được dùng cho một hồ sơ khác."))
