"""Theme-independent UI components.

Pages only use these tags; each renders ``core/components/<theme>/<name>.html``, so the
look is a theme (``neutre`` or ``etat``) chosen by the ``CERTEVAL_THEME`` setting.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.template.base import FilterExpression
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _render(context: template.Context, name: str, data: dict[str, Any]) -> SafeString:
    request = context.get("request")
    return render_to_string(f"core/components/{settings.CERTEVAL_THEME}/{name}.html", data, request=request)


@register.simple_tag(takes_context=True)
def ui_button(
    context: template.Context,
    label: str,
    href: str = "",
    kind: str = "primary",
    type: str = "submit",
    name: str = "",
    value: str = "",
) -> SafeString:
    """A button, or a link styled as one when ``href`` is given. ``kind``: primary | secondary."""
    return _render(
        context,
        "button",
        {"label": label, "href": href, "kind": kind, "type": type, "name": name, "value": value},
    )


@register.simple_tag(takes_context=True)
def ui_alert(context: template.Context, message: str, level: str = "info", title: str = "") -> SafeString:
    """An alert; ``level``: info | success | warning | error."""
    return _render(context, "alert", {"message": message, "level": level, "title": title})


@register.simple_tag(takes_context=True)
def ui_field(context: template.Context, field: BoundField) -> SafeString:
    """A form field with its label, help text and errors wired with aria attributes."""
    attrs: dict[str, str | bool] = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-errors")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if settings.CERTEVAL_THEME == "etat":
        widget = field.field.widget
        input_type = getattr(widget, "input_type", "")
        if input_type == "select":
            attrs["class"] = "fr-select"
        elif input_type not in {"checkbox", "radio", "file"}:
            attrs["class"] = "fr-input"
    return _render(context, "field", {"field": field, "widget": field.as_widget(attrs=attrs)})


@register.simple_tag(takes_context=True)
def ui_table(
    context: template.Context,
    caption: str,
    headers: list[str],
    rows: list[list[Any]],
    row_headers: bool = False,
) -> SafeString:
    """A data table; with ``row_headers`` the first cell of each row is a row header."""
    return _render(
        context, "table", {"caption": caption, "headers": headers, "rows": rows, "row_headers": row_headers}
    )


class _TableMarkupNode(template.Node):
    def __init__(self, caption: FilterExpression, nodelist: template.NodeList) -> None:
        self.caption = caption
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        markup = mark_safe(self.nodelist.render(context))  # the template's own, already escaped output
        return _render(context, "table", {"caption": self.caption.resolve(context), "markup": markup})


@register.tag
def ui_table_markup(parser: template.base.Parser, token: template.base.Token) -> _TableMarkupNode:
    """A data table whose ``<thead>`` and ``<tbody>`` the page writes itself (cells with links or
    forms), in the theme's table frame: ``{% ui_table_markup caption %}…{% end_ui_table_markup %}``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("ui_table_markup takes one argument: the table's caption")
    nodelist = parser.parse(("end_ui_table_markup",))
    parser.delete_first_token()
    return _TableMarkupNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def ui_tabs(context: template.Context, tabs: list[dict[str, Any]], label: str) -> SafeString:
    """Tabs as links (each ``{"label", "url", "current"}``); server-side, no script needed."""
    return _render(context, "tabs", {"tabs": tabs, "label": label})


@register.simple_tag(takes_context=True)
def ui_pagination(context: template.Context, page_obj: Any, query: str = "") -> SafeString:
    """Pagination links for a Django ``Page``, keeping the other query parameters."""
    return _render(context, "pagination", {"page_obj": page_obj, "query": query})


@register.simple_tag(takes_context=True)
def ui_breadcrumb(context: template.Context, items: list[tuple[str, str]]) -> SafeString:
    """Breadcrumb from ``(label, url)`` pairs; the last item is the current page."""
    return _render(context, "breadcrumb", {"items": items})


@register.simple_tag(takes_context=True)
def ui_radio_group(
    context: template.Context,
    name: str,
    legend: str,
    options: list[dict[str, Any]],
    value: str = "",
    hint: str = "",
    inline: bool = False,
) -> SafeString:
    """A group of radio buttons in a fieldset; each option ``{"value", "label", "hint"}``, the
    hint shown under its label (e.g. a level with its descriptor). ``inline`` lays the options
    side by side."""
    return _render(
        context,
        "radio_group",
        {"name": name, "legend": legend, "options": options, "value": value, "hint": hint, "inline": inline},
    )


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """``mapping|get_item:key`` — a dictionary value by a variable key."""
    return mapping.get(key, key)
