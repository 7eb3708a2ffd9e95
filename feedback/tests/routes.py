"""Admin models of feedback for the permission walk (tests/route_registry.py)."""

from __future__ import annotations

from feedback import services
from feedback.models import FeedbackItem, RoutingRule
from feedback.rules import Channel, Sender
from tests.route_registry import Cast, Target, private, public, unscoped_admin

unscoped_admin(
    "feedback.RoutingRule",
    "province-wide routing kept by procedure controllers (catalog.edit): it names agencies but belongs to none",
)

public(
    "feedback:answer",
    "published answers only (an item not published answers 404 to everyone): the public text an officer confirmed "
    "with personal data removed",
)


@private("feedback:officer_item", owner="agency")
def _officer_item(cast: Cast) -> Target:
    item = _item(cast, "Lê Dấu Vết Phản Ánh")
    return Target({"pk": item.pk}, marker="Lê Dấu Vết Phản Ánh")


@private("feedback:officer_act", owner="agency", method="POST", ok=302)
def _officer_act(cast: Cast) -> Target:
    """Classifying an item: nobody else may, and it stays as it was."""
    item = _item(cast, "Võ Dấu Vết Thao Tác")
    return Target(
        {"pk": item.pk, "action": "classify"},
        marker="Võ Dấu Vết Thao Tác",
        exists=lambda: FeedbackItem.objects.filter(pk=item.pk, state="received").exists(),
        data={"version": item.version, "linh_vuc": "fees"},
    )


def _item(cast: Cast, name: str) -> FeedbackItem:
    RoutingRule.objects.get_or_create(agency=cast.agency, topic="", procedure=None, named_agency=None)
    return services.feedback_submit(
        submission=services.Submission(
            channel=Channel.WEB,
            sender=Sender(name=name, address="Nha Trang", phone="0905000111"),
            subject="Hỏi về lệ phí",
            content="Nội dung",
        )
    )


public(
    "feedback:procedure_faq",
    "the published answers about one public procedure (its code): public text with personal data removed",
)
