"""The citizens' notifications move from ``dossiers.Notification`` (with their delivery state in
``integrations.NotificationDelivery`` and their tries in ``integrations.DeliveryAttempt``) to the
outbox of the notifications app: each row is copied with its subject (the dossier), its delivery
state and its tries. Payloads gain what the templates now read (``ref``, ``link``, and for a
returned result ``by_post``/``online``), as dossiers writes them from now on."""

from django.db import migrations

CHUNK = 2000


def _link(code, language):
    # The public tracking page as the portal's URLs had it when this migration was written.
    prefix = "" if language in ("", "vi") else f"/{language}"
    return f"{prefix}/tra-cuu-ho-so/" + (f"?ma={code}" if code else "")


def _payload(old, base_url):
    payload = dict(old.payload or {})
    code = payload.get("code") or ""
    payload.setdefault("ref", code or str(payload.get("procedure") or "")[:120])
    payload.setdefault("link", base_url + _link(code, old.language))
    if "method" in payload:
        payload.setdefault("by_post", payload["method"] == "post")
        payload.setdefault("online", payload["method"] == "online")
    return payload


def forward(apps, schema_editor):
    from django.conf import settings

    Old = apps.get_model("dossiers", "Notification")
    Delivery = apps.get_model("integrations", "NotificationDelivery")
    OldAttempt = apps.get_model("integrations", "DeliveryAttempt")
    New = apps.get_model("notifications", "Notification")
    NewAttempt = apps.get_model("notifications", "DeliveryAttempt")
    base_url = settings.PORTAL_PUBLIC_URL.rstrip("/")
    last = 0
    while True:
        old_rows = list(Old.objects.filter(pk__gt=last).select_related("dossier").order_by("pk")[:CHUNK])
        if not old_rows:
            break
        last = old_rows[-1].pk
        deliveries = {d.notification_id: d for d in Delivery.objects.filter(notification_id__in=[o.pk for o in old_rows])}
        tries = {}
        for attempt in OldAttempt.objects.filter(notification_id__in=[o.pk for o in old_rows]).order_by("at", "pk"):
            tries.setdefault(attempt.notification_id, []).append(attempt)
        new_rows = []
        for old in old_rows:
            delivery = deliveries.get(old.pk)
            gave_up = bool(delivery and delivery.gave_up and old.sent_at is None)
            last_try = tries.get(old.pk, [])[-1:]
            new_rows.append(
                New(
                    subject_type="dossiers.dossier",
                    subject_id=str(old.dossier_id),
                    reference=old.dossier.code or "",
                    recipient_id=old.recipient_id,
                    channel=old.channel,
                    address=old.address,
                    language=old.language,
                    template_key=old.template_key,
                    payload=_payload(old, base_url),
                    created_at=old.created_at,
                    attempts=delivery.attempts if delivery else 0,
                    next_attempt_at=(delivery.next_attempt_at if delivery else None) or old.created_at,
                    last_error=delivery.last_error if delivery else "",
                    sent_at=old.sent_at,
                    failed_at=(last_try[0].at if last_try else old.created_at) if gave_up else None,
                )
            )
        New.objects.bulk_create(new_rows)
        NewAttempt.objects.bulk_create(
            NewAttempt(notification_id=new.pk, attempt=a.attempt, at=a.at, ok=a.ok, error=a.error)
            for old, new in zip(old_rows, new_rows, strict=True)
            for a in tries.get(old.pk, [])
        )
    OldAttempt.objects.filter(notification__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_events_and_outbox_indexes"),
        ("integrations", "0002_no_index_twice"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
