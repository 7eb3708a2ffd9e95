"""Users: citizens and businesses (công dân, tổ chức) who sign in with their electronic ID,
and officers (cán bộ) who work inside agencies."""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    OFFICER = "officer", _("Cán bộ")


class User(AbstractUser):
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    # Số định danh cá nhân: the key that makes one person one account (never e-mail or name).
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    # The identity provider's subject ("sub"), kept to recognise the same sign-in again.
    oidc_subject = models.CharField(_("mã định danh tại VNeID"), max_length=255, null=True, blank=True, unique=True)
    preferred_language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username


class OrganizationLink(models.Model):
    """A business representative acting for an organization (tổ chức, doanh nghiệp), identified by
    its tax code (mã số thuế: 10 digits, or 13 with a branch suffix)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organization_links", verbose_name=_("người khai")
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14)
    organization_name = models.CharField(_("tên tổ chức"), max_length=300)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người xác nhận")
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("liên kết tổ chức")
        verbose_name_plural = _("liên kết tổ chức")
        constraints = [models.UniqueConstraint(fields=["user", "tax_code"], name="one_link_per_organization")]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.tax_code})"


# The officers' second factor and sign-in records, as the admin shows them: the packages' models
# under Vietnamese names (django-otp has no translations; django-axes names a record in English).
class AuthenticatorApp(TOTPDevice):
    """Ứng dụng xác thực (TOTP) của cán bộ."""

    class Meta:
        proxy = True
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")

    def __str__(self) -> str:
        return _("%(name)s của %(user)s") % {"name": self.name, "user": self.user}


class BackupCodes(StaticDevice):
    """Mã dự phòng dùng một lần, khi không có ứng dụng xác thực."""

    class Meta:
        proxy = True
        verbose_name = _("bộ mã dự phòng")
        verbose_name_plural = _("bộ mã dự phòng")

    def __str__(self) -> str:
        return _("%(name)s của %(user)s") % {"name": self.name, "user": self.user}


class SignInLockout(AccessAttempt):
    """Lần đăng nhập sai đang được đếm (có thể dẫn tới tạm khóa)."""

    class Meta:
        proxy = True
        verbose_name = _("đăng nhập sai đang đếm")
        verbose_name_plural = _("đăng nhập sai đang đếm")

    def __str__(self) -> str:
        return _("%(username)s, %(count)s lần sai") % {"username": self.username, "count": self.failures_since_start}


class SignInLog(AccessLog):
    """Nhật ký đăng nhập, đăng xuất của cán bộ."""

    class Meta:
        proxy = True
        verbose_name = _("nhật ký đăng nhập")
        verbose_name_plural = _("nhật ký đăng nhập")

    def __str__(self) -> str:
        return _("Đăng nhập của %(username)s lúc %(at)s") % {
            "username": self.username,
            "at": formats.date_format(timezone.localtime(self.attempt_time), "d/m/Y H:i"),
        }


class SignInFailure(AccessFailureLog):
    """Lần đăng nhập sai đã ghi lại."""

    class Meta:
        proxy = True
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("lần đăng nhập sai")

    def __str__(self) -> str:
        return _("Đăng nhập sai của %(username)s lúc %(at)s") % {
            "username": self.username,
            "at": formats.date_format(timezone.localtime(self.attempt_time), "d/m/Y H:i"),
        }
