"""The e-mail channel's data: mail as it came in, and how each organisation uses the channel."""

from django.db import models
from django.utils.timezone import localtime


class InboundMail(models.Model):
    """A mail as the SMTP intake received it, stored before the sender hears "250 OK".

    The raw bytes are kept so that processing can be redone after a crash; `processed_at` is set in the
    same transaction that creates the contact, so a mail becomes a contact exactly once.
    """

    # The Message-ID header, or a hash of the raw mail when it has none: a second delivery is ignored.
    message_id = models.CharField("Message-ID", max_length=255, unique=True)
    mail_from = models.CharField("afzender (envelop)", max_length=320, blank=True)
    recipients = models.TextField("ontvangers", blank=True)
    raw = models.BinaryField("ruwe e-mail")
    received_at = models.DateTimeField("ontvangen", auto_now_add=True)
    processed_at = models.DateTimeField("verwerkt", null=True, blank=True)
    contact = models.OneToOneField(
        "contacts.Contact",
        verbose_name="contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_mail",
    )
    # What our answers to it name in References, oldest first (ParsedMail.thread): the resident's mail
    # program shows them under this mail. Empty when it had no Message-ID of its own.
    thread = models.TextField("gesprek (References)", blank=True)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    # Why the mail did not become a contact (empty, unreadable) or why the last attempt failed.
    error = models.CharField("fout bij verwerken", max_length=500, blank=True)

    class Meta:
        verbose_name = "binnengekomen e-mail"
        verbose_name_plural = "binnengekomen e-mails"
        db_table = "mail_inboundmail"  # the table of the mail app, where this model began
        indexes = [models.Index(fields=["processed_at", "attempts"])]

    def __str__(self) -> str:
        return f"{self.mail_from or 'onbekend'} {localtime(self.received_at):%d-%m-%Y %H:%M}"


class MailSettings(models.Model):
    """How an organisation uses the e-mail channel. Automatic replies are off until it switches them on."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name="organisatie",
        on_delete=models.CASCADE,
        related_name="mail_settings",
    )
    auto_reply_enabled = models.BooleanField(
        "automatisch antwoorden",
        default=False,
        help_text="Beantwoord eenvoudige vragen meteen per e-mail als de zoekmachine heel zeker is.",
    )

    class Meta:
        verbose_name = "e-mailinstelling"
        verbose_name_plural = "e-mailinstellingen"
        db_table = "mail_mailsettings"

    def __str__(self) -> str:
        return f"E-mail van {self.organisation}"
