"""Mails received before InboundMail.thread existed: fill it, so that answers to them still thread under the
resident's mail (the desk used to name its Message-ID directly)."""

from typing import Any

from django.db import migrations

from antwoord.inbox.parsing import parse_mail


def fill_thread(apps: Any, schema_editor: Any) -> None:
    inbound_mail = apps.get_model("inbox", "InboundMail")
    pending = inbound_mail.objects.filter(contact__isnull=False, thread="").only("pk", "raw")
    for mail in pending.iterator(chunk_size=200):
        thread = " ".join(parse_mail(bytes(mail.raw)).thread)
        if thread:
            inbound_mail.objects.filter(pk=mail.pk).update(thread=thread)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0003_reply_thread")]

    operations = [migrations.RunPython(fill_thread, migrations.RunPython.noop)]
