"""Forms of the participants' pages: registration (name, date of birth, commune, group and, without
VNeID, a phone), the phone's one-time code, an answer and the tie-break prediction."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import AdministrativeUnit, UnitLevel

from .rules import Group
from .services import normalize_phone

MAX_PREDICTION = 10_000_000


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("Ngày/tháng/năm, ví dụ 30/04/2001."),
        error_messages={"invalid": _("Ngày sinh viết theo ngày/tháng/năm, ví dụ 30/04/2001.")},
        # A text box, not the browser's date picker: some phones show it month first.
        widget=forms.DateInput(
            attrs={"autocomplete": "bday", "inputmode": "numeric", "placeholder": "30/04/2001"}, format="%d/%m/%Y"
        ),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường nơi bạn sinh sống hoặc làm việc"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("— Chọn xã, phường —"),
    )
    group = forms.ChoiceField(label=_("Đối tượng dự thi"), choices=Group.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Chúng tôi gửi mã xác nhận gồm 6 chữ số qua tin nhắn SMS đến số này."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, with_phone: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).order_by("name")  # type: ignore[attr-defined]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        if not with_phone:
            del self.fields["phone"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Vui lòng nhập họ và tên."))
        return name

    def clean_birth_date(self) -> datetime.date:
        born: datetime.date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born >= today or born.year < today.year - 120:
            raise forms.ValidationError(_("Ngày sinh không hợp lệ."))
        return born

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Số điện thoại di động gồm 10 chữ số, ví dụ 0905 123 456."))
        return phone


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác nhận (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã xác nhận gồm 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}),
    )


class AnswerForm(forms.Form):
    question = forms.IntegerField(min_value=1, max_value=2**62)
    choice = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    seq = forms.IntegerField(min_value=1, max_value=2**31 - 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any whole numbers: the service checks them against the attempt's question.
        self.fields["choice"].valid_value = lambda value: str(value).isdigit() and len(str(value)) < 19  # type: ignore[attr-defined]


class PredictionForm(forms.Form):
    prediction = forms.IntegerField(
        label=_("Dự đoán của bạn (số người)"), min_value=0, max_value=MAX_PREDICTION, required=False
    )
