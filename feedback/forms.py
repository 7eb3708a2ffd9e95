"""Forms of the feedback pages: the public form, the hotline call log and the paper form typed in
at the counter (one form, channel chosen), and the officers' actions. They read and shape input;
the rules and the services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Procedure
from documents.forms import MultipleFileField
from org.models import Agency

from . import rules
from .rules import Channel, ReplyBy, Topic

_SIGNER = signing.TimestampSigner(salt="feedback.form-shown")


def shown_token() -> str:
    """A signed mark of when the form was shown: the time-to-fill check reads it back."""
    return _SIGNER.sign("shown")


def seconds_since_shown(token: str) -> float | None:
    try:
        _SIGNER.unsign(token, max_age=datetime.timedelta(hours=6))
        shown = int(signing.b62_decode(token.split(":")[1]))
    except (signing.BadSignature, IndexError, ValueError):
        return None
    return timezone.now().timestamp() - shown


class SenderFields(forms.Form):
    ho_ten = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=200)
    dia_chi = forms.CharField(label=gettext_lazy("Địa chỉ liên hệ"), max_length=500)
    dien_thoai = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=gettext_lazy("Thư điện tử (không bắt buộc)"), required=False)
    tra_loi_qua = forms.ChoiceField(
        label=gettext_lazy("Nhận thông báo và trả lời qua"),
        choices=ReplyBy.choices,
        initial=ReplyBy.SMS,
        required=False,  # SMS when not chosen: the phone number is always there
        help_text=gettext_lazy("Chọn thư điện tử thì cần ghi địa chỉ thư điện tử."),
    )
    linh_vuc = forms.ChoiceField(label=gettext_lazy("Phản ánh về"), choices=Topic.choices, initial=Topic.OTHER)
    tieu_de = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=rules.SUBJECT_MAX)
    # The length is checked by the rules, with the count in the message, rather than cut here.
    noi_dung = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 8, "data-max": rules.CONTENT_MAX}),
        help_text=gettext_lazy("Tối đa 5.000 ký tự. Xin đừng ghi số định danh cá nhân vào nội dung."),
    )
    thu_tuc = forms.CharField(
        label=gettext_lazy("Mã thủ tục liên quan (không bắt buộc)"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Ví dụ 1.001193; tìm mã trong mục Thủ tục hành chính."),
    )
    co_quan = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan liên quan (không bắt buộc)"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    ma_ho_so = forms.CharField(label=gettext_lazy("Mã hồ sơ liên quan (không bắt buộc)"), max_length=80, required=False)
    so_kiem_tra = forms.CharField(
        label=gettext_lazy("4 số cuối số định danh hoặc số điện thoại của người nộp hồ sơ"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": "6"}),
    )
    tep = MultipleFileField(label=gettext_lazy("Tệp đính kèm (PDF, ảnh; không bắt buộc)"), required=False)

    def clean_thu_tuc(self) -> Procedure | None:
        code = str(self.cleaned_data.get("thu_tuc") or "").strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục với mã này."))
        return procedure

    def sender(self) -> rules.Sender:
        data = self.cleaned_data
        return rules.Sender(
            name=data.get("ho_ten", ""),
            address=data.get("dia_chi", ""),
            phone=data.get("dien_thoai", ""),
            email=data.get("email") or "",
            reply_by=data.get("tra_loi_qua") or ReplyBy.SMS,
        )


class PublicForm(SenderFields):
    """Gửi phản ánh, kiến nghị. ``trang_web`` is a field people never see (hidden by the style
    sheet): a program filling every field fills it too."""

    trang_web = forms.CharField(required=False, label=gettext_lazy("Để trống ô này"))
    hien_thi = forms.CharField(required=False, widget=forms.HiddenInput)


class IntakeForm(SenderFields):
    """An officer's: a hotline call while on the phone, or a paper form received at the counter."""

    kenh = forms.ChoiceField(
        label=gettext_lazy("Kênh tiếp nhận"),
        choices=[(Channel.HOTLINE, Channel.HOTLINE.label), (Channel.COUNTER, Channel.COUNTER.label)],
        initial=Channel.HOTLINE,
    )
    bat_dau = forms.DateTimeField(
        label=gettext_lazy("Thời điểm gọi"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    thoi_luong = forms.IntegerField(label=gettext_lazy("Thời lượng (phút)"), min_value=0, max_value=600, required=False)


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    ghi_chu = forms.CharField(
        label=gettext_lazy("Lý do, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    linh_vuc = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), choices=Topic.choices, required=False)
    co_quan = forms.ModelChoiceField(
        label=gettext_lazy("Chuyển đến cơ quan"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    tra_loi = forms.CharField(
        label=gettext_lazy("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    van_ban = forms.FileField(label=gettext_lazy("Văn bản trả lời đã ký (PDF, không bắt buộc)"), required=False)
    tieu_de_cong_khai = forms.CharField(label=gettext_lazy("Tiêu đề công khai"), max_length=200, required=False)
    hoi_cong_khai = forms.CharField(
        label=gettext_lazy("Nội dung công khai"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    tra_loi_cong_khai = forms.CharField(
        label=gettext_lazy("Trả lời công khai"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class DossierLookupForm(forms.Form):
    ma_ho_so = forms.CharField(label=gettext_lazy("Mã hồ sơ"), max_length=80)
    so_kiem_tra = forms.CharField(label=gettext_lazy("4 số cuối số định danh hoặc số điện thoại"), max_length=4)
