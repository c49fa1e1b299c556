"""The retention job (docs/privacy.md, « Retention »): for each category, what is due; a person not
told yet is notified by e-mail (once, recorded as a ``RetentionNotice``); once ``grace_days`` have
passed since that notice, their data of that category is removed or anonymised
(``retention_anonymise``). Dry run by default: the report says what would be notified and removed,
and when; nothing is written. Applied, each run leaves a ``RetentionRun`` row and audit rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Candidate
from certeval.privacy.retention_categories import CATEGORIES, Due, campaign_titles, retention_settings
from certeval.privacy.retention_models import RetentionCategory, RetentionNotice, RetentionRun

NOTIFY, REMOVE, WAIT = "notify", "remove", "wait"


@dataclass
class ReportRow:
    category: str
    campaign: str
    action: str
    persons: int = 0
    items: int = 0
    when: datetime | None = None  # removal date of the first person (notify, wait); due date (remove)


@dataclass
class RetentionReport:
    now: datetime
    applied: bool
    grace_days: int
    rows: list[ReportRow] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    run: RetentionRun | None = None

    def totals(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {key: {NOTIFY: 0, REMOVE: 0, WAIT: 0} for key in CATEGORIES}
        for row in self.rows:
            counts[row.category][row.action] += row.persons
        return counts

    def text(self) -> str:
        mode = "applied" if self.applied else "dry run (nothing changed; --apply to act)"
        lines = [f"Retention {mode} on {self.now:%Y-%m-%d %H:%M} UTC, grace period {self.grace_days} days"]
        verbs = {NOTIFY: "notify", REMOVE: "remove", WAIT: "waiting"}
        if not self.rows:
            lines.append("Nothing due.")
        for row in sorted(self.rows, key=lambda r: (r.category, r.campaign, r.action)):
            when = f" (removal from {row.when:%Y-%m-%d})" if row.when and row.action != REMOVE else ""
            lines.append(
                f"{row.category:18} {verbs[row.action]:8} {row.persons:5} person(s) "
                f"{row.items:7} item(s)  {row.campaign}{when}"
            )
        lines.append("Totals per category (persons): notify / remove / waiting")
        for key, counts in self.totals().items():
            lines.append(f"  {key:18} {counts[NOTIFY]:5} / {counts[REMOVE]:5} / {counts[WAIT]:5}")
        lines.extend(f"Kept: {note}" for note in self.kept)
        return "\n".join(lines)


KEPT = [
    "decisions, awards and the holders' register (kept for good: the certifier attests a certification)",
    "audit log (insert-only: who did what)",
    "enrolments' formation, degré and status, runs' levels, automated results (month-level statistics)",
]


def _notices() -> dict[tuple[int, str, int | None], RetentionNotice]:
    return {(n.candidate_id, n.category, n.campaign_id): n for n in RetentionNotice.objects.all()}


def _decide(
    due: Due, notice: RetentionNotice | None, now: datetime, grace: timedelta
) -> tuple[str, datetime]:
    if notice is None:
        return NOTIFY, now + grace
    if notice.remove_after <= now:
        return REMOVE, due.due_at
    return WAIT, notice.remove_after


def retention_run(
    *, apply: bool = False, now: datetime | None = None, by: User | None = None
) -> RetentionReport:
    """Find what is due in every category; with ``apply``, notify, then remove after the grace period."""
    now = now or timezone.now()
    config = retention_settings()
    grace = timedelta(days=int(config["grace_days"]))
    report = RetentionReport(now=now, applied=apply, grace_days=grace.days, kept=KEPT)
    notices = _notices()
    groups: dict[tuple[str, int | None, str], ReportRow] = {}
    found: list[tuple[Due, str]] = []
    for key, category in CATEGORIES.items():
        days = config.get(key, {}).get("days")
        if days is None:
            continue
        for due in category.find(now, int(days)):
            action, when = _decide(due, notices.get((due.candidate_id, key, due.campaign_id)), now, grace)
            found.append((due, action))
            row = groups.setdefault((key, due.campaign_id, action), ReportRow(key, "", action))
            row.persons += 1
            row.items += due.count
            row.when = min(row.when, when) if row.when else when
    titles = campaign_titles(k[1] for k in groups)
    for (_key, campaign_id, _action), row in groups.items():
        row.campaign = titles.get(campaign_id or 0, "—")
    report.rows = list(groups.values())
    if apply:
        _apply(found, notices, now, grace, report, by)
    return report


def _apply(
    found: list[tuple[Due, str]],
    notices: dict[tuple[int, str, int | None], RetentionNotice],
    now: datetime,
    grace: timedelta,
    report: RetentionReport,
    by: User | None,
) -> None:
    removed: dict[str, int] = defaultdict(int)
    notified: dict[int, list[int]] = defaultdict(list)
    for due, action in found:
        if action == WAIT:
            continue
        with transaction.atomic():
            candidate = Candidate.objects.select_related("user").get(pk=due.candidate_id)
            key = (due.candidate_id, due.category, due.campaign_id)
            if action == NOTIFY:
                notice = RetentionNotice.objects.create(
                    candidate=candidate,
                    category=due.category,
                    campaign_id=due.campaign_id,
                    notified_at=now,
                    remove_after=now + grace,
                )
                audit_record(
                    actor=by,
                    action="privacy.retention_notice",
                    target=notice,
                    data={"category": due.category, "remove_after": notice.remove_after.isoformat()},
                    campaign=None,
                    person=candidate.user,
                )
                notified[due.candidate_id].append(notice.pk)
            else:
                count = CATEGORIES[due.category].remove(due, now)
                notice = notices[key]
                RetentionNotice.objects.filter(pk=notice.pk).update(done_at=now)
                removed[due.category] += count
                audit_record(
                    actor=by,
                    action="privacy.retention_removal",
                    target=notice,
                    data={"category": due.category, "items": count},
                    campaign=None,
                    person=candidate.user,
                )
    from certeval.privacy.retention_emails import send_retention_notice

    for ids in notified.values():  # one e-mail per person and run, once its notices are stored
        transaction.on_commit(partial(send_retention_notice.enqueue, ids))
    totals = report.totals()
    with transaction.atomic():
        run = RetentionRun.objects.create(
            started_at=now,
            applied=True,
            by=by,
            counts={key: {**counts, "removed_items": removed.get(key, 0)} for key, counts in totals.items()},
            notified=sum(c[NOTIFY] for c in totals.values()),
            removed=sum(removed.values()),
            waiting=sum(c[WAIT] for c in totals.values()),
        )
        audit_record(
            actor=by,
            action="privacy.retention_run",
            target=run,
            data={"notified": run.notified, "removed": run.removed, "waiting": run.waiting},
            campaign=None,
            person=None,
        )
    report.run = run


def category_label(key: str) -> str:
    return str(RetentionCategory(key).label) if key in RetentionCategory.values else key
