"""Forms of the participants' pages: registration (name, date of birth, commune, group and, without
VNeID, a phone), the phone's one-time code, an answer and the tie-break prediction."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import MultipleFileField
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


# --- Initiative contests ------------------------------------------------------------------------


class InitiativeForm(forms.Form):
    title = forms.CharField(label=_("Tên sáng kiến, giải pháp"), max_length=300)
    author_unit = forms.CharField(label=_("Đơn vị công tác"), max_length=300)
    problem = forms.CharField(
        label=_("Thực trạng, vấn đề cần giải quyết"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    solution = forms.CharField(
        label=_("Nội dung giải pháp"), widget=forms.Textarea(attrs={"rows": 8}), max_length=40_000
    )
    expected_effect = forms.CharField(
        label=_("Hiệu quả dự kiến"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20_000
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (PDF, ảnh; tối đa 5 tệp, không bắt buộc)"),
        required=False,
        help_text=_("Không ghi tên tác giả trong tệp đính kèm: hội đồng chấm kín."),
    )


class ScorecardForm(forms.Form):
    """One field per criterion of the rubric (0 to its maximum), and a comment."""

    comment = forms.CharField(
        label=_("Nhận xét của thành viên hội đồng"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, criteria: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"criterion_{c.pk}"] = forms.IntegerField(
                label=c.name,
                min_value=0,
                max_value=c.max_points,
                help_text=_("Từ 0 đến %(max)d điểm; trọng số %(weight)d.") % {"max": c.max_points, "weight": c.weight},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.order_fields([f"criterion_{c.pk}" for c in self.criteria] + ["comment"])

    def criterion_fields(self) -> list[Any]:
        return [self[f"criterion_{c.pk}"] for c in self.criteria]

    def points(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}
