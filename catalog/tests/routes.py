"""Routes of catalog for the permission walk (tests/route_registry.py): all public."""

from __future__ import annotations

from tests.route_registry import public, unscoped_admin

public("catalog:detail", "published procedures are public from their decision's effective date")
public("catalog:life_event", "life events group public procedures")
public("api:get_procedure", "published procedures are public from their decision's effective date")
public("api:list_procedures", "search in the public catalog")
public("api:suggest_procedures", "suggestions from the public catalog")
public("api:get_declaration_form", "the declaration form of a public procedure is public, as the paper form is")
public("api:list_fields", "fields of the public catalog")
public("api:list_agencies", "implementing agencies of the public catalog")
unscoped_admin("catalog.ImplementingAgency", "the catalogue is province-wide, kept by controllers (catalog.edit)")
