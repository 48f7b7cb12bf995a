"""Outgoing mail. It is written to an outbox in the same transaction as the change that causes it, and sent
by the worker: a crash never loses a mail, and never sends one for a change that was rolled back. Incoming
mail is the e-mail channel's (antwoord.inbox)."""

from django.db import models


class OutgoingMail(models.Model):
    to = models.EmailField("aan")
    subject = models.CharField("onderwerp", max_length=200)
    body = models.TextField("tekst")
    # At most one text attachment (an .ics file for appointments; its type may carry parameters, such as
    # "text/calendar; method=CANCEL"); empty when there is none.
    attachment_name = models.CharField("naam bijlage", max_length=100, blank=True)
    attachment_type = models.CharField("soort bijlage", max_length=100, blank=True)
    attachment_content = models.TextField("inhoud bijlage", blank=True)
    # Set before the first attempt, so a resend after a crash carries the same Message-ID.
    message_id = models.CharField("Message-ID", max_length=200, unique=True)
    # An answer to a resident's mail threads under it: its Message-ID, and the thread it was part of.
    in_reply_to = models.CharField("antwoord op Message-ID", max_length=255, blank=True)
    references = models.TextField("References", blank=True)
    # Where the resident's reply goes: the intake address of the organisation that wrote (empty: nowhere).
    reply_to = models.EmailField("antwoorden naar", blank=True)
    # Written by a person (an answer from the desk or the back office): not marked as automatic.
    by_person = models.BooleanField("door een medewerker geschreven", default=False)
    # The contact the mail answers: the resident's reply to it becomes that contact's follow-up.
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name="contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    sent_at = models.DateTimeField("verstuurd", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("pogingen", default=0)
    last_error = models.CharField("laatste fout", max_length=500, blank=True)

    class Meta:
        verbose_name = "uitgaande e-mail"
        verbose_name_plural = "uitgaande e-mails"
        indexes = [models.Index(fields=["sent_at", "attempts"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
