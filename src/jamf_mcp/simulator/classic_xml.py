"""Classic API XML: render snake_case dicts, and parse write bodies guided by a template."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any

from litestar import Request, Response

from jamf_mcp.simulator.errors import JamfHttpError, json_response

XML = "application/xml"

# list key -> (element name of one item, template of one item)
_ID_NAME: dict[str, Any] = {"id": 0, "name": ""}
LIST_ITEMS: dict[str, tuple[str, dict[str, Any]]] = {
    "computers": ("computer", {"id": 0, "name": "", "udid": ""}),
    "computer_groups": ("computer_group", _ID_NAME),
    "buildings": ("building", _ID_NAME),
    "departments": ("department", _ID_NAME),
    "jss_users": ("user", _ID_NAME),
    "jss_user_groups": ("user_group", _ID_NAME),
    "users": ("user", {"name": ""}),
    "user_groups": ("user_group", _ID_NAME),
    "network_segments": ("network_segment", _ID_NAME),
    "ibeacons": ("ibeacon", _ID_NAME),
    "packages": (
        "package",
        {
            "id": 0,
            "name": "",
            "action": "Install",
            "fut": False,
            "feu": False,
            "update_autorun": False,
        },
    ),
    "scripts": (
        "script",
        {"id": 0, "name": "", "priority": "After", **{f"parameter{n}": "" for n in range(4, 12)}},
    ),
    "self_service_categories": (
        "category",
        {"id": 0, "name": "", "display_in": True, "feature_in": False},
    ),
    "printers": ("printer", {"id": 0, "name": "", "action": "install", "make_default": False}),
    "dock_items": ("dock_item", {"id": 0, "name": "", "action": "Add To End"}),
    "accounts": ("account", {"action": "", "username": "", "realname": ""}),
    "directory_bindings": ("binding", _ID_NAME),
    "no_execute_on": ("day", {}),
    "policies": ("policy", _ID_NAME),
    "criteria": (
        "criterion",
        {
            "name": "",
            "priority": 0,
            "and_or": "and",
            "search_type": "",
            "value": "",
            "opening_paren": False,
            "closing_paren": False,
        },
    ),
    "policy_logs": ("policy_log", {}),
}


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """Classic answers JSON only when asked with ``Accept: application/json``."""
    return "application/json" in request.headers.get("accept", "")


def _emit(parent: ET.Element, key: str, value: Any) -> None:
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for child_key, child in value.items():
            _emit(element, child_key, child)
    elif isinstance(value, list):
        item_tag = LIST_ITEMS.get(key, (key.rstrip("s"), {}))[0]
        ET.SubElement(element, "size").text = str(len(value))
        for item in value:
            _emit(element, item_tag, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def _serialize(element: ET.Element) -> bytes:
    body: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + body


def to_xml(root: str, value: dict[str, Any]) -> bytes:
    """``<root>…</root>`` with an XML declaration."""
    element = ET.Element(root)
    for key, child in value.items():
        _emit(element, key, child)
    return _serialize(element)


def classic_response(
    request: Request[Any, Any, Any], root: str, value: Any, status: int = 200
) -> Response[bytes]:
    """``{root: value}`` as JSON or ``<root>`` XML, by the Accept header."""
    if wants_json(request):
        return json_response({root: value}, status)
    if isinstance(value, list):
        tag = LIST_ITEMS.get(root, (root.rstrip("s"), {}))[0]
        element = ET.Element(root)
        ET.SubElement(element, "size").text = str(len(value))
        for item in value:
            _emit(element, tag, item)
        return Response(content=_serialize(element), status_code=status, media_type=XML)
    return Response(content=to_xml(root, value), status_code=status, media_type=XML)


async def read_xml(request: Request[Any, Any, Any], root: str) -> ET.Element:
    """Parse a Classic write body; DTDs and entities are refused outright (400)."""
    body = await request.body()
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise JamfHttpError(400, description="DTDs and entities are not accepted")
    try:
        element = ET.fromstring(body)  # noqa: S314 - see the check above
    except ET.ParseError:
        raise JamfHttpError(400, description="Unable to parse XML") from None
    if element.tag != root:
        raise JamfHttpError(400, description=f"Expected a <{root}> document")
    return element


def _scalar(text: str | None, template: Any) -> Any:
    text = (text or "").strip()
    if isinstance(template, bool):
        return text.lower() == "true"
    if isinstance(template, int):
        try:
            return int(text)
        except ValueError:
            return template
    return text


def parse_partial(element: ET.Element, template: dict[str, Any]) -> dict[str, Any]:
    """The children of ``element`` that ``template`` knows, typed like the template; unknown ones dropped."""
    out: dict[str, Any] = {}
    for child in element:
        if child.tag not in template:
            continue
        expected = template[child.tag]
        if isinstance(expected, dict):
            out[child.tag] = parse_partial(child, expected)
        elif isinstance(expected, list):
            out[child.tag] = parse_list(child, child.tag)
        else:
            out[child.tag] = _scalar(child.text, expected)
    return out


def parse_list(
    element: ET.Element, key: str, item: tuple[str, dict[str, Any]] | None = None
) -> list[Any]:
    """Items of a Classic list element (``<size>`` is ignored), completed with the item defaults."""
    item_tag, item_template = item or LIST_ITEMS.get(key, (key.rstrip("s"), {}))
    items: list[Any] = []
    for child in element:
        if child.tag != item_tag:
            continue
        if not item_template:
            items.append((child.text or "").strip())
            continue
        value = copy.deepcopy(item_template)
        value.update(parse_partial(child, item_template))
        items.append(value)
    return items
