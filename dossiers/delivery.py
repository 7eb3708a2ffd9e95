"""Nhận kết quả qua dịch vụ bưu chính công ích: where the result of a dossier goes when the
citizen chose to receive it by post, as data and pure checks (no database here).

The postal address is asked only for that choice and kept apart from the contact address: the
result may go to a relative, to the office, to another commune. It is personal data, like the
contact address: never in logs, URLs, the public tracking page or the national portal's sync.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.text import fold

from .rules import ResultDelivery, normalize_phone

RECIPIENT_MAX_LENGTH = 200
PHONE_MAX_LENGTH = 20
ADDRESS_MAX_LENGTH = 300
_PHONE = re.compile(r"(?:0|\+84)\d{9,10}")
# The form fields (online and at the counter) that hold each part of a ``PostalAddress``, and
# whose errors ``postal.<part>`` from the services go to.
POSTAL_FORM_FIELDS = {
    "recipient_name": "postal_recipient_name",
    "phone": "postal_phone",
    "address": "postal_address",
    "commune": "postal_commune",
}


@dataclass(frozen=True)
class PostalAddress:
    """Địa chỉ nhận kết quả qua bưu chính: the recipient, their phone (the postman calls before
    delivering), the house number and street or hamlet, and the commune (``commune``: the code of
    an ``org.AdministrativeUnit`` of level commune)."""

    recipient_name: str = ""
    phone: str = ""
    address: str = ""
    commune: str = ""

    def stripped(self) -> PostalAddress:
        return PostalAddress(
            recipient_name=" ".join(self.recipient_name.split()),
            phone=normalize_phone(self.phone.strip()),
            address=" ".join(self.address.split()),
            commune=self.commune.strip(),
        )

    @property
    def is_empty(self) -> bool:
        return not any(part.strip() for part in (self.recipient_name, self.phone, self.address, self.commune))


def postal_address_problems(
    postal: PostalAddress | None,
    *,
    result_delivery: str,
    complete: bool,
    commune_known: bool,
    communes_offered: bool = True,
) -> dict[str, str]:
    """What is wrong with the postal address, by field (``recipient_name``, ``phone``,
    ``address``, ``commune``; empty: nothing). Asked only when the result goes by post; a draft
    (``complete=False``) may leave fields empty but not fill them wrongly. ``commune_known``: the
    commune code names a commune in force today; ``communes_offered``: there are communes to
    choose from (without any, the address line must say it)."""
    if result_delivery != ResultDelivery.POST:
        return {}
    postal = (postal or PostalAddress()).stripped()
    problems: dict[str, str] = {}
    too_long = _("Dài tối đa %(max)d ký tự.")
    if len(postal.recipient_name) > RECIPIENT_MAX_LENGTH:
        problems["recipient_name"] = too_long % {"max": RECIPIENT_MAX_LENGTH}
    elif complete and not postal.recipient_name:
        problems["recipient_name"] = _("Cần ghi họ và tên người nhận kết quả.")
    if len(postal.phone) > PHONE_MAX_LENGTH or (postal.phone and not _PHONE.fullmatch(postal.phone)):
        problems["phone"] = _("Số điện thoại người nhận không hợp lệ.")
    elif complete and not postal.phone:
        problems["phone"] = _("Cần ghi số điện thoại người nhận để nhân viên bưu chính liên hệ khi phát.")
    if len(postal.address) > ADDRESS_MAX_LENGTH:
        problems["address"] = too_long % {"max": ADDRESS_MAX_LENGTH}
    elif complete and not postal.address:
        problems["address"] = _("Cần ghi số nhà, đường phố hoặc thôn, tổ dân phố nơi nhận kết quả.")
    if postal.commune and not commune_known:
        problems["commune"] = _("Xã, phường, đặc khu này không có trong danh mục đơn vị hành chính hiện hành.")
    elif complete and not postal.commune and communes_offered:
        problems["commune"] = _("Cần chọn xã, phường, đặc khu nơi nhận kết quả.")
    return problems


def full_address(address: str, *places: str) -> str:
    """The address line followed by the commune and the province, as written on an envelope
    (empty parts left out)."""
    return ", ".join(part.strip() for part in (address, *places) if part and part.strip())


_LEVELS = ("xa", "phuong", "dac khu", "thi tran")


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def _bare(name: str) -> str:
    """A commune's folded name without its level ("Phường Nha Trang" → "nha trang")."""
    folded = _folded(name)
    for level in _LEVELS:
        if folded.startswith(level + " "):
            return folded[len(level) + 1 :]
    return folded


def guess_commune(address: str, communes: Sequence[tuple[str, str]]) -> str:
    """The code of the commune a free-text address names, however accented or cased: the
    longest full name found in it ("phường Nha Trang"), else a name without its level ("Nha
    Trang") that only one commune has; "" when none is. To preselect it from the contact
    address."""
    words = f" {_folded(address)} "

    def found(key: str) -> bool:
        return bool(key) and f" {key} " in words

    full = [(len(_folded(name)), code) for code, name in communes if found(_folded(name))]
    if full:
        return max(full)[1]
    bare = [code for code, name in communes if found(_bare(name))]
    return bare[0] if len(bare) == 1 else ""


def address_line(address: str, commune_name: str) -> str:
    """The part of a free-text address before the commune it names ("12 Trần Phú, phường Nha
    Trang, Khánh Hòa" → "12 Trần Phú"): the commune and province are chosen apart. The address
    unchanged when the commune is not one of its later comma-separated parts."""
    parts = [part.strip() for part in address.split(",")]
    names = {_folded(commune_name), _bare(commune_name)}
    for position, part in enumerate(parts):
        if position > 0 and _folded(part) in names:
            return ", ".join(p for p in parts[:position] if p)
    return address.strip()


def commune_choices(communes: Sequence[tuple[str, str, str]], empty_label: str) -> list[tuple[str, object]]:
    """Choices for a select of communes (code, name, province), grouped by province."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, province in communes:
        groups.setdefault(province, []).append((code, name))
    return [("", empty_label), *((province, choices) for province, choices in groups.items())]
