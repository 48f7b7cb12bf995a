"""Any change to searchable content makes every running process pick up a fresh index."""

from typing import Any

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from antwoord.catalogue.models import Article, Offering, Product
from antwoord.importing.services import rows_imported
from antwoord.organisations.models import Organisation, PlaceName

from .models import ContentVersion, Synonym


def bump_content_version() -> None:
    updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})


@receiver(post_save, sender=Article)
@receiver(post_save, sender=Offering)
@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Article)
@receiver(post_delete, sender=Offering)
@receiver(post_delete, sender=Synonym)
@receiver(post_save, sender=PlaceName)
@receiver(post_delete, sender=PlaceName)
@receiver(m2m_changed, sender=Article.products.through)
def content_changed(sender: Any, **kwargs: Any) -> None:
    bump_content_version()


@receiver(rows_imported)
def content_imported(sender: Any, **kwargs: Any) -> None:
    if sender in (Article, Offering, Product, Synonym, Organisation, PlaceName):
        bump_content_version()
