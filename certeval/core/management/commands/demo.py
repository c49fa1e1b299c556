"""``certeval demo``: load the référentiels and the demo data, then print the demo accounts.

Each app of the project may have a ``demo`` module with a ``populate(stdout) -> list[DemoAccount]``
function; they run in ``INSTALLED_APPS`` order inside this command, so every bounded context
seeds its own demo data. Running the command twice changes nothing.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from certeval.core.demo import DemoAccount


class Command(BaseCommand):
    help = "Load the référentiels and the demo data; print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("frameworks", "load", stdout=self.stdout)
        accounts: list[DemoAccount] = []
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("certeval."):
                continue
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            modules.append(module)
            if hasattr(module, "populate"):
                accounts.extend(module.populate(self.stdout))
        self.stdout.write("")
        self.stdout.write("Certeval demo — http://127.0.0.1:8000")
        self.stdout.write("Demo accounts (e-mail / password):")
        width = max((len(a.email) for a in accounts), default=0)
        role_width = max((len(a.role) for a in accounts), default=0)
        for account in accounts:
            self.stdout.write(f"  {account.role:<{role_width}} {account.email:<{width}}  {account.password}")
        self.stdout.write("")
        for module in modules:
            lines = module.notes() if hasattr(module, "notes") else []
            for line in lines:
                self.stdout.write(line)
            if lines:
                self.stdout.write("")
