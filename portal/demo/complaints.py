"""Demo complaints and one early warning: HUAXIA reports dark screens on one batch (six
complaints on its main boards this month, against none before: the detection raises a
warning on that batch), a closed complaint with a follow-up score, an escalated one with an
agreed compensation; PEARL has an open urgent complaint."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from ..auth.models import User
from ..catalogue.models import Batch
from ..complaints.services import ComplaintInput, apply, open_complaint
from ..complaints.warnings import run_detection
from ..extensions import db


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=timezone.utc)


def create_complaints(today: date, clients: dict) -> int:
    """Add the complaints, run the detection once; returns the number of complaints."""
    db.session.flush()
    staff = db.session.scalar(select(User).where(User.email == "service@odm.example.com"))
    quality = db.session.scalar(select(User).where(User.email == "quality@odm.example.com"))
    batch = db.session.scalars(select(Batch).order_by(Batch.produced_on.desc(), Batch.code)).first()
    huaxia, pearl = clients["HUAXIA"], clients["PEARL"]
    made = []
    for n in range(6):
        made.append(open_complaint(huaxia, ComplaintInput(
            title=f"黑屏 / dark screen #{n + 1}", description="开机黑屏，背光亮。Dark screen, backlight on.",
            level="high", models_text=batch.model.code, batches_text=batch.code, category="main_board",
            fault_cause="normal_failure"), now=_at(today - timedelta(days=2 + n * 4))))
    first = made[0]
    apply(first, "analyse", staff, emergency_fix="更换主板 Swap the main boards",
          root_cause="主板电源芯片虚焊 Cold joint on the PMIC", improvement_plan="AOI 检查 AOI check on the line",
          responsibility="odm", department="production", now=_at(today - timedelta(days=2)))
    apply(first, "escalate", staff, team="qa", assignee=quality, due=today + timedelta(days=5),
          now=_at(today - timedelta(days=2)))
    apply(first, "compensate", staff, amount=Decimal("1200.00"), on=today, now=_at(today))
    closed = made[-1]
    apply(closed, "resolve", staff, emergency_fix="现场更换 Replaced on site", root_cause="运输冲击 Transport shock",
          responsibility="client", now=_at(today - timedelta(days=20)))
    apply(closed, "close", staff, satisfaction=82, note="回访满意 Follow-up visit: satisfied",
          now=_at(today - timedelta(days=19)))
    made.append(open_complaint(pearl, ComplaintInput(
        title="遙控器失靈 Remote does not pair", description="Remote control fails to pair after update.",
        level="urgent", category="remote"), now=_at(today - timedelta(days=1))))
    run_detection(today)
    return len(made)
