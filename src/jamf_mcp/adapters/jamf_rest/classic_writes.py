"""Classic API write bodies: Classic JSON (as Jamf reads it back) rendered as Jamf's XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

XML_HEADERS: Mapping[str, str] = {"Content-Type": "application/xml", "Accept": "application/xml"}
"""Classic writes take XML bodies (reference §4.1) and answer XML."""

# Classic list element -> the element of one item (Jamf's own XML names; GOSDK2 policy models).
_LIST_ITEMS: Mapping[str, str] = {
    "computers": "computer",
    "computer_groups": "computer_group",
    "buildings": "building",
    "departments": "department",
    "jss_users": "user",
    "jss_user_groups": "user_group",
    "users": "user",
    "user_groups": "user_group",
    "network_segments": "network_segment",
    "ibeacons": "ibeacon",
}


def emit(parent: ET.Element, key: str, value: Any) -> None:
    """Append `value` (Classic JSON) under `parent` as Jamf's XML, keeping the order of keys.

    Values are escaped by the serializer, never spliced into strings.
    """
    element = ET.SubElement(parent, key)
    if isinstance(value, Mapping):
        for child_key, child in value.items():
            emit(element, str(child_key), child)
    elif isinstance(value, list):
        item_tag = _LIST_ITEMS.get(key, key.removesuffix("s"))
        for item in value:
            emit(element, item_tag, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def xml_document(root: ET.Element) -> bytes:
    """`root` serialized with an XML declaration, UTF-8."""
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
