"""Access control as the default (phân quyền): who may do what, and in which agencies.

The permission matrix below is data: each role (org.models.Role) grants a set of capabilities, and
an officer holds a role in an agency through an active Membership. Every officer query goes through
``scope``/``get_scoped_or_404`` (rows of the officer's agencies only); every citizen query goes
through ``owned``/``owned_or_404`` (rows that are theirs only). An object outside the caller's reach
is answered with 404, never 403, so that nobody learns that it exists.

One mechanism for the three doors into the data:
- views and services call the functions here;
- the admin uses ``CapabilityAdminMixin`` (province-wide models) or ``AgencyScopedAdminMixin``
  (models that belong to an agency);
- API operations declare ``auth=ApiAccess(capability)`` and fetch objects with the same functions
  (the API answers their 404 as problem+json).

docs/permissions.md explains the matrix; tests/test_permissions_walk.py checks every route.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, NamedTuple, TypeVar

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.security import SessionAuth

from common.problems import Problem

from .models import Agency, Membership, OneStopUnit, Role

M = TypeVar("M", bound=models.Model)

# --- The matrix ------------------------------------------------------------------------------------

CAPABILITIES: Mapping[str, Any] = {
    "catalog.edit": gettext_lazy("Soạn, sửa, dịch thủ tục hành chính và dữ liệu danh mục"),
    "catalog.publish": gettext_lazy("Công bố thủ tục hành chính"),
    "dossier.view": gettext_lazy("Xem hồ sơ của cơ quan"),
    "dossier.receive": gettext_lazy("Tiếp nhận hồ sơ, trả kết quả"),
    "dossier.process": gettext_lazy("Thẩm định, xử lý hồ sơ, yêu cầu bổ sung, dự thảo kết quả"),
    "dossier.approve": gettext_lazy("Phê duyệt, từ chối, ký kết quả"),
    "feedback.handle": gettext_lazy("Tiếp nhận, xử lý phản ánh, kiến nghị"),
    "news.edit": gettext_lazy("Soạn tin bài, infographic, văn bản, bản tin, cuộc thi"),
    "news.publish": gettext_lazy("Duyệt và đăng tin bài, infographic, bản tin"),
    "news.indices": gettext_lazy("Nhập chỉ số cải cách hành chính (PAR Index, SIPAS, PCI, PAPI)"),
    "reports.view": gettext_lazy("Xem báo cáo, thống kê, chỉ số"),
    "org.manage": gettext_lazy("Quản lý cơ quan, cán bộ, vai trò; xác nhận người đại diện tổ chức"),
    "audit.view": gettext_lazy("Xem, xuất nhật ký kiểm tra"),
}

ROLE_CAPABILITIES: Mapping[str, frozenset[str]] = {
    Role.COUNTER_OFFICER: frozenset({"dossier.view", "dossier.receive", "feedback.handle"}),
    Role.PROCESSING_OFFICER: frozenset({"dossier.view", "dossier.process", "feedback.handle"}),
    Role.LEADER: frozenset({"dossier.view", "dossier.approve", "feedback.handle", "reports.view"}),
    Role.PROCEDURE_CONTROLLER: frozenset({"catalog.edit", "catalog.publish"}),
    # Draft → review → publish: editors write and submit; reviewers approve and publish.
    Role.EDITOR: frozenset({"news.edit"}),
    Role.NEWS_REVIEWER: frozenset({"news.edit", "news.publish"}),
    Role.ANALYST: frozenset({"reports.view", "news.indices"}),
    # Separation of duties: administrators manage people and roles, not dossiers or the catalog.
    Role.ADMINISTRATOR: frozenset({"org.manage", "audit.view", "reports.view"}),
}


def check_capability(capability: str) -> str:
    """A misspelt capability would silently grant nothing (or, worse, be read as "any role"):
    refuse it loudly instead."""
    if capability not in CAPABILITIES:
        raise ImproperlyConfigured(f"Unknown capability {capability!r}; see org.permissions.CAPABILITIES.")
    return capability


def roles_with(capability: str) -> list[str]:
    """The roles whose holders have ``capability``."""
    check_capability(capability)
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]


# --- Who the user is -------------------------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_superuser(user: Any) -> bool:
    return _signed_in(user) and bool(getattr(user, "is_superuser", False))


def active_memberships(user: Any, *, on: datetime.date | None = None) -> QuerySet[Membership]:
    """The user's memberships in force on ``on`` (default today): valid_from ≤ day < valid_to,
    or no end."""
    if not _signed_in(user):
        return Membership.objects.none()
    return _in_force(Membership.objects.filter(user=user), on or timezone.localdate())


def _in_force(memberships: QuerySet[Membership], day: datetime.date) -> QuerySet[Membership]:
    """valid_from ≤ day < valid_to, or no end."""
    return memberships.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))


class Held(NamedTuple):
    """One membership in force: the role, its agency, and the one-stop unit a counter officer is
    bound to (None: any unit serving the agency)."""

    role: str
    agency_id: int
    one_stop_unit_id: int | None


# Bumped by every change to a membership in this process (signals connected in ``org.apps``): a
# user object keeps its memberships only while nothing changed them here. Across processes a user
# object lives for one request.
_generation = [0]


def memberships_changed(**_kwargs: Any) -> None:
    _generation[0] += 1


def memberships_held(user: Any, *, on: datetime.date | None = None) -> tuple[Held, ...]:
    """The user's memberships in force on ``on`` (default today), read once and kept on the user
    object (as Django keeps its permission cache there): a request that checks capabilities,
    scopes a query and checks the acting role reads them once."""
    if not _signed_in(user):
        return ()
    day = on or timezone.localdate()
    kept: tuple[int, dict[datetime.date, tuple[Held, ...]]] | None = getattr(user, "_memberships_held", None)
    if kept is None or kept[0] != _generation[0]:
        kept = (_generation[0], {})
        user._memberships_held = kept
    by_day = kept[1]
    if day not in by_day:
        by_day[day] = tuple(
            Held(*row)
            for row in _in_force(Membership.objects.filter(user_id=user.pk), day).values_list(
                "role", "agency_id", "one_stop_unit_id"
            )
        )
    return by_day[day]


def agencies_of(user: Any, capability: str | None = None) -> QuerySet[Agency]:
    """The agencies where the user holds, today, a role with ``capability`` (any role when None).
    Superusers: every agency. Anonymous users and citizens: none."""
    if capability is not None:
        check_capability(capability)
    if not _signed_in(user):
        return Agency.objects.none()
    if is_superuser(user):
        return Agency.objects.all()
    roles = None if capability is None else set(roles_with(capability))
    ids = sorted({held.agency_id for held in memberships_held(user) if roles is None or held.role in roles})
    return Agency.objects.filter(pk__in=ids)


def agency_tree(ids: Iterable[int]) -> frozenset[int]:
    """The agencies given and every agency under them (cơ quan và các đơn vị trực thuộc)."""
    children: dict[int, list[int]] = {}
    for child, parent in Agency.objects.values_list("id", "parent_id"):
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    stack = list(ids)
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, ()))
    return frozenset(found)


def agencies_overseen(user: Any, capability: str) -> QuerySet[Agency]:
    """The agencies whose figures ``user`` reads with ``capability``: where they hold it and every
    agency under those (the province's analyst oversees its wards). Superusers: every agency."""
    mine = agencies_of(user, capability)
    if is_superuser(user):
        return mine
    return Agency.objects.filter(pk__in=sorted(agency_tree(mine.values_list("id", flat=True))))


def has_capability(user: Any, capability: str, agency: Agency | int | None = None) -> bool:
    """Whether the user holds ``capability`` today, in ``agency`` when given, else in any agency."""
    check_capability(capability)
    if is_superuser(user):
        return True
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return any(
        capability in ROLE_CAPABILITIES.get(held.role, ()) and (agency_id is None or held.agency_id == agency_id)
        for held in memberships_held(user)
    )


def capabilities_of(user: Any, agency: Agency | int | None = None) -> frozenset[str]:
    """Every capability the user holds today (in ``agency`` when given)."""
    if is_superuser(user):
        return frozenset(CAPABILITIES)
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    roles = {held.role for held in memberships_held(user) if agency_id is None or held.agency_id == agency_id}
    return frozenset().union(*(ROLE_CAPABILITIES.get(role, frozenset()) for role in roles))


# --- Scoping querysets -----------------------------------------------------------------------------


def _crosses_many(model: type[models.Model], agency_field: str) -> bool:
    """Whether ``agency_field`` leads from ``model`` to org.Agency, checking that it does and
    telling whether a row may match through several agencies (many-to-many or reverse keys)."""
    if agency_field == "pk":
        if model is not Agency:
            raise ImproperlyConfigured(f'agency_field="pk" is only for org.Agency, not {model._meta.label}.')
        return False
    current: type[models.Model] = model
    many = False
    for part in agency_field.split("__"):
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"{current._meta.label} has no field {part!r} ({agency_field!r}).") from exc
        if field.related_model is None:
            raise ImproperlyConfigured(f"{agency_field!r} of {model._meta.label} is not a relation.")
        many = many or bool(field.many_to_many or field.one_to_many)
        current = field.related_model  # type: ignore[assignment]
    if current is not Agency:
        raise ImproperlyConfigured(f"{agency_field!r} of {model._meta.label} leads to {current._meta.label}.")
    return many


def scope(queryset: QuerySet[M], user: Any, *, agency_field: str, capability: str | None) -> QuerySet[M]:
    """Only the rows that belong to the user's agencies (those where they hold ``capability``).
    ``agency_field`` is the lookup path from the row to its org.Agency ("agency",
    "served_agencies", "dossier__agency"; "pk" for agencies themselves). Superusers: every row.
    Citizens and anonymous users: no row (their own objects go through ``owned``)."""
    many = _crosses_many(queryset.model, agency_field)
    if not _signed_in(user):
        return queryset.none()
    if is_superuser(user):
        return queryset
    lookup = {f"{agency_field}__in": agencies_of(user, capability)}
    if many:
        # A row reachable through two of the user's agencies must still come once.
        return queryset.filter(pk__in=queryset.model._default_manager.filter(**lookup).values("pk"))
    return queryset.filter(**lookup)


def get_scoped_or_404(
    queryset: QuerySet[M], user: Any, *, agency_field: str, capability: str | None, **lookup: Any
) -> M:
    """The object, if it belongs to one of the user's agencies; 404 otherwise, exactly as if it
    did not exist (never 403)."""
    return get_object_or_404(scope(queryset, user, agency_field=agency_field, capability=capability), **lookup)


def owned(queryset: QuerySet[M], user: Any, *, owner_field: str) -> QuerySet[M]:
    """Only the rows whose ``owner_field`` is the user. No exception for superusers: a citizen's
    pages show that citizen's objects; officers reach citizens' data through scoped officer views."""
    if not _signed_in(user):
        return queryset.none()
    return queryset.filter(**{owner_field: user})


def owned_or_404(queryset: QuerySet[M], user: Any, *, owner_field: str, **lookup: Any) -> M:
    """The user's own object; 404 for anybody else's, exactly as if it did not exist."""
    return get_object_or_404(owned(queryset, user, owner_field=owner_field), **lookup)


# --- The admin -------------------------------------------------------------------------------------


class CapabilityAdminMixin(BaseModelAdmin):
    """Admin permissions from the matrix instead of Django's per-model permissions: an action
    ("view", "add", "change", "delete", or an admin action's permission such as "publish") is
    allowed when the user holds its capability in some agency; an action not listed is for
    superusers only. For province-wide data such as the catalog."""

    permission_capabilities: ClassVar[Mapping[str, str]] = {}

    def capability_for(self, action: str) -> str | None:
        capability = self.permission_capabilities.get(action)
        return check_capability(capability) if capability is not None else None

    def capability_allows(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        if is_superuser(request.user):
            return True
        capability = self.capability_for(action)
        return capability is not None and has_capability(request.user, capability)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return any(self.capability_allows(request, action) for action in self.permission_capabilities)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.capability_allows(request, "view", obj) or self.capability_allows(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:  # type: ignore[override]
        return self.capability_allows(request, "add")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.capability_allows(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.capability_allows(request, "delete", obj)


class AgencyScopedInlineMixin(CapabilityAdminMixin):
    """Capabilities held *in the object's agency*: lists show the rows of the user's agencies
    only, an object of another agency answers 404, and choices of agencies and one-stop units
    offer the user's own. ``agency_field`` is as for ``scope``. Usable on inlines as is."""

    agency_field: ClassVar[str]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return scope(queryset, request.user, agency_field=self.agency_field, capability=self._reading_capability())

    def _reading_capability(self) -> str | None:
        return self.capability_for("view") or self.capability_for("change")

    def capability_allows(self, request: HttpRequest, action: str, obj: Any = None) -> bool:
        if not super().capability_allows(request, action, obj):
            return False
        if obj is None or not isinstance(obj, self.model) or obj.pk is None or is_superuser(request.user):
            return True
        mine = scope(
            self.model._default_manager.filter(pk=obj.pk),
            request.user,
            agency_field=self.agency_field,
            capability=self.capability_for(action),
        )
        return mine.exists()

    def own_choices(self, request: HttpRequest, related_model: Any) -> QuerySet[Any] | None:
        """What a relation to an agency or a one-stop unit may point at: the user's own."""
        if is_superuser(request.user):
            return None
        capability = self.capability_for("change") or self.capability_for("add")
        if related_model is Agency:
            return agencies_of(request.user, capability)
        if related_model is OneStopUnit:
            return scope(OneStopUnit.objects.all(), request.user, agency_field="served_agencies", capability=capability)
        return None

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> ModelChoiceField | None:
        choices = self.own_choices(request, db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        choices = self.own_choices(request, db_field.related_model)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgencyScopedAdminMixin(AgencyScopedInlineMixin, admin.ModelAdmin):
    """``AgencyScopedInlineMixin`` for a ModelAdmin: also turns "not in your agencies" into 404 on
    the change, delete and history pages, and keeps, on save, the links to agencies that the user
    could not see (an administrator of one agency editing a one-stop unit that serves many)."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _require_in_scope(self, request: HttpRequest, object_id: str) -> None:
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError):
            found = False
        if not found:
            # The history of a deleted object, too, is for superusers only.
            raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        """django-simple-history's page of one past version."""
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None or is_superuser(request.user):
            return form_class

        class KeepingCurrentChoices(form_class):  # type: ignore[misc, valid-type]
            """A relation already pointing outside the user's agencies may stay as it is."""

            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                for name, field in self.fields.items():
                    current = getattr(self.instance, f"{name}_id", None)
                    if isinstance(field, ModelChoiceField) and field.queryset is not None and current is not None:
                        model = field.queryset.model
                        field.queryset = field.queryset | model._default_manager.filter(pk=current)

        return KeepingCurrentChoices

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        hidden: dict[str, list[Any]] = {}
        if change:
            for field in self.model._meta.many_to_many:
                choices = self.own_choices(request, field.related_model)
                if choices is not None and field.name in form.fields:
                    linked = getattr(form.instance, field.name).values_list("pk", flat=True)
                    hidden[field.name] = list(linked.exclude(pk__in=choices.values("pk")))
        super().save_related(request, form, formsets, change)
        for name, pks in hidden.items():
            if pks:
                getattr(form.instance, name).add(*pks)


# --- The API ---------------------------------------------------------------------------------------


class ApiAccess(SessionAuth):
    """``auth=ApiAccess()`` on an API operation: a signed-in session (CSRF checked on writes),
    else 401 problem+json. ``ApiAccess("dossier.view")`` also needs that capability in some agency
    (403 otherwise: said before any object is looked up, so it leaks nothing). The handler then
    reads ``request.user`` through ``scope``/``get_scoped_or_404``/``owned_or_404``."""

    def __init__(self, capability: str | None = None) -> None:
        self.capability = check_capability(capability) if capability is not None else None
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            raise Problem(401, "authentication_required", _("Cần đăng nhập"), _("Hãy đăng nhập để dùng chức năng này."))
        if self.capability is not None and not has_capability(user, self.capability):
            raise Problem(
                403, "forbidden", _("Không có quyền"), _("Tài khoản của bạn không có quyền dùng chức năng này.")
            )
        return user
