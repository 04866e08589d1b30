"""Drive HTML sign-in pages without a browser: find a form, fill it, submit it like a browser."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import attrs
import httpx


@attrs.define
class Form:
    """One `<form>`: where it posts and its fields (hidden ones included), plus its buttons."""

    action: str
    method: str
    fields: dict[str, str] = attrs.field(factory=dict)
    buttons: list[tuple[str, str]] = attrs.field(factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs_}
        if tag == "form":
            self.forms.append(
                Form(attributes.get("action", ""), attributes.get("method", "get").lower())
            )
        elif self.forms and tag in ("input", "button"):
            name = attributes.get("name")
            kind = attributes.get("type", "submit" if tag == "button" else "text").lower()
            if not name:
                return
            if kind == "submit":
                self.forms[-1].buttons.append((name, attributes.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in attributes:
                self.forms[-1].fields[name] = attributes.get("value", "")


def forms_in(html: str) -> list[Form]:
    """Every form of a page, in order."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


async def submit(
    client: httpx.AsyncClient,
    page: httpx.Response,
    *,
    fill: dict[str, str] | None = None,
    button: tuple[str, str] | None = None,
    form_index: int = 0,
) -> httpx.Response:
    """Submit a form of `page` (the first by default), optionally pressing a named button."""
    forms = forms_in(page.text)
    assert forms, f"no form on {page.url}: {page.text[:500]}"
    form = forms[form_index]
    data = dict(form.fields)
    data.update(fill or {})
    if button is not None:
        data[button[0]] = button[1]
    elif form.buttons:
        data[form.buttons[0][0]] = form.buttons[0][1]
    target = urljoin(str(page.url), form.action or str(page.url))
    if form.method == "post":
        return await client.post(target, data=data)
    return await client.get(target, params=data)


async def follow_until(
    client: httpx.AsyncClient, response: httpx.Response, stop_prefix: str, *, limit: int = 10
) -> httpx.Response | str:
    """Follow redirects by hand; return the first Location starting with `stop_prefix`, or the page."""
    for _ in range(limit):
        if response.status_code not in (301, 302, 303, 307, 308):
            return response
        location = urljoin(str(response.url), response.headers["location"])
        if location.startswith(stop_prefix):
            return location
        response = await client.get(location)
    raise AssertionError("too many redirects")
