"""The documented defaults of ``CERTEVAL_VERIFICATION`` (docs/results.md, « Awards, attestations and
public verification »): the settings module starts from them and the code merges a project's setting
over them, so a setting that leaves a key out gets its default. Pure Python: ``certeval/settings.py``
imports it."""

from __future__ import annotations

from typing import Any

DEFAULT_VERIFICATION: dict[str, Any] = {
    # What the public verification page shows of a new award until its holder changes it on
    # « Mes attestations » (the certification and whether the award is valid or revoked always show).
    "show_name": True,
    "show_level": True,
    "show_date": True,
    # Look-ups of the public verification page and API allowed per client (IP address) and window;
    # past that the client gets 429 until the window ends. Unknown and malformed codes count too.
    "rate_limit": 30,
    "rate_window_seconds": 60,
}
