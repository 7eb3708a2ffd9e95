"""Tài khoản của tôi: a signed-in person's own account, the organizations they represent, and the
download of everything the system holds about them. Only ever the signed-in person's data."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from org.permissions import owned_or_404

from .models import OrganizationLink, User
from .organizations import organization_link_request, organization_link_withdraw
from .personal_data import filename_for, personal_data_export
from .rules import tax_code_problems


class OrganizationLinkForm(forms.Form):
    organization_name = forms.CharField(label=gettext_lazy("Tên tổ chức, doanh nghiệp"), max_length=300)
    tax_code = forms.CharField(
        label=gettext_lazy("Mã số thuế"),
        max_length=20,
        help_text=gettext_lazy("10 chữ số, hoặc 13 chữ số với mã đơn vị phụ thuộc (ví dụ 0101243150-001)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_tax_code(self) -> str:
        value = self.cleaned_data["tax_code"]
        problems = tax_code_problems(value)
        if problems:
            raise ValidationError(problems)
        return value


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@never_cache
@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    links = user.organization_links.order_by("organization_name")
    return render(request, "accounts/account_home.html", {"account": user, "links": links})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def organization_add(request: HttpRequest) -> HttpResponse:
    form = OrganizationLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            link = organization_link_request(
                user=_user(request),
                tax_code=form.cleaned_data["tax_code"],
                organization_name=form.cleaned_data["organization_name"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field, problem)
        else:
            messages.success(
                request,
                _("Đã ghi nhận việc bạn đại diện cho %(name)s. Liên kết có hiệu lực khi cơ quan xác nhận.")
                % {"name": link.organization_name},
            )
            return redirect("accounts:account")
    return render(request, "accounts/account_organization_form.html", {"form": form})


@never_cache
@login_required
@require_GET
def organization_detail(request: HttpRequest, link_id: int) -> HttpResponse:
    link = owned_or_404(
        OrganizationLink.objects.select_related("confirmed_by"), request.user, owner_field="user", pk=link_id
    )
    return render(request, "accounts/account_organization_detail.html", {"link": link})


@never_cache
@login_required
@require_POST
def organization_withdraw(request: HttpRequest, link_id: int) -> HttpResponse:
    link = owned_or_404(OrganizationLink.objects.all(), request.user, owner_field="user", pk=link_id)
    name = link.organization_name
    organization_link_withdraw(link=link, request=request)
    messages.success(request, _("Bạn không còn đại diện cho %(name)s trên Cổng.") % {"name": name})
    return redirect("accounts:account")


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    data = personal_data_export(user=_user(request), request=request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename_for(timezone.localdate())}"'
    return response
