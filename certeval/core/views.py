from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from certeval.frameworks import selectors as framework_selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"frameworks": framework_selectors.latest_versions()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
