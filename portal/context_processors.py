from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from common.shell import Place

from .shell import public_links


def shell(request: HttpRequest) -> dict[str, Any]:
    """The public main menu (the registered entries everyone sees), built when a page shows it."""
    return {"shell_menu": SimpleLazyObject(lambda: public_links(Place.MENU))}
