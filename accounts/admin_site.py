"""The admin requires a verified second factor (django-otp) and has one way in: the officers'
sign-in, which counts failures, locks out and audits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from . import officer_services as officers


class OfficerAdminSite(OTPAdminSite):
    """Staff without a session verified by their authenticator are treated as not staff."""

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_staff:
            # Signed in already, as someone the admin is not for (an analyst, a counter officer):
            # sending them to sign in again would bring them straight back here, over and over.
            return render(request, "accounts/admin_forbidden.html", status=403)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:officer_sign_in"))

    def logout(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST":
            officers.officer_logout(request, reason="user")
        return super().logout(request, extra_context)
