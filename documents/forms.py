"""Forms of the counter's digitization page (số hóa tại Bộ phận Một cửa)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import DocumentType

ACCEPT = "application/pdf,image/jpeg,image/png,image/tiff,.pdf,.jpg,.jpeg,.png,.tif,.tiff"
MAX_PARTS = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Attachments: any number of files in one field (each checked later by ``services.file_store``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ScanFiles(forms.FileField):
    """Several files in one field: the pages of one document, in the order chosen."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_PARTS:
            raise forms.ValidationError(_("Chọn tối đa %(count)s tệp cho một giấy tờ.") % {"count": MAX_PARTS})
        return [super(ScanFiles, self).clean(item, initial) for item in items]


class DigitizeForm(forms.Form):
    """One slot: the scanned pages (optional when the slot already has its file) and the
    document's metadata (all empty: only the file is saved, metadata later)."""

    pages = ScanFiles(
        label=gettext_lazy("Bản quét (PDF hoặc ảnh; chọn nhiều ảnh để ghép thành một tệp PDF)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    document_type = forms.ModelChoiceField(
        label=gettext_lazy("Loại giấy tờ"), queryset=DocumentType.objects.all(), required=False
    )
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=100, required=False)
    issuer = forms.CharField(label=gettext_lazy("Cơ quan cấp"), max_length=300, required=False)
    issued_on = forms.DateField(
        label=gettext_lazy("Ngày cấp"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Có giá trị đến (nếu có)"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    holder = forms.CharField(label=gettext_lazy("Người được cấp"), max_length=200, required=False)

    METADATA = ("document_type", "number", "issuer", "issued_on", "valid_until", "holder")

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_file = has_file

    def describes(self) -> bool:
        """Whether the officer filled in any metadata (then it must be complete)."""
        return any(self.cleaned_data.get(name) for name in self.METADATA)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("pages") and not self.has_file:
            self.add_error("pages", _("Chọn bản quét của giấy tờ."))
        if any(data.get(name) for name in self.METADATA):
            if not data.get("document_type"):
                self.add_error("document_type", _("Chọn loại giấy tờ."))
            if not (data.get("holder") or "").strip():
                self.add_error("holder", _("Nhập người được cấp."))
            issued_on: datetime.date | None = data.get("issued_on")
            if issued_on is None:
                self.add_error("issued_on", _("Nhập ngày cấp."))
            elif issued_on > timezone.localdate():
                self.add_error("issued_on", _("Ngày cấp không thể sau hôm nay."))
            valid_until = data.get("valid_until")
            if valid_until and issued_on and valid_until < issued_on:
                self.add_error("valid_until", _("Ngày hết giá trị phải sau ngày cấp."))
        return data
