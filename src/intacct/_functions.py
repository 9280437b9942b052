"""One builder per Intacct function: each returns a :class:`Function` ready to put in a request.

Arguments are checked here, so a bad page size or an empty key list raises ValueError before
anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lxml import etree

from intacct._controlid import check_controlid, new_controlid
from intacct._convert import wire_text
from intacct._query import Q, check_field, check_text

READ_BY_QUERY_MAX_PAGE = 1000
QUERY_MAX_PAGE = 2000
MAX_KEYS = 100

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


@dataclass
class Function:
    """A ``<function controlid=...>`` and what it is for."""

    name: str
    element: etree._Element
    controlid: str = field(default_factory=new_controlid)
    object: str | None = None
    #: writes are sent with uniqueid=true and never re-sent after an unknown outcome
    write: bool = False

    def __post_init__(self) -> None:
        check_controlid(self.controlid)


def check_object(obj: str) -> str:
    if not isinstance(obj, str) or not _NAME.match(obj):
        raise ValueError(f"not an object name: {obj!r}")
    return obj


def _check_page(page_size: int, maximum: int) -> int:
    if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= maximum:
        raise ValueError(f"page_size must be an integer in 1..{maximum}, got {page_size!r}")
    return page_size


def _fields(fields: Sequence[str] | None) -> str:
    if fields is None:
        return "*"
    if isinstance(fields, str):
        raise TypeError("fields must be a list of names, not a string")
    if not fields:
        raise ValueError("fields must not be empty (use None for all fields)")
    return ",".join(check_field(f) for f in fields)


def _keys(keys: Iterable[Any], what: str = "keys") -> str:
    if isinstance(keys, str | bytes):
        raise TypeError(f"{what} must be a list, not a string")
    items = [str(k) for k in keys]
    if not items:
        raise ValueError(f"{what} must not be empty")
    if len(items) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} {what} per call, got {len(items)}")
    for k in items:
        if not k or "," in k:
            raise ValueError(f"bad key {k!r} (empty or containing a comma)")
        check_text(k)
    return ",".join(items)


def _el(tag: str, text: str | None = None, parent: etree._Element | None = None) -> etree._Element:
    el = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def fill(parent: etree._Element, values: Mapping[str, Any], *, legacy: bool = False) -> None:
    """Write a record: nested dicts become nested elements, lists repeat the element; in legacy
    functions ``@name`` keys become attributes and dates become <year><month><day>."""
    for key, value in values.items():
        if legacy and key.startswith("@"):
            parent.set(key[1:], wire_text(value))
            continue
        if not _NAME.match(key):
            raise ValueError(f"not a field name: {key!r}")
        for item in value if isinstance(value, list | tuple) else [value]:
            child = etree.SubElement(parent, key)
            if isinstance(item, Mapping):
                fill(child, item, legacy=legacy)
            elif legacy and isinstance(item, date) and not isinstance(item, datetime):
                _el("year", str(item.year), child)
                _el("month", str(item.month), child)
                _el("day", str(item.day), child)
            else:
                text = wire_text(item)
                child.text = check_text(text) if text else None


def read_by_query(
    obj: str, fields: Sequence[str] | None, query: str, page_size: int, *, docparid: str | None = None
) -> Function:
    el = _el("readByQuery")
    _el("object", check_object(obj), el)
    _el("fields", _fields(fields), el)
    _el("query", check_text(query) or None, el)
    _el("pagesize", str(_check_page(page_size, READ_BY_QUERY_MAX_PAGE)), el)
    if docparid:
        _el("docparid", docparid, el)
    return Function("readByQuery", el, object=obj)


def read_more(result_id: str, obj: str | None = None) -> Function:
    if not result_id:
        raise ValueError("readMore needs a resultId")
    el = _el("readMore")
    _el("resultId", result_id, el)
    return Function("readMore", el, object=obj)


def query(
    obj: str,
    fields: Sequence[str],
    where: Q | None,
    order_by: Sequence[str] | None,
    page_size: int,
    offset: int,
    *,
    case_insensitive: bool = False,
    show_private: bool = False,
    docparid: str | None = None,
    count_field: str | None = None,
) -> Function:
    el = _el("query")
    select = _el("select", None, el)
    if count_field:
        _el("count", check_field(count_field), select)
    else:
        if isinstance(fields, str) or not fields:
            raise ValueError("query needs a non-empty list of fields (the query function has no '*')")
        for f in fields:
            _el("field", check_field(f), select)
    _el("object", check_object(obj), el)
    if docparid:
        _el("docparid", docparid, el)
    if where is not None:
        _el("filter", None, el).append(where.to_filter())
    if order_by:
        ob = _el("orderby", None, el)
        for spec in order_by:
            name, _, direction = spec.strip().partition(" ")
            direction = direction.strip().lower() or "asc"
            if direction not in ("asc", "desc"):
                raise ValueError(f"order_by entries are 'FIELD' or 'FIELD desc', got {spec!r}")
            order = _el("order", None, ob)
            _el("field", check_field(name.lstrip("-")), order)
            _el("descending" if direction == "desc" or name.startswith("-") else "ascending", None, order)
    if case_insensitive or show_private:
        opts = _el("options", None, el)
        if case_insensitive:
            _el("caseinsensitive", "true", opts)
        if show_private:
            _el("showprivate", "true", opts)
    _el("pagesize", str(_check_page(page_size, QUERY_MAX_PAGE)), el)
    if not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset!r}")
    _el("offset", str(offset), el)
    return Function("query", el, object=obj)


def read(
    obj: str, keys: Iterable[Any], fields: Sequence[str] | None = None, *, by_name: bool = False
) -> Function:
    name = "readByName" if by_name else "read"
    el = _el(name)
    _el("object", check_object(obj), el)
    _el("keys", _keys(keys, "names" if by_name else "keys"), el)
    _el("fields", _fields(fields), el)
    return Function(name, el, object=obj)


def write(kind: str, obj: str, values: Mapping[str, Any], controlid: str | None = None) -> Function:
    """A ``create`` or ``update`` of one record (one function per record: one result, one controlid)."""
    if kind not in ("create", "update"):
        raise ValueError(kind)
    if not isinstance(values, Mapping) or not values:
        raise ValueError(f"{kind} of {obj} needs a non-empty dict of fields")
    el = _el(kind)
    fill(_el(check_object(obj), None, el), values)
    return Function(
        kind, el, controlid=new_controlid() if controlid is None else controlid, object=obj, write=True
    )


def delete(obj: str, keys: Iterable[Any], controlid: str | None = None) -> Function:
    el = _el("delete")
    _el("object", check_object(obj), el)
    _el("keys", _keys(keys), el)
    return Function(
        "delete", el, controlid=new_controlid() if controlid is None else controlid, object=obj, write=True
    )


def get_api_session(location_id: str | None) -> Function:
    """``location_id``: an entity, ``""`` for the top level explicitly, None for the login's level."""
    el = _el("getAPISession")
    if location_id is not None:
        _el("locationid", location_id or None, el)
    return Function("getAPISession", el)


def inspect(obj: str, detail: bool = False) -> Function:
    el = _el("inspect")
    if detail:
        el.set("detail", "1")
    _el("object", obj if obj == "*" else check_object(obj), el)
    return Function("inspect", el, object=obj)


def lookup(obj: str) -> Function:
    el = _el("lookup")
    _el("object", check_object(obj), el)
    return Function("lookup", el, object=obj)


_READ_ONLY_LEGACY = ("get", "read", "inspect", "lookup")


def legacy(name: str, params: Mapping[str, Any], controlid: str | None = None) -> Function:
    """A legacy (object-specific) function such as ``create_arpayment``; ``params`` is written in
    order as lower-case elements (dates as <year><month><day>, ``@attr`` as attributes)."""
    if not _NAME.match(name):
        raise ValueError(f"not a function name: {name!r}")
    el = _el(name)
    fill(el, params, legacy=True)
    write = not name.startswith(_READ_ONLY_LEGACY)
    obj = None
    return Function(
        name, el, controlid=new_controlid() if controlid is None else controlid, object=obj, write=write
    )
