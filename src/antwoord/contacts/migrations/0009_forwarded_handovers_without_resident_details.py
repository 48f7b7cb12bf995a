"""Forwarding now passes the resident's details on with the question; handovers forwarded before kept a copy,
which this removes (the handover being worked on keeps them)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def forget_forwarded_details(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    handover = apps.get_model("contacts", "Handover")
    handover.objects.filter(status="doorgestuurd").update(
        resident_name="", resident_email="", resident_phone=""
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_longer_notes")]

    operations = [migrations.RunPython(forget_forwarded_details, migrations.RunPython.noop)]
