"""InboundMail and MailSettings moved here from the mail app; their tables stay where mail created them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contacts", "0001_initial"),
        ("mail", "0002_mailsettings_inboundmail"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MailSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "auto_reply_enabled",
                            models.BooleanField(
                                default=False,
                                help_text="Beantwoord eenvoudige vragen meteen per e-mail als de zoekmachine heel zeker is.",
                                verbose_name="automatisch antwoorden",
                            ),
                        ),
                        (
                            "organisation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="mail_settings",
                                to="organisations.organisation",
                                verbose_name="organisatie",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "e-mailinstelling",
                        "verbose_name_plural": "e-mailinstellingen",
                        "db_table": "mail_mailsettings",
                    },
                ),
                migrations.CreateModel(
                    name="InboundMail",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("message_id", models.CharField(max_length=255, unique=True)),
                        (
                            "mail_from",
                            models.CharField(blank=True, max_length=320, verbose_name="afzender (envelop)"),
                        ),
                        ("recipients", models.TextField(blank=True, verbose_name="ontvangers")),
                        ("raw", models.BinaryField(verbose_name="ruwe e-mail")),
                        ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="ontvangen")),
                        (
                            "processed_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="verwerkt"),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="pogingen")),
                        (
                            "error",
                            models.CharField(blank=True, max_length=500, verbose_name="fout bij verwerken"),
                        ),
                        (
                            "contact",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="inbound_mail",
                                to="contacts.contact",
                                verbose_name="contact",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "binnengekomen e-mail",
                        "verbose_name_plural": "binnengekomen e-mails",
                        "db_table": "mail_inboundmail",
                        "indexes": [
                            models.Index(
                                fields=["processed_at", "attempts"], name="mail_inboun_process_6669e5_idx"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
