"""Mã hồ sơ at submission: a dossier has its code once submitted (no longer only once received)."""

from typing import Any

from django.db import migrations, models


def forget_codes_before_reception(apps: Any, schema_editor: Any) -> None:
    """Going back: the older schema holds a code only once the dossier is received, so the codes
    of dossiers not received yet are dropped (reception gives them one again)."""
    apps.get_model("dossiers", "Dossier").objects.filter(code__isnull=False, received_at__isnull=True).update(code=None)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0007_notifications_moved"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="dossier",
            name="dossier_code_only_when_received",
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__isnull", True), ("submitted_at__isnull", False), _connector="OR"),
                name="dossier_code_only_when_submitted",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, forget_codes_before_reception, elidable=False),
    ]
