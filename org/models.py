"""Administrative units, agencies, one-stop units and staff memberships (tổ chức)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện, quận (trước 01/7/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính. Local government is two-tier since 01/7/2025 (province > commune);
    districts are kept with their validity dates so that history stays readable."""

    code = models.CharField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("trực thuộc")
    )
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hết hiệu lực từ"), null=True, blank=True, help_text=_("Ngày đơn vị không còn tồn tại.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    @classmethod
    def valid_on(cls, day: datetime.date) -> models.QuerySet[AdministrativeUnit]:
        return cls.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Agency(models.Model):
    """Cơ quan: a state agency with its official electronic identification code (mã định danh,
    used as the prefix of dossier codes)."""

    code = models.CharField(_("mã định danh"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("đơn vị hành chính")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("trực thuộc")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.name


class OneStopUnit(models.Model):
    """Bộ phận Một cửa (or the province's Trung tâm Phục vụ hành chính công): where dossiers are
    received and results returned, on behalf of the agencies it serves."""

    code = models.CharField(_("mã định danh"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="one_stop_units",
        verbose_name=_("đơn vị hành chính"),
    )
    served_agencies = models.ManyToManyField(
        Agency, related_name="one_stop_units", verbose_name=_("cơ quan được phục vụ")
    )
    address = models.CharField(_("địa chỉ"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    opening_hours = models.CharField(_("giờ làm việc"), max_length=255, blank=True)
    translations = models.JSONField(
        _("bản dịch"),
        default=dict,
        blank=True,
        help_text=_("Theo ngôn ngữ (en, zh-hans, ko, ja): tên, địa chỉ và giờ làm việc đã dịch."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def text_in(self, language: str) -> OneStopUnitText:
        """Name, address and opening hours as read in ``language``; what has no translation stays
        in Vietnamese."""
        tr = self.translations.get(language) or {}
        return OneStopUnitText(
            name=tr.get("name") or self.name,
            address=tr.get("address") or self.address,
            phone=self.phone,
            opening_hours=tr.get("opening_hours") or self.opening_hours,
        )


@dataclass(frozen=True)
class OneStopUnitText:
    name: str
    address: str
    phone: str
    opening_hours: str


class Role(models.TextChoices):
    """Roles of staff in an agency (DESIGN.md, "People and roles")."""

    COUNTER_OFFICER = "counter_officer", _("Cán bộ Bộ phận Một cửa")
    PROCESSING_OFFICER = "processing_officer", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    PROCEDURE_CONTROLLER = "procedure_controller", _("Cán bộ kiểm soát TTHC")
    EDITOR = "editor", _("Biên tập viên")
    NEWS_REVIEWER = "news_reviewer", _("Người duyệt tin, bài")
    ANALYST = "analyst", _("Cán bộ phân tích, giám sát")
    ADMINISTRATOR = "administrator", _("Quản trị")


class Membership(models.Model):
    """An officer's role in one agency. An officer may hold several roles and agencies; every
    officer query is scoped to the agencies of their active memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cán bộ")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cơ quan"))
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    one_stop_unit = models.ForeignKey(
        OneStopUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("bộ phận một cửa"),
    )
    valid_from = models.DateField(_("từ ngày"), default=datetime.date.today)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"
