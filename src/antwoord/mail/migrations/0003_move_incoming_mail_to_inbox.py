"""InboundMail and MailSettings moved to the inbox app (the e-mail channel); their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mail", "0002_mailsettings_inboundmail"),
        ("inbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="InboundMail"),
                migrations.DeleteModel(name="MailSettings"),
            ],
            database_operations=[],
        ),
    ]
