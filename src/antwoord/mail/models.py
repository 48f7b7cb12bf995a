"""Mail in and out. Outgoing mail is written to an outbox in the same transaction as the change that
causes it, and sent by the worker: a crash never loses a mail, and never sends one for a change that
was rolled back."""

from django.db import models


class OutgoingMail(models.Model):
    to = models.EmailField("aan")
    subject = models.CharField("onderwerp", max_length=200)
    body = models.TextField("tekst")
    # At most one attachment (an .ics file for appointments); empty when there is none.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_content = models.TextField(blank=True)
    # Set before the first attempt, so a resend after a crash carries the same Message-ID.
    message_id = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "uitgaande e-mail"
        verbose_name_plural = "uitgaande e-mails"
        indexes = [models.Index(fields=["sent_at", "attempts"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class InboundMail(models.Model):
    """A mail as the SMTP intake received it, stored before the sender hears "250 OK".

    The raw bytes are kept so that processing can be redone after a crash; `processed_at` is set in the
    same transaction that creates the contact, so a mail becomes a contact exactly once.
    """

    # The Message-ID header, or a hash of the raw mail when it has none: a second delivery is ignored.
    message_id = models.CharField(max_length=255, unique=True)
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
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    # Why the mail did not become a contact (empty, unreadable) or why the last attempt failed.
    error = models.CharField("fout bij verwerken", max_length=500, blank=True)

    class Meta:
        verbose_name = "binnengekomen e-mail"
        verbose_name_plural = "binnengekomen e-mails"
        indexes = [models.Index(fields=["processed_at", "attempts"])]

    def __str__(self) -> str:
        return f"{self.mail_from or 'onbekend'} {self.received_at:%Y-%m-%d %H:%M}"


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

    def __str__(self) -> str:
        return f"E-mail van {self.organisation}"
