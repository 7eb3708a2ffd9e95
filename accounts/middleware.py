"""Officers are signed out after a period without activity (phiên làm việc hết hạn); citizens keep
normal sessions. The officer's second factor is found on each request as django-otp finds it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .officer_services import LAST_SEEN_KEY, officer_logout

LAST_SEEN_RESOLUTION_SECONDS = 60


class OfficerIdleTimeoutMiddleware:
    """The officer sign-in marks the session with the time of the last request; a session whose
    mark is older than OFFICER_IDLE_MINUTES is ended before the view runs, so the request goes on
    as an anonymous one (officer pages then ask to sign in again, with a notice). Sessions without
    the mark (citizens, anonymous visitors) cost nothing here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None:
            now = int(time.time())
            minutes = settings.OFFICER_IDLE_MINUTES
            if now - last_seen > minutes * 60:
                officer_logout(request, reason="idle")
                messages.info(
                    request,
                    _("Phiên làm việc đã kết thúc vì không có thao tác trong %(minutes)d phút. Vui lòng đăng nhập lại.")
                    % {"minutes": minutes},
                )
            elif now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                # Marked at most once a minute: the idle limit counts in minutes, and a session
                # written on every request would cost each officer action a second write.
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
