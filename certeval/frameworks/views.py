from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certeval.domain.case import framework_to_case
from certeval.domain.rules.describe import describe_rules
from certeval.frameworks import selectors
from certeval.frameworks.labels import AUTOMATED_PARTS, components_for_display, framework_title

TABS = {
    "competences": gettext_lazy("Compétences"),
    "grilles": gettext_lazy("Grilles d'évaluation"),
    "epreuves": gettext_lazy("Épreuves et règles"),
    "versions": gettext_lazy("Versions"),
}


def framework_list(request: HttpRequest) -> HttpResponse:
    return render(request, "frameworks/list.html", {"versions": selectors.latest_versions()})


def framework_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    hits = selectors.search(query) if query else []
    breadcrumb = [(_("Référentiels"), reverse("frameworks:list")), (_("Recherche"), "")]
    return render(request, "frameworks/search.html", {"query": query, "hits": hits, "breadcrumb": breadcrumb})


def framework_detail(
    request: HttpRequest, framework_id: str, version_number: int | None = None
) -> HttpResponse:
    version = selectors.framework_version(framework_id, version_number)
    tab = request.GET.get("onglet", "competences")
    if tab not in TABS:
        tab = "competences"
    base = (
        reverse("frameworks:version", args=[framework_id, version_number])
        if version_number
        else reverse("frameworks:detail", args=[framework_id])
    )
    tabs = [
        {"label": label, "url": f"{base}?onglet={key}", "current": key == tab} for key, label in TABS.items()
    ]
    document = version.document
    context = {
        "version": version,
        "fw": document,
        "tab": tab,
        "tabs": tabs,
        "level_labels": {level["id"]: level["label"] for level in document["levels"]},
        "breadcrumb": [
            (_("Référentiels"), reverse("frameworks:list")),
            (framework_title(document["title"]), ""),
        ],
    }
    if tab == "versions":
        context["all_versions"] = selectors.versions_of(framework_id)
    if tab == "epreuves":
        context["components"] = components_for_display(document.get("components", []))
        context["rule_sections"] = describe_rules(
            document.get("rules", {}),
            context["level_labels"],
            {part: str(label) for part, label in AUTOMATED_PARTS.items()},
        )
    if tab == "grilles":
        context["grid_tables"] = [
            _grid_table(grid, context["level_labels"]) for grid in document.get("grids", [])
        ]
    return render(request, "frameworks/detail.html", context)


def _grid_table(grid: dict, level_labels: dict[str, str]) -> dict:
    """One table per phase of a grid: a row per criterion, a column per level's descriptor."""
    levels = grid.get("levels") or list(level_labels)
    headers = [_("Critère"), *[level_labels.get(level, level) for level in levels]]
    phases = grid.get("phases") or [
        {"title": grid["title"], "items": [{"title": "", "criteria": grid["criteria"]}]}
    ]
    tables = []
    for phase in phases:
        rows = []
        for item in phase["items"]:
            for criterion in item["criteria"]:
                label = f"{criterion['id']} {criterion['text']}"
                if item.get("title"):
                    label = f"{item['title']} — {label}"
                descriptors = criterion.get("descriptors") or {}
                rows.append([label, *[descriptors.get(level, "—") for level in levels]])
        tables.append({"caption": f"{grid['title']} — {phase['title']}", "rows": rows})
    return {"grid": grid, "headers": headers, "tables": tables}


def framework_export_case(request: HttpRequest, framework_id: str) -> JsonResponse:
    version = selectors.framework_version(framework_id, _version_param(request))
    package = framework_to_case(
        version.document,
        base_uri=request.build_absolute_uri(reverse("frameworks:detail", args=[framework_id])) + "case",
        version=str(version.version_number),
        last_change=version.published_at.isoformat(),
    )
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="{framework_id}-v{version.version_number}.case.json"'
    )
    return response


CASE_NODE_KINDS = {"CFDocuments": "CFDocument", "CFItems": "CFItems"}


def framework_case_node(
    request: HttpRequest, framework_id: str, kind: str, identifier: object
) -> JsonResponse:
    """One node of the CASE export at its own URL (the ``uri`` the export gives it), so alignments
    of the Open Badges credentials resolve: the CFDocument or a CFItem, searched in every version."""
    if kind not in CASE_NODE_KINDS:
        raise Http404("No such CASE node kind.")
    base_uri = request.build_absolute_uri(reverse("frameworks:detail", args=[framework_id])) + "case"
    for version in selectors.versions_of(framework_id):
        package = framework_to_case(
            version.document,
            base_uri=base_uri,
            version=str(version.version_number),
            last_change=version.published_at.isoformat(),
        )
        nodes = package[CASE_NODE_KINDS[kind]]
        for node in nodes if isinstance(nodes, list) else [nodes]:
            if node["identifier"] == str(identifier):
                return JsonResponse(node, json_dumps_params={"ensure_ascii": False, "indent": 2})
    raise Http404("No such CASE node.")


def framework_export_yaml(request: HttpRequest, framework_id: str) -> HttpResponse:
    version = selectors.framework_version(framework_id, _version_param(request))
    response = HttpResponse(version.source_yaml, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework_id}-v{version.version_number}.yaml"'
    return response


def framework_export_json(request: HttpRequest, framework_id: str) -> HttpResponse:
    version = selectors.framework_version(framework_id, _version_param(request))
    return HttpResponse(
        json.dumps(version.document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )


def _version_param(request: HttpRequest) -> int | None:
    value = request.GET.get("version", "")
    return int(value) if value.isdigit() else None


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: what Certeval is, and the référentiels it runs."""
    return render(request, "frameworks/home.html", {"frameworks": selectors.latest_versions()})
