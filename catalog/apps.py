from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _organization_changed(sender: Any, **kwargs: Any) -> None:
    """An agency or one-stop unit changed: what was derived from the catalog with them (the
    search index's agency names, the submission places) is derived again."""
    if str(kwargs.get("action", "post_")).startswith("post_"):  # m2m_changed: once, after the change
        from .services import catalog_revision_bump

        catalog_revision_bump()


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Thủ tục hành chính"

    def ready(self) -> None:
        from org.models import Agency, OneStopUnit

        from .models import ImplementingAgency

        for model in (Agency, OneStopUnit):
            uid = f"catalog.organization_changed.{model.__name__}"
            post_save.connect(_organization_changed, sender=model, dispatch_uid=uid + ".save")
            post_delete.connect(_organization_changed, sender=model, dispatch_uid=uid + ".delete")
        for through in (OneStopUnit.served_agencies.through, ImplementingAgency.agencies.through):
            m2m_changed.connect(
                _organization_changed, sender=through, dispatch_uid=f"catalog.organization_changed.{through.__name__}"
            )
        _register_on_the_shell()


def _register_on_the_shell() -> None:
    from common.shell import Entry, Panel, register_entry, register_panel

    from . import home

    """Entry points and home page panels on the portal's shell (common.shell)."""
    # Fields and agencies are reached from the home page's "Theo lĩnh vực" panel and the list's filters.
    register_entry(Entry("catalog.procedures", _("Thủ tục hành chính"), "catalog:list", order=10))
    register_panel(Panel("catalog.search", "catalog/_home_search.html", home.search_panel, order=10))
    register_panel(Panel("catalog.life_events", "catalog/_home_life_events.html", home.life_events_panel, order=30))
    register_panel(Panel("catalog.popular", "catalog/_home_popular.html", home.popular_panel, order=40))
    register_panel(Panel("catalog.fields", "catalog/_home_fields.html", home.fields_panel, order=50))

    from common.search import Provider, register_provider

    # Procedures first in the portal's one search box.
    register_provider(
        Provider(
            "catalog.procedures", _("Thủ tục hành chính"), home.find_procedures, order=10, more_url_name="catalog:list"
        )
    )
