"""Shared test fixtures: browser tests with Debian's Chromium, and accessibility checks with axe-core."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHARED = Path(__file__).resolve().parent.parent / "shared"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def shared_path(*parts: str) -> Path:
    """A file of ../shared (standards, seeds); the test is skipped, saying why, when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared standards and seeds are needed beside the repository")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("browser test skipped: /usr/bin/chromium is absent (apt-get install -y chromium)")
    from playwright.sync_api import expect, sync_playwright

    # The machines running the suite are shared: an assertion waits up to 15 s for the page to
    # reach the expected state (the default 5 s failed under load), an action up to 30 s.
    expect.set_options(timeout=15_000)

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard is lifted for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


def assert_accessible(page: Any) -> None:
    """Fail with axe-core's report when the page has any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    )
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Any, email: str) -> None:
    """Sign in with the factories' password on the sign-in page."""
    from certeval.campaigns.tests.factories import PASSWORD

    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def tab_to(page: Any, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes ``test`` (a JavaScript expression on ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({test}); }})()"):
            return
    raise AssertionError(f"no element reached with Tab: {test}")


# --- the jury solver, once per distinct problem ------------------------------------------------
#
# Most juries tests build the same small campaign (``jury_campaign``: three candidates, three
# jurors) and compose it with CP-SAT; only the database ids differ from one test to the next. The
# apps' calls to ``solve`` are memoised for the session on the problem with its ids renumbered in
# order (c0, c1, ... and j0, j1, ...), and the stored schedule is given back with the test's own
# ids. Only complete answers (optimal or feasible, no explanation) are kept; the solver's own tests
# in ``certeval/domain`` always call the real solver.


def _renumbered(instance: Any) -> tuple[Any, dict[str, str], dict[str, str]]:
    from dataclasses import replace

    candidates = {c.id: f"c{i}" for i, c in enumerate(instance.candidates)}
    jurors = {j.id: f"j{i}" for i, j in enumerate(instance.jurors)}
    renumbered = replace(
        instance,
        candidates=tuple(
            replace(c, id=candidates[c.id], conflicts=frozenset(jurors.get(x, x) for x in c.conflicts))
            for c in instance.candidates
        ),
        jurors=tuple(replace(j, id=jurors[j.id]) for j in instance.jurors),
    )
    return renumbered, candidates, jurors


@pytest.fixture(scope="session", autouse=True)
def solver_once_per_problem() -> Iterator[None]:
    import json
    import sys
    from dataclasses import replace

    from certeval.domain.juries import solver as solver_module
    from certeval.domain.juries.solution import FEASIBLE, OPTIMAL

    real_solve = solver_module.solve
    solved: dict[str, Any] = {}

    def solve(instance: Any, time_limit: float = 60.0, **options: Any) -> Any:
        renumbered, candidates, jurors = _renumbered(instance)
        key = json.dumps([renumbered.to_dict(), sorted(options.items())], sort_keys=True, default=str)
        solution = solved.get(key)
        if solution is None:
            solution = real_solve(renumbered, time_limit=time_limit, **options)
            if solution.status not in (OPTIMAL, FEASIBLE) or solution.explanation:
                # Explanations name the ids: solve the real problem, and keep nothing.
                return real_solve(instance, time_limit=time_limit, **options)
            solved[key] = solution
        back_c = {v: k for k, v in candidates.items()}
        back_j = {v: k for k, v in jurors.items()}
        return replace(
            solution,
            assignments=tuple(
                replace(a, candidate=back_c[a.candidate], jurors=tuple(sorted(back_j[j] for j in a.jurors)))
                for a in solution.assignments
            ),
        )

    patched = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("certeval.")
        and not name.startswith("certeval.domain")
        and getattr(module, "solve", None) is real_solve
    ]
    with pytest.MonkeyPatch.context() as patch:
        for module in patched:
            patch.setattr(module, "solve", solve)
        yield


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """Requests through the WSGI application in the test's process (schemathesis): the handler closes
    the database connection after each request, but the test's transaction (which holds the seeded
    data) must survive, as with Django's own test client."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
