"""The door to Wagtail's admin (/cms/): officers who passed both sign-in steps, as the portal's own
admin (/admin/) asks, and hold an editorial capability (news.edit, news.publish or news.indices).
Everyone else is sent to the officers' sign-in (not signed in, or second factor not verified) or
refused (no editorial role). Wagtail's own sign-in, password and account pages are never reached."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.officer_services import is_verified_officer

from .access import editorial_capabilities, sync_editorial_groups

ADMIN_PREFIX = "/cms/"


class EditorialAdminGate:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(ADMIN_PREFIX):
            user = request.user
            if not is_verified_officer(user):
                target = request.get_full_path()
                if request.path_info.startswith(ADMIN_PREFIX + "login/"):
                    target = request.GET.get("next") or ADMIN_PREFIX
                return redirect_to_login(target, reverse("accounts:officer_sign_in"))
            if not editorial_capabilities(user):
                raise PermissionDenied
            sync_editorial_groups(user)
            response = self.get_response(request)
            # Wagtail's choosers (image, page, document) start from inline scripts: allowed in its
            # admin only, which only verified officers with an editorial role reach.
            response._csp_update = {"script-src": ["'unsafe-inline'"]}  # type: ignore[attr-defined]
            return response
        return self.get_response(request)
