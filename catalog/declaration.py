"""Tờ khai (declaration forms) as data: a JSON Schema document (draft 2020-12) for the machine,
a layout for people, and filled examples. Pure functions, no I/O:

- ``form_problems``: the check a form must pass before it is published (a valid schema, every
  layout path known, every example valid, only supported formats, widgets and keywords);
- ``validate``: every problem of filled data at once, each on its field's path with a
  Vietnamese message (``Ngày sinh: không được sau ngày hôm nay.``);
- ``normalize`` and ``from_post``: data as typed (``07/11/2022``, numbers as text, a web form's
  flat names) into the stored JSON (ISO dates, integers, nested objects and lists);
- ``sections``: what a page renders (fieldsets, labels, inputs, conditional parts and repeating
  groups), from the schema, the layout, the data and the errors;
- ``texts`` and ``localize``: the form in another language. A form's ``translations`` are, per
  language, the Vietnamese texts people see (titles, hints, messages, choices, section titles)
  each with its translation; ``localize`` gives a schema and layout whose labels are translated,
  the values (what is stored, an ``enum``'s choices) staying the official Vietnamese ones, so
  the page, the review and the validator's messages speak the citizen's language.

The layout (``DeclarationForm.layout``)::

    {"sections": [
        {"title": "Người được khai sinh", "fields": ["child.full_name", "child.birth_date"]},
        {"title": "Người cha", "fields": ["father.full_name"],
         "visible_when": {"path": "father_known", "equals": true}},
        {"title": "Người cùng thay đổi nơi cư trú", "repeat": "members",
         "fields": ["full_name", "birth_date"], "item_title": "Người thứ {n}",
         "add_label": "Thêm người"}],
     "widgets": {"child.sex": "radio", "note": "textarea"},
     "prefill": [{"path": "declarant.full_name", "from": "full_name"},
                 {"path": "mother.personal_id", "from": "personal_id", "if_sex": "female"},
                 {"path": "child.nationality", "value": "Việt Nam"}]}

A section with ``repeat`` names an array of objects; its ``fields`` are paths inside one item.
A part shown ``visible_when`` another field equals a value is left out of the data when it does
not (the server decides; the page's script only hides it).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import SchemaError, ValidationError

from common.formats import date_in_words, group_thousands
from common.identifiers import personal_id_problems, sex_of

# --- What a form may use ------------------------------------------------------------------------

#: ``vn-date``: a calendar date, typed ``dd/mm/yyyy`` and stored ISO (``2024-11-07``);
#: ``vn-personal-id``: a 12-digit personal identification number (common.identifiers).
FORMATS = ("vn-date", "vn-personal-id", "email")
WIDGETS = ("text", "textarea", "select", "radio", "date", "number", "checkbox", "personal-id")
PREFILL_SOURCES = ("full_name", "personal_id", "birth_date", "birth_year", "sex", "address", "phone", "email")
# Our own keywords: the latest/earliest date allowed ("today" or an ISO date), and a message
# shown instead of the generic one when a value does not match its pattern or format.
MAX_DATE = "x-max-date"
MIN_DATE = "x-min-date"
MESSAGE = "x-message"
# Set by ``localize`` only (never in a stored form): the labels shown for an ``enum``'s values.
CHOICE_LABELS = "x-choice-labels"
TRANSLATED_LANGUAGES = ("en", "zh-hans", "ko", "ja")

_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _iso_date(value: str) -> datetime.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def date_input(value: str) -> str:
    """A date as typed (``07/11/2022``, or ``2022-11-07`` from a date picker) in ISO form;
    anything else unchanged, for the validator to refuse with its message."""
    value = value.strip()
    match = _DMY.fullmatch(value)
    if match is None:
        return value
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return value


def date_shown(value: Any) -> str:
    """An ISO date as Vietnamese write it (``07/11/2022``); anything else as it is."""
    if isinstance(value, str) and (day := _iso_date(value)) is not None:
        return day.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=["email"])
    checker.checks("vn-date")(lambda value: not isinstance(value, str) or _iso_date(value) is not None)
    checker.checks("vn-personal-id")(lambda value: not isinstance(value, str) or not personal_id_problems(value))
    return checker


def _date_bound(today: datetime.date, later: bool) -> Callable[..., Iterable[ValidationError]]:
    def check(validator: Any, bound: Any, instance: Any, schema: Mapping[str, Any]) -> Iterable[ValidationError]:
        if not isinstance(instance, str) or (day := _iso_date(instance)) is None:
            return
        limit = today if bound == "today" else _iso_date(str(bound))
        if limit is None:
            return
        if (day > limit) if later else (day < limit):
            yield ValidationError(f"{instance} {'>' if later else '<'} {limit}", validator_value=bound)

    return check


def validator_class(today: datetime.date) -> Any:
    """Draft 2020-12 with our two date keywords, judged on ``today``."""
    return validators.extend(
        Draft202012Validator, {MAX_DATE: _date_bound(today, later=True), MIN_DATE: _date_bound(today, later=False)}
    )


# --- Paths in the schema -----------------------------------------------------------------------


def _parts(path: str) -> list[str]:
    return [p for p in path.split(".") if p]


def schema_at(schema: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
    """The subschema a dotted path (``members.0.full_name`` or ``members.full_name``) names."""
    node: Any = schema
    for part in _parts(path):
        if not isinstance(node, Mapping):
            return None
        if node.get("type") == "array" or "items" in node:
            node = node.get("items")
            if part.isdigit() or part == "__i__":  # a position (``__i__``: the blank row's)
                continue
            if not isinstance(node, Mapping):
                return None
        properties = node.get("properties")
        if not isinstance(properties, Mapping) or part not in properties:
            return None
        node = properties[part]
    return node if isinstance(node, Mapping) else None


def _required_at(schema: Mapping[str, Any], path: str) -> bool:
    parts = _parts(path)
    parent = schema_at(schema, ".".join(parts[:-1])) if len(parts) > 1 else schema
    if parent is not None and parent.get("type") == "array":
        parent = parent.get("items")
    return isinstance(parent, Mapping) and parts[-1] in (parent.get("required") or ())


def label_of(schema: Mapping[str, Any], path: str) -> str:
    """A field's title, with the position of the item it belongs to (``Họ và tên (người thứ 2)``)."""
    node = schema_at(schema, path)
    title = str(node.get("title") or "") if node is not None else ""
    title = title or (_parts(path)[-1] if path else _("Tờ khai"))
    parts = _parts(path)
    positions = [int(p) + 1 for p in parts[:-1] if p.isdigit()]
    if positions:
        return _("%(title)s (người thứ %(n)d)") % {"title": title, "n": positions[-1]}
    parent = schema_at(schema, ".".join(parts[:-1])) if len(parts) > 1 else None
    group = str(parent.get("title") or "") if parent is not None else ""
    if group and group.lower() not in title.lower():
        return f"{title} ({group[:1].lower()}{group[1:]})"
    return title


# --- Validation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormError:
    """One problem of filled data: the field's path, its label and what is wrong."""

    path: str
    label: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.message}"


_INCOMPLETE = {"required", "minItems", "minProperties"}


def _message(error: ValidationError) -> str:
    kind = error.validator
    value = error.validator_value
    own = error.schema.get(MESSAGE) if isinstance(error.schema, Mapping) else None
    if own and kind not in ("format", "type"):
        return str(own)
    if kind == "format":
        if value == "vn-personal-id":
            if own:
                return str(own)
            if not re.fullmatch(r"\d{12}", str(error.instance)):
                return _("phải gồm đúng 12 chữ số.")
            problems = personal_id_problems(str(error.instance))
            return problems[0] if problems else _("không hợp lệ.")
        if value == "vn-date":
            return str(own or _("ngày không hợp lệ (ngày/tháng/năm, ví dụ 07/11/2022)."))
        if value == "email":
            return str(own or _("địa chỉ thư điện tử không hợp lệ."))
        return str(own or _("không đúng định dạng."))
    if kind == "pattern":
        return str(own or _("không đúng định dạng."))
    if kind == MAX_DATE:
        if value == "today":
            return _("không được sau ngày hôm nay.")
        return _("không được sau ngày %(day)s.") % {"day": date_shown(value)}
    if kind == MIN_DATE:
        if value == "today":
            return _("không được trước ngày hôm nay.")
        return _("không được trước ngày %(day)s.") % {"day": date_shown(value)}
    if kind == "type":
        return {
            "integer": _("phải là số nguyên."),
            "number": _("phải là số."),
            "string": _("phải là chữ."),
            "boolean": _("phải chọn có hoặc không."),
            "array": _("phải là một danh sách."),
            "object": _("phải là một nhóm thông tin."),
        }.get(str(value), _("không đúng kiểu."))
    if kind in ("enum", "const"):
        return _("cần chọn một giá trị trong danh sách.")
    if kind in ("minimum", "exclusiveMinimum"):
        return _("không được nhỏ hơn %(n)s.") % {"n": value}
    if kind in ("maximum", "exclusiveMaximum"):
        return _("không được lớn hơn %(n)s.") % {"n": value}
    if kind == "minLength":
        return _("không được để trống.") if value == 1 else _("cần ít nhất %(n)d ký tự.") % {"n": value}
    if kind == "maxLength":
        return _("tối đa %(n)d ký tự.") % {"n": value}
    if kind == "minItems":
        return _("cần ít nhất %(n)d mục.") % {"n": value}
    if kind == "maxItems":
        return _("tối đa %(n)d mục.") % {"n": value}
    if kind == "additionalProperties":
        return _("có thông tin không thuộc tờ khai.")
    return _("không hợp lệ.")


def _path(parts: Iterable[Any]) -> str:
    return ".".join(str(p) for p in parts)


def _missing(schema: Mapping[str, Any], path: str) -> list[FormError]:
    """A required field left empty; a required group left wholly empty names its own required
    fields (the page has an input for each, none for the group)."""
    node = schema_at(schema, path) or {}
    inner = [str(n) for n in node.get("required", [])] if node.get("type") == "object" else []
    if inner:
        return [e for name in inner for e in _missing(schema, f"{path}.{name}")]
    return [FormError(path, label_of(schema, path), _("không được để trống."))]


def _errors_of(error: ValidationError, schema: Mapping[str, Any]) -> list[FormError]:
    if error.validator == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        found = []
        for name in error.validator_value:
            if name not in instance:
                found += _missing(schema, _path([*error.absolute_path, name]))
        return found
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = [str(k) for k in error.instance if k not in known]
        return [
            FormError(p, p, _("không có trong tờ khai."))
            for p in (_path([*error.absolute_path, name]) for name in extra)
        ]
    if error.validator in ("anyOf", "oneOf", "allOf") and error.context:
        return [e for sub in error.context for e in _errors_of(sub, schema)][:1]
    path = _path(error.absolute_path)
    return [FormError(path, label_of(schema, path), _message(error))]


def validate(schema: Mapping[str, Any], data: Any, *, today: datetime.date, complete: bool = True) -> list[FormError]:
    """Every problem of ``data`` at once, one per field (the first of each), in the schema's
    order. ``complete=False`` (a draft): empty required fields are not problems yet."""
    cls = validator_class(today)
    checker = cls(schema, format_checker=format_checker())
    found: dict[str, FormError] = {}
    for error in sorted(checker.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        if not complete and (error.validator in _INCOMPLETE or (error.validator == "minLength" and not error.instance)):
            continue
        for problem in _errors_of(error, schema):
            found.setdefault(problem.path, problem)
    order = {path: n for n, path in enumerate(field_paths(schema))}
    return sorted(found.values(), key=lambda e: (order.get(_generic(e.path), len(order)), e.path))


def _generic(path: str) -> str:
    return ".".join(p for p in _parts(path) if not p.isdigit())


def field_paths(schema: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every leaf field's path in the schema's order (items of arrays without their position)."""
    paths: list[str] = []
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return paths
    for name, sub in properties.items():
        path = f"{prefix}{name}"
        if not isinstance(sub, Mapping):
            continue
        if sub.get("type") == "object":
            paths += field_paths(sub, f"{path}.")
        elif sub.get("type") == "array" and isinstance(sub.get("items"), Mapping):
            paths += field_paths(sub["items"], f"{path}.")
        else:
            paths.append(path)
    return paths


def normalize(schema: Mapping[str, Any], data: Any) -> Any:
    """Data as typed into the stored JSON: ``vn-date`` to ISO, integers typed as text to numbers,
    text stripped (NFC by the caller), empty text and empty groups left out."""
    kind = schema.get("type")
    if isinstance(data, Mapping) and (kind == "object" or "properties" in schema):
        properties = schema.get("properties") or {}
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            sub = properties.get(key) if isinstance(properties, Mapping) else None
            value = normalize(sub, value) if isinstance(sub, Mapping) else value
            if value in ("", None, {}):
                continue
            cleaned[str(key)] = value
        return cleaned
    if isinstance(data, list) and kind == "array":
        items = schema.get("items")
        rows = [normalize(items, row) if isinstance(items, Mapping) else row for row in data]
        return [row for row in rows if row not in ("", None, {})]
    if isinstance(data, str):
        text = data.strip()
        if schema.get("format") == "vn-date":
            return date_input(text)
        if kind in ("integer", "number") and re.fullmatch(r"-?\d{1,15}", text.replace(".", "")):
            return int(text.replace(".", ""))
        if kind == "boolean" and text in ("true", "false", "on", "1", "0"):
            return text in ("true", "on", "1")
        return text
    return data


# --- The layout ----------------------------------------------------------------------------------


def layout_sections(layout: Any) -> list[Mapping[str, Any]]:
    sections = layout.get("sections") if isinstance(layout, Mapping) else None
    return [s for s in sections if isinstance(s, Mapping)] if isinstance(sections, list) else []


def _get(data: Any, path: str) -> Any:
    node = data
    for part in _parts(path):
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def value_at(data: Any, path: str) -> Any:
    """The value a dotted path names in filled form data (None when absent)."""
    return _get(data, path)


def signers(layout: Any, data: Any) -> list[tuple[str, str]]:
    """Who signs the printed form: ``layout["signers"]`` as (title, name from the data), e.g. both
    spouses on a marriage form; empty: the person who submitted signs alone."""
    found = layout.get("signers") if isinstance(layout, Mapping) else None
    if not isinstance(found, list):
        return []
    return [
        (str(s.get("title", "")), str(_get(data, str(s.get("name", ""))) or ""))
        for s in found
        if isinstance(s, Mapping)
    ]


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = _parts(path)
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def visible(section: Mapping[str, Any], data: Any) -> bool:
    """Whether a conditional part applies to ``data`` (``visible_when``: a path and the value)."""
    when = section.get("visible_when")
    if not isinstance(when, Mapping):
        return True
    return bool(_get(data, str(when.get("path", ""))) == when.get("equals"))


def widget_of(schema: Mapping[str, Any], layout: Any, path: str) -> str:
    """How a field is typed: the layout's choice, or what its schema suggests."""
    chosen = layout.get("widgets", {}).get(_generic(path)) if isinstance(layout, Mapping) else None
    if chosen:
        return str(chosen)
    node = schema_at(schema, path) or {}
    if "enum" in node:
        return "radio" if len(node["enum"]) <= 3 else "select"
    if node.get("format") == "vn-date":
        return "date"
    if node.get("format") == "vn-personal-id":
        return "personal-id"
    if node.get("type") == "boolean":
        return "checkbox"
    if node.get("type") in ("integer", "number"):
        return "number"
    if int(node.get("maxLength") or 0) > 200:
        return "textarea"
    return "text"


POST_PREFIX = "d."


def from_post(schema: Mapping[str, Any], layout: Any, post: Mapping[str, Any]) -> dict[str, Any]:
    """A web form's fields (``d.child.full_name``, ``d.members.0.full_name``) as the form's
    data, normalized; the parts hidden by their condition and empty rows of a group left out."""
    raw: dict[str, Any] = {}
    sections = layout_sections(layout)
    for section in sections:
        if "repeat" in section:
            continue
        for path in section.get("fields", []):
            value = post.get(POST_PREFIX + str(path))
            if value is None and widget_of(schema, layout, str(path)) == "checkbox":
                value = "false"
            if value is not None:
                _set(raw, str(path), value)
    data = normalize(schema, raw)
    for section in sections:
        if "repeat" not in section:
            continue
        group = str(section["repeat"])
        prefix = f"{POST_PREFIX}{group}."
        indices = sorted({int(key[len(prefix) :].split(".", 1)[0]) for key in post if _row_key(key, prefix)})
        rows = []
        for index in indices:
            row: dict[str, Any] = {}
            for path in section.get("fields", []):
                value = post.get(f"{prefix}{index}.{path}")
                if value is not None:
                    _set(row, str(path), value)
            rows.append(row)
        group_schema = schema_at(schema, group) or {}
        cleaned = normalize(group_schema, rows)
        if cleaned:
            _set(data, group, cleaned)
    for section in sections:
        if not visible(section, data):
            for path in _section_paths(section):
                _drop(data, path)
    return data


def _row_key(key: str, prefix: str) -> bool:
    if not key.startswith(prefix):
        return False
    head = key[len(prefix) :].split(".", 1)[0]
    return head.isdigit() and int(head) < 100


def _section_paths(section: Mapping[str, Any]) -> list[str]:
    if "repeat" in section:
        return [str(section["repeat"])]
    return [str(p) for p in section.get("fields", [])]


def _drop(data: dict[str, Any], path: str) -> None:
    parts = _parts(path)
    node: Any = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)
        # An object left empty goes too.
        if len(parts) > 1 and not node:
            _drop(data, ".".join(parts[:-1]))


def to_post(schema: Mapping[str, Any], layout: Any, data: Any) -> dict[str, str]:
    """The inverse of ``from_post``: the stored data as a web form's fields (dates shown
    ``dd/mm/yyyy``), for a draft resumed and the review page's hidden fields."""
    fields: dict[str, str] = {}
    for section in layout_sections(layout):
        if "repeat" in section:
            group = str(section["repeat"])
            rows = _get(data, group)
            for index, row in enumerate(rows if isinstance(rows, list) else []):
                for path in section.get("fields", []):
                    value = _get(row, str(path))
                    if value is not None:
                        fields[f"{POST_PREFIX}{group}.{index}.{path}"] = _shown(value)
            continue
        for path in section.get("fields", []):
            value = _get(data, str(path))
            if value is not None:
                fields[POST_PREFIX + str(path)] = _shown(value)
    return fields


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return date_shown(value)


# --- Prefill -------------------------------------------------------------------------------------


def prefill(layout: Any, known: Mapping[str, Any]) -> dict[str, Any]:
    """What the layout's ``prefill`` takes from what the citizen's account already knows
    (``known``: full_name, personal_id, birth_date (ISO), birth_year, address, phone, email; and
    ``sex``, "Nam" or "Nữ" as the personal ID says); an
    entry with ``if_sex`` applies only when the personal ID says that sex (the mother's part
    is prefilled for a woman, the father's for a man)."""
    data: dict[str, Any] = {}
    entries = layout.get("prefill") if isinstance(layout, Mapping) else None
    personal_id = str(known.get("personal_id") or "")
    sex = sex_of(personal_id) if len(personal_id) == 12 and personal_id.isdigit() else ""
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        if entry.get("if_sex") and entry.get("if_sex") != sex:
            continue
        if entry.get("from") == "sex":
            value: Any = {"male": "Nam", "female": "Nữ"}.get(sex)
        else:
            value = entry["value"] if "value" in entry else known.get(str(entry.get("from")))
        if value not in (None, ""):
            _set(data, str(entry["path"]), value)
    return data


def merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``, objects merged key by key."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


# --- Rendering -----------------------------------------------------------------------------------


@dataclass
class Field:
    """One input on the page."""

    name: str
    id: str
    label: str
    widget: str
    value: str
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    hint: str = ""
    error: str = ""
    max_length: int | None = None


@dataclass
class Row:
    index: str
    title: str
    fields: list[Field]


@dataclass
class Section:
    """A fieldset: its own fields, or the rows of a repeating group (and a blank row for the
    page's script to copy)."""

    key: str
    title: str
    fields: list[Field] = field(default_factory=list)
    hint: str = ""
    visible_when: Mapping[str, Any] | None = None
    shown: bool = True
    repeat: str = ""
    rows: list[Row] = field(default_factory=list)
    blank: Row | None = None
    add_label: str = ""


def _sentence(message: str) -> str:
    """A message shown on its own (beside its field) begins with a capital letter."""
    return message[:1].upper() + message[1:]


def html_id(path: str) -> str:
    return "d-" + re.sub(r"[^A-Za-z0-9_-]", "-", path)


def _field(
    schema: Mapping[str, Any], layout: Any, path: str, generic: str, value: Any, errors: Mapping[str, str]
) -> Field:
    node = schema_at(schema, path) or {}
    widget = widget_of(schema, layout, generic)
    values = [str(c) for c in node.get("enum", [])]
    labels = node.get(CHOICE_LABELS)
    shown_as = [str(label) for label in labels] if isinstance(labels, list) and len(labels) == len(values) else values
    choices = list(zip(values, shown_as, strict=True))
    hint = str(node.get("description") or "")
    if widget == "date" and not hint:
        hint = _("Ngày/tháng/năm, ví dụ 07/11/2022.")
    if widget == "checkbox":
        shown = "true" if value is True or value == "true" else ""
    else:
        shown = _shown(value) if value is not None else ""
    return Field(
        name=POST_PREFIX + path,
        id=html_id(path),
        label=str(node.get("title") or path),
        widget=widget,
        value=shown,
        required=_required_at(schema, generic),
        choices=choices,
        hint=hint,
        error=_sentence(errors.get(path, "")),
        max_length=node.get("maxLength"),
    )


def sections(
    schema: Mapping[str, Any], layout: Any, data: Any = None, errors: Mapping[str, str] | None = None
) -> list[Section]:
    """The page of a form: one ``Section`` per layout section, filled with ``data`` (stored or
    as typed) and ``errors`` by path."""
    data = data or {}
    errors = errors or {}
    found: list[Section] = []
    for number, spec in enumerate(layout_sections(layout), start=1):
        section = Section(
            key=f"s{number}",
            title=str(spec.get("title", "")),
            hint=str(spec.get("hint", "")),
            visible_when=spec.get("visible_when") if isinstance(spec.get("visible_when"), Mapping) else None,
            shown=visible(spec, data),
        )
        paths = [str(p) for p in spec.get("fields", [])]
        if "repeat" in spec:
            group = str(spec["repeat"])
            section.repeat = group
            section.add_label = str(spec.get("add_label") or _("Thêm"))
            item_title = str(spec.get("item_title") or _("Người thứ {n}"))
            rows = _get(data, group)
            rows = rows if isinstance(rows, list) else []
            for index, row in enumerate(rows):
                section.rows.append(
                    Row(
                        str(index),
                        item_title.replace("{n}", str(index + 1)),
                        [
                            _field(schema, layout, f"{group}.{index}.{p}", f"{group}.{p}", _get(row, p), errors)
                            for p in paths
                        ],
                    )
                )
            section.blank = Row(
                "__i__",
                item_title,
                [_field(schema, layout, f"{group}.__i__.{p}", f"{group}.{p}", None, {}) for p in paths],
            )
        else:
            section.fields = [_field(schema, layout, p, p, _get(data, p), errors) for p in paths]
        found.append(section)
    return found


def review_rows(schema: Mapping[str, Any], layout: Any, data: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The filled form as the review page and the printed form show it: sections of (label, value)."""
    shown: list[tuple[str, list[tuple[str, str]]]] = []
    for section in sections(schema, layout, data):
        if not section.shown:
            continue
        rows: list[tuple[str, str]] = []
        for f in section.fields:
            rows.append((f.label, _display(f)))
        for row in section.rows:
            for f in row.fields:
                rows.append((f"{f.label} ({row.title.lower()})", _display(f)))
        shown.append((section.title, rows))
    return shown


def _display(f: Field) -> str:
    if f.widget == "checkbox":
        return _("Có") if f.value == "true" else _("Không")
    return dict(f.choices).get(f.value, f.value) or "—"


# --- The check before publishing ----------------------------------------------------------------


def _walk(node: Any, path: str = "") -> Iterable[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def form_problems(schema: Any, layout: Any, examples: Any, *, today: datetime.date) -> list[str]:
    """Why a form may not be published (empty: it may): its schema is a valid JSON Schema
    (draft 2020-12), uses only supported formats and widgets, every layout path exists, and
    every example is valid."""
    problems: list[str] = []
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [_('Lược đồ phải là một đối tượng JSON Schema có "type": "object".')]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "/"
        return [_("Lược đồ không hợp lệ tại %(where)s: %(message)s") % {"where": where, "message": error.message}]
    declared = schema.get("$schema")
    if declared not in (None, "https://json-schema.org/draft/2020-12/schema"):
        problems.append(_("Chỉ hỗ trợ JSON Schema bản 2020-12."))
    for where, node in _walk(schema):
        if "$ref" in node and not str(node["$ref"]).startswith("#"):
            problems.append(_("Không dùng lược đồ bên ngoài (%(ref)s).") % {"ref": node["$ref"]})
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt not in FORMATS and not where.endswith("/properties"):
            problems.append(
                _("Định dạng “%(format)s” tại %(where)s không được hỗ trợ (chỉ: %(known)s).")
                % {"format": fmt, "where": where or "/", "known": ", ".join(FORMATS)}
            )
    if not isinstance(layout, Mapping) or not layout_sections(layout):
        problems.append(_("Bố cục phải có ít nhất một phần (sections)."))
    else:
        problems += _layout_problems(schema, layout)
    if not isinstance(examples, list) or not examples:
        problems.append(_("Cần ít nhất một ví dụ đã điền hợp lệ."))
    else:
        for number, example in enumerate(examples, start=1):
            for found in validate(schema, example, today=today):
                problems.append(_("Ví dụ %(n)d: %(error)s") % {"n": number, "error": found.text})
    return problems


def _layout_problems(schema: Mapping[str, Any], layout: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    placed: set[str] = set()
    for number, section in enumerate(layout_sections(layout), start=1):
        if not section.get("title"):
            problems.append(_("Phần %(n)d chưa có tiêu đề.") % {"n": number})
        prefix = ""
        if "repeat" in section:
            group = schema_at(schema, str(section["repeat"]))
            if group is None or group.get("type") != "array":
                problems.append(
                    _("Phần %(n)d: “%(path)s” không phải một danh sách trong lược đồ.")
                    % {"n": number, "path": section["repeat"]}
                )
                continue
            prefix = f"{section['repeat']}."
        when = section.get("visible_when")
        if when is not None and (not isinstance(when, Mapping) or schema_at(schema, str(when.get("path"))) is None):
            problems.append(_("Phần %(n)d: điều kiện hiển thị chỉ đến trường không có.") % {"n": number})
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            problems.append(_("Phần %(n)d chưa có trường nào.") % {"n": number})
            continue
        for path in fields:
            node = schema_at(schema, f"{prefix}{path}")
            if node is None:
                problems.append(
                    _("Phần %(n)d: trường “%(path)s” không có trong lược đồ.") % {"n": number, "path": path}
                )
            elif node.get("type") in ("object", "array"):
                problems.append(
                    _("Phần %(n)d: “%(path)s” là một nhóm, hãy liệt kê từng trường của nó.")
                    % {"n": number, "path": path}
                )
            placed.add(f"{prefix}{path}")
    widgets = layout.get("widgets", {})
    for path, widget in widgets.items() if isinstance(widgets, Mapping) else []:
        if widget not in WIDGETS:
            problems.append(
                _("Kiểu nhập “%(widget)s” của “%(path)s” không được hỗ trợ (chỉ: %(known)s).")
                % {"widget": widget, "path": path, "known": ", ".join(WIDGETS)}
            )
        elif schema_at(schema, str(path)) is None:
            problems.append(_("Kiểu nhập cho trường không có: “%(path)s”.") % {"path": path})
    for entry in layout.get("prefill", []) or []:
        if not isinstance(entry, Mapping) or schema_at(schema, str(entry.get("path"))) is None:
            problems.append(_("Điền sẵn cho trường không có: %(entry)s.") % {"entry": entry})
        elif "value" not in entry and entry.get("from") not in PREFILL_SOURCES:
            problems.append(
                _("Điền sẵn từ “%(source)s” không được hỗ trợ (chỉ: %(known)s).")
                % {"source": entry.get("from"), "known": ", ".join(PREFILL_SOURCES)}
            )
    for path in field_paths(schema):
        if path not in placed:
            problems.append(_("Trường “%(path)s” không có trong bố cục nào.") % {"path": path})
    for signer in layout.get("signers", []) or []:
        if (
            not isinstance(signer, Mapping)
            or not signer.get("title")
            or schema_at(schema, str(signer.get("name"))) is None
        ):
            problems.append(
                _("Người ký tờ khai cần tiêu đề và trường tên có trong lược đồ: %(entry)s.") % {"entry": signer}
            )
    return problems + _result_problems(schema, layout.get("result"))


# --- The result made from the form -----------------------------------------------------------------
# ``layout["result"]`` (optional): what the result document of the procedure (the birth certificate,
# the marriage certificate…) shows, filled from the form's data, so that the agency signs the real
# document rather than a generic notice. See catalog/declaration_forms/README.md.


@dataclass(frozen=True)
class ResultLine:
    label: str
    value: str
    inline: bool = False  # printed on the line before it ("Giới tính: Nam  Dân tộc: Kinh")


@dataclass(frozen=True)
class ResultPart:
    title: str
    lines: tuple[ResultLine, ...]


@dataclass(frozen=True)
class ResultDocument:
    """The result document's name (what the data store calls it), its title, the parts with their
    filled lines, and the title of the person who signs it."""

    name: str
    title: str
    parts: tuple[ResultPart, ...]
    signer_title: str
    registered: bool


def result_spec(layout: Any) -> Mapping[str, Any] | None:
    spec = layout.get("result") if isinstance(layout, Mapping) else None
    return spec if isinstance(spec, Mapping) else None


def _result_value(schema: Mapping[str, Any], data: Any, line: Mapping[str, Any]) -> str:
    value = _get(data, str(line.get("path", "")))
    if value is None or value == "":
        return ""
    node = schema_at(schema, str(line.get("path", ""))) or {}
    if node.get("format") == "vn-date" and (day := _iso_date(str(value))) is not None:
        shown = day.strftime("%d/%m/%Y")
        if line.get("in_words"):
            words = date_in_words(day)
            return f"{shown} ({words[:1].lower()}{words[1:]})"
        return shown
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, int) and abs(value) >= 10_000:  # an amount or an area, not a year
        return group_thousands(value)
    return str(value)


def result_document(schema: Mapping[str, Any], layout: Any, data: Any) -> ResultDocument | None:
    """The result document that ``layout["result"]`` describes, filled from ``data`` (a valid
    filled form); None when the form describes none. A line whose field was left empty, and a
    part whose condition does not hold or whose lines are all empty, are left out."""
    spec = result_spec(layout)
    if spec is None:
        return None
    parts: list[ResultPart] = []
    for part in spec.get("parts") or []:
        if not isinstance(part, Mapping) or not visible(part, data):
            continue
        lines: list[ResultLine] = []
        for line in part.get("lines") or []:
            value = _result_value(schema, data, line)
            if value:
                node = schema_at(schema, str(line.get("path", ""))) or {}
                label = str(line.get("label") or node.get("title") or "")
                lines.append(ResultLine(label, value, inline=bool(line.get("inline")) and bool(lines)))
        if lines:
            parts.append(ResultPart(str(part.get("title") or ""), tuple(lines)))
    name = str(spec.get("name") or "")
    return ResultDocument(
        name=name,
        title=str(spec.get("title") or name),
        parts=tuple(parts),
        signer_title=str(spec.get("signer_title") or ""),
        registered=bool(spec.get("registered", True)),
    )


def _result_problems(schema: Mapping[str, Any], spec: Any) -> list[str]:
    if spec is None:
        return []
    if not isinstance(spec, Mapping) or not str(spec.get("name") or "").strip():
        return [_("Mẫu kết quả (result) phải có tên giấy tờ (name).")]
    problems: list[str] = []
    parts = spec.get("parts")
    if not isinstance(parts, list) or not parts:
        return [_("Mẫu kết quả cần ít nhất một phần (parts).")]
    for number, part in enumerate(parts, start=1):
        lines = part.get("lines") if isinstance(part, Mapping) else None
        if not isinstance(lines, list) or not lines:
            problems.append(_("Mẫu kết quả, phần %(n)d: chưa có dòng nào.") % {"n": number})
            continue
        when = part.get("visible_when")
        if when is not None and (not isinstance(when, Mapping) or schema_at(schema, str(when.get("path"))) is None):
            problems.append(_("Mẫu kết quả, phần %(n)d: điều kiện chỉ đến trường không có.") % {"n": number})
        for line in lines:
            path = str(line.get("path", "")) if isinstance(line, Mapping) else ""
            node = schema_at(schema, path)
            if node is None or node.get("type") in ("object", "array"):
                problems.append(
                    _("Mẫu kết quả, phần %(n)d: “%(path)s” không phải một trường của lược đồ.")
                    % {"n": number, "path": path}
                )
    return problems


# --- Translations --------------------------------------------------------------------------------

_TEXT_KEYS = ("title", "description", MESSAGE)
_SECTION_TEXT_KEYS = ("title", "hint", "item_title", "add_label")


def texts(schema: Any, layout: Any) -> list[str]:
    """Every text of a form that people see, once each, in order: the schema's titles,
    descriptions, own messages and choices, and the layout's section titles, hints, item titles
    and add labels. These are what a language's translations give."""
    found: dict[str, None] = {}
    for _where, node in _walk(schema):
        for key in _TEXT_KEYS:
            if isinstance(node.get(key), str) and node[key]:
                found.setdefault(node[key])
        for value in node.get("enum", []) if isinstance(node.get("enum"), list) else []:
            if isinstance(value, str) and value:
                found.setdefault(value)
    for section in layout_sections(layout):
        for key in _SECTION_TEXT_KEYS:
            if isinstance(section.get(key), str) and section[key]:
                found.setdefault(section[key])
    return list(found)


def localize(schema: Any, layout: Any, translated: Mapping[str, str]) -> tuple[Any, Any]:
    """The schema and layout with every text ``translated`` knows in its language (a text it does
    not know stays Vietnamese). Values never change: an ``enum`` keeps its Vietnamese values and
    gets ``x-choice-labels`` to show; a ``visible_when`` still compares the stored value."""
    if not translated:
        return schema, layout

    def node(value: Any) -> Any:
        if isinstance(value, list):
            return [node(v) for v in value]
        if not isinstance(value, Mapping):
            return value
        copy = {key: node(v) if key not in ("enum", "const", "examples") else v for key, v in value.items()}
        for key in _TEXT_KEYS:
            if isinstance(copy.get(key), str):
                copy[key] = translated.get(copy[key], copy[key])
        if isinstance(value.get("enum"), list):
            copy[CHOICE_LABELS] = [translated.get(v, v) if isinstance(v, str) else str(v) for v in value["enum"]]
        return copy

    localized_layout = layout
    if isinstance(layout, Mapping):
        localized_layout = dict(layout)
        localized_layout["sections"] = [
            {
                **section,
                **{
                    key: translated.get(section[key], section[key])
                    for key in _SECTION_TEXT_KEYS
                    if isinstance(section.get(key), str)
                },
            }
            for section in layout_sections(layout)
        ]
    return node(schema), localized_layout


def translation_problems(schema: Any, layout: Any, translations: Any) -> list[str]:
    """Why a form's ``translations`` may not be published: only the portal's other languages,
    each a mapping from a text of this form (``texts``) to a non-empty translation."""
    if translations in (None, {}):
        return []
    if not isinstance(translations, Mapping):
        return [_("Bản dịch phải là một đối tượng theo ngôn ngữ.")]
    problems: list[str] = []
    known = set(texts(schema, layout))
    for language, translated in translations.items():
        if language not in TRANSLATED_LANGUAGES:
            problems.append(
                _("Ngôn ngữ “%(lang)s” không được hỗ trợ (chỉ: %(known)s).")
                % {"lang": language, "known": ", ".join(TRANSLATED_LANGUAGES)}
            )
            continue
        if not isinstance(translated, Mapping):
            problems.append(_("Bản dịch “%(lang)s” phải là một đối tượng.") % {"lang": language})
            continue
        for source, target in translated.items():
            if source not in known:
                problems.append(
                    _("Bản dịch “%(lang)s”: “%(text)s” không có trong tờ khai.") % {"lang": language, "text": source}
                )
            elif not isinstance(target, str) or not target.strip():
                problems.append(
                    _("Bản dịch “%(lang)s”: “%(text)s” chưa có nội dung dịch.") % {"lang": language, "text": source}
                )
    return problems
