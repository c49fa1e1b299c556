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
    """Sign in with the factories' password on the sign-in page; a staff person (or anyone with a
    second factor) then types the current code of their test authenticator on the verification page."""
    from certeval.accounts.models import User
    from certeval.accounts.otp_services import has_device
    from certeval.accounts.staff import is_staff_person
    from certeval.campaigns.tests.factories import PASSWORD

    user = User.objects.get(email__iexact=email)
    second_factor = is_staff_person(user) or has_device(user)
    if second_factor:
        authenticator_of(user)
    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if second_factor:
        page.wait_for_url("**/comptes/second-facteur/verifier/**")
        page.get_by_label("Code de vérification").fill(second_factor_code(user))
        page.get_by_role("button", name="Vérifier").click()
        page.wait_for_load_state()


# --- the second factor in tests (docs/security-2fa.md) ---------------------------------------------
#
# Staff pages need a session that verified a second factor. So that tests about something else
# need not go through it, ``Client.force_login`` (and ``Client.login``) give a verified session: the
# user gets a test authenticator (a TOTP device named ``TEST_DEVICE_NAME``) and the session is marked
# as verified with it, exactly as ``django_otp.login`` does. Tests of the enforcement itself sign in
# with ``login_without_second_factor(client, user)``; browser tests sign in through the form and type
# a real code (``sign_in`` above, ``second_factor_code``).

TEST_DEVICE_NAME = "test authenticator"


def authenticator_of(user: Any) -> Any:
    """The user's test authenticator (created, confirmed, when absent)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, name=TEST_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def second_factor_code(user: Any) -> str:
    """The current code of the user's test authenticator. The device's replay guard is reset first,
    so the same person may sign in twice within one 30-second step."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = authenticator_of(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):0{device.digits}d}"


def login_without_second_factor(client: Any, user: Any) -> None:
    """Sign ``user`` in on ``client`` with a session that did not verify a second factor."""
    from django.test import Client

    getattr(Client._login, "unverified", Client._login)(
        client, user, "django.contrib.auth.backends.ModelBackend"
    )


@pytest.fixture(autouse=True)
def verified_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    real = Client._login

    def _login(self: Any, user: Any, backend: Any = None) -> None:
        real(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
        session.save()

    _login.unverified = real  # type: ignore[attr-defined]
    monkeypatch.setattr(Client, "_login", _login)


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
