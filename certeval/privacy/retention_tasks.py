"""The daily retention job as a background task (django.tasks): ``retention_daily.enqueue()`` from a
scheduler, or ``certeval privacy retention --apply`` from cron or a systemd timer
(docs/privacy.md, « Retention »)."""

from __future__ import annotations

from django.tasks import task

from certeval.privacy.retention_services import retention_run


@task()
def retention_daily() -> dict[str, int]:
    """Apply the retention job once; returns the run's totals."""
    report = retention_run(apply=True)
    run = report.run
    return {"notified": run.notified, "removed": run.removed, "waiting": run.waiting} if run else {}
