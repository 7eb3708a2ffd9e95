from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Hành động"), required=False, choices=[("", _("Tất cả")), *AuditAction.choices])
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    target = forms.CharField(
        label=_("Đối tượng"),
        required=False,
        max_length=200,
        help_text=_("Ví dụ: accounts.User:42, accounts.User hoặc 42."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data
