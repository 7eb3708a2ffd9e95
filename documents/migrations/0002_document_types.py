"""The common document types people hand in (loại giấy tờ): documents/seed.py."""

from django.db import migrations

from documents.seed import document_types_seed


def seed(apps, schema_editor):
    document_types_seed(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
