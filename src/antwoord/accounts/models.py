"""Staff accounts and the roles they hold in organisations."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from rest_framework.authtoken.models import TokenProxy

# How much of an API key the administration shows.
KEY_START = 6


class Role(models.TextChoices):
    EDITOR = "redacteur", "Redacteur"  # writes the organisation's articles and offerings
    REVIEWER = "kennisbeheerder", "Kennisbeheerder"  # reviews and publishes them
    AGENT = "klantcontactmedewerker", "Klantcontactmedewerker"
    BACKOFFICE = "backoffice", "Medewerker backoffice"
    MANAGER = "manager", "Manager"
    ADMINISTRATOR = "beheerder", "Beheerder organisatie"


class User(AbstractUser):
    """A staff member. Residents never need an account."""

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"

    def __str__(self) -> str:
        """The name colleagues know, wherever a person is shown (history, queue, messages, admin)."""
        return self.get_full_name() or self.username


class Membership(models.Model):
    """User U holds role R in organisation O. A user may hold several roles in several organisations."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="gebruiker"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="organisatie",
    )
    role = models.CharField("rol", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "rol in organisatie"
        verbose_name_plural = "rollen in organisaties"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} bij {self.organisation}"


class SystemToken(TokenProxy):
    """A system's API token in the administration, named by its first characters only: the key is the
    system's password (shown whole once, when it is made: accounts.admin)."""

    class Meta:
        proxy = True
        verbose_name = "API-sleutel"
        verbose_name_plural = "API-sleutels"

    def __str__(self) -> str:
        return f"{self.key[:KEY_START]}… van {self.user}"
