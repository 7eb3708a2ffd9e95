"""Forms of the reports' pages: the dashboard's choice of period, agency, field and channel, and
the heading of a report document to write."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Field
from dossiers.rules import Channel

from . import rules
from .models import ReportKind


class DashboardForm(forms.Form):
    """?tu=YYYY-MM-DD&den=YYYY-MM-DD&co_quan=<agency code>&linh_vuc=<field id>&kenh=<channel>
    &thu_tuc=<procedure code>"""

    tu = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    den = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    co_quan = forms.ChoiceField(label=_("Cơ quan"), required=False)
    linh_vuc = forms.TypedChoiceField(label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None)
    kenh = forms.ChoiceField(label=_("Kênh nộp hồ sơ"), required=False)
    thu_tuc = forms.CharField(label=_("Mã thủ tục"), required=False, max_length=40)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = _("Tất cả cơ quan được xem")
        cast(forms.ChoiceField, self.fields["co_quan"]).choices = [("", everyone), *agencies]
        fields = [("", _("Tất cả lĩnh vực")), *Field.objects.values_list("pk", "name")]
        cast(forms.ChoiceField, self.fields["linh_vuc"]).choices = fields
        cast(forms.ChoiceField, self.fields["kenh"]).choices = [("", _("Tất cả các kênh")), *Channel.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: datetime.date | None = data.get("tu")
        end: datetime.date | None = data.get("den")
        if start is not None and end is not None:
            try:
                rules.check_period(start, end)
            except rules.PeriodError as error:
                if str(error) == "reversed":
                    self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
                else:
                    self.add_error("den", _("Khoảng thời gian tối đa là 5 năm."))
        return data


class ReportWriteForm(forms.Form):
    """The heading of the document (Nghị định 30/2020): the rest is filled from the data."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    parent_body = forms.CharField(label=_("Cơ quan chủ quản"), max_length=200)
    body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, initial="/BC-UBND")
    place = forms.CharField(label=_("Địa danh"), max_length=80)
    day = forms.DateField(label=_("Ngày ban hành"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=200,
        initial="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_name = forms.CharField(label=_("Họ và tên người ký"), max_length=120)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def recipient_list(self) -> tuple[str, ...]:
        lines = (line.strip() for line in self.cleaned_data.get("recipients", "").splitlines())
        return tuple(line for line in lines if line)[:20]
