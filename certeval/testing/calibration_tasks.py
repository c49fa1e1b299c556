"""Background work of item calibration: the MML-EM run, queued by ``calibration_start`` once its
transaction commits and run by the task worker (``certeval db_worker``; immediate in tests)."""

from __future__ import annotations

from django.tasks import task

from certeval.testing.calibration_services import calibration_run


@task()
def run_calibration(calibration_id: int) -> None:
    """Run one queued calibration; its outcome (result or French failure message) is stored on it."""
    calibration_run(calibration_id)
