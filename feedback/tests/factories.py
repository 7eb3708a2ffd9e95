"""Builders for feedback tests: a desk and a competent agency with their officers, and items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from feedback import services
from feedback.models import FeedbackItem, RoutingRule
from feedback.rules import Channel, Sender, Topic
from org.models import Agency, Role
from org.tests.factories import agency, officer

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
SENDER = Sender(name="Trần Thị Hoà", address="12 Lê Lợi, Nha Trang", phone="0905 123 456", email="hoa@example.vn")


@dataclass
class Desk:
    """The province's desk (tổ tiếp nhận, where unclear items wait) and a competent agency."""

    desk: Agency
    agency: Agency
    hotline: Any  # a counter officer of the desk
    handler: Any  # a processing officer of the competent agency
    leader: Any  # a leader of the competent agency


def make_desk(prefix: str = "") -> Desk:
    desk = agency(f"{prefix}Văn phòng UBND tỉnh")
    competent = agency(f"{prefix}Sở Tài nguyên và Môi trường")
    RoutingRule.objects.create(agency=desk, order=1000)
    RoutingRule.objects.create(agency=competent, topic=Topic.FEES, order=1)
    return Desk(
        desk=desk,
        agency=competent,
        hotline=officer(f"{prefix}hotline", {desk: [Role.COUNTER_OFFICER]}),
        handler=officer(f"{prefix}handler", {competent: [Role.PROCESSING_OFFICER]}),
        leader=officer(f"{prefix}leader", {competent: [Role.LEADER]}),
    )


def submit(
    *,
    topic: str = Topic.OTHER,
    subject: str = "Chậm trả kết quả cấp giấy chứng nhận",
    content: str = "Tôi Trần Thị Hoà, số điện thoại 0905 123 456, nộp hồ sơ đã quá hạn mà chưa có kết quả.",
    sender: Sender = SENDER,
    channel: str = Channel.WEB,
    now: datetime.datetime = MONDAY,
    **extra: Any,
) -> FeedbackItem:
    return services.feedback_submit(
        submission=services.Submission(
            channel=channel, sender=sender, subject=subject, content=content, topic=topic, **extra
        ),
        now=now,
        actor=extra.get("sender_user"),
    )
