"""Users: citizens and businesses (công dân, tổ chức) who sign in with their electronic ID,
and officers (cán bộ) who work inside agencies."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    OFFICER = "officer", _("Cán bộ")


class User(AbstractUser):
    kind = models.CharField(_("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    # Số định danh cá nhân: the key that makes one person one account (never e-mail or name).
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    preferred_language = models.CharField(_("ngôn ngữ"), max_length=10, default="vi")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username
