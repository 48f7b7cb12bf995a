"""Editing the catalogue: permission checks, the status workflow and the version history.

Views, the admin, importers and the API all change content through these functions, so the rules hold
everywhere.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max

from antwoord.accounts.models import User
from antwoord.accounts.services import AnyUser, can_publish, can_write
from antwoord.organisations.models import Layer, Organisation

from .models import Article, Offering, Product, Revision, Status

# (from, to) -> whether the step needs the review role. Other steps are not allowed.
TRANSITIONS: dict[tuple[str, str], bool] = {
    (Status.CONCEPT, Status.REVIEW): False,
    (Status.REVIEW, Status.CONCEPT): False,
    (Status.ARCHIVED, Status.CONCEPT): False,
    (Status.REVIEW, Status.PUBLISHED): True,
    (Status.CONCEPT, Status.PUBLISHED): True,
    (Status.PUBLISHED, Status.CONCEPT): True,
    (Status.PUBLISHED, Status.ARCHIVED): True,
    (Status.REVIEW, Status.ARCHIVED): True,
    (Status.CONCEPT, Status.ARCHIVED): True,
}


def snapshot(instance: models.Model) -> dict[str, Any]:
    """All fields of a saved instance, many-to-many included, as JSON-ready data."""
    fields: dict[str, Any] = serializers.serialize("python", [instance])[0]["fields"]
    fields.pop("source_checksum", None)
    return fields


def record_revision(
    instance: models.Model, *, author: AnyUser | None = None, actor: str = "", comment: str = ""
) -> Revision:
    content_type = ContentType.objects.get_for_model(instance)
    latest = Revision.objects.filter(content_type=content_type, object_id=instance.pk).aggregate(
        number=Max("number")
    )["number"]
    return Revision.objects.create(
        content_type=content_type,
        object_id=instance.pk,
        number=(latest or 0) + 1,
        data=snapshot(instance),
        author=author if isinstance(author, User) else None,
        actor=actor,
        comment=comment[:300],
    )


def revisions_of(instance: models.Model) -> models.QuerySet[Revision]:
    content_type = ContentType.objects.get_for_model(instance)
    return Revision.objects.filter(content_type=content_type, object_id=instance.pk).select_related("author")


def check_transition(user: AnyUser, article: Article, old_status: str, new_status: str) -> None:
    if old_status == new_status:
        return
    needs_review_role = TRANSITIONS.get((old_status, new_status))
    if needs_review_role is None:
        raise ValidationError(
            f"Een artikel kan niet van '{Status(old_status).label}' naar '{Status(new_status).label}'."
        )
    if needs_review_role and not can_publish(user, article.owner_id):
        raise PermissionDenied(
            "Alleen een kennisbeheerder van deze organisatie mag artikelen publiceren, "
            "terugzetten of archiveren."
        )


def check_local_variant(article: Article) -> None:
    """A local variant replaces a national text for one organisation's own area."""
    national = article.overrides
    if national is None:
        return
    if national.pk == article.pk or national.owner.layer != Layer.RIJK:
        raise ValidationError("Een lokale variant hoort bij een landelijke tekst.")
    if article.owner.layer == Layer.RIJK:
        raise ValidationError("Een landelijke organisatie maakt geen lokale variant.")


def check_article_change(article: Article, user: AnyUser) -> None:
    """Raise PermissionDenied or ValidationError when `user` may not save `article` as it is now."""
    if not can_write(user, article.owner_id):
        raise PermissionDenied("U mag geen artikelen van deze organisatie schrijven of wijzigen.")
    previous = Article.objects.filter(pk=article.pk).first() if article.pk else None
    old_status = previous.status if previous else Status.CONCEPT
    if (
        previous is not None
        and previous.owner_id != article.owner_id
        and not can_write(user, previous.owner_id)
    ):
        raise PermissionDenied("U mag geen artikelen van deze organisatie wijzigen.")
    if previous is not None and old_status == Status.PUBLISHED and not can_publish(user, article.owner_id):
        raise PermissionDenied(
            "Dit artikel is gepubliceerd. Alleen een kennisbeheerder mag het wijzigen. "
            "Vraag een kennisbeheerder om het terug te zetten naar concept."
        )
    check_transition(user, article, old_status, article.status)
    check_local_variant(article)


def save_article(
    article: Article,
    user: AnyUser,
    *,
    products: Iterable[Product] | None = None,
    comment: str = "",
    actor: str = "",
) -> Article:
    """Create or change an article as `user`, enforcing the roles and the workflow."""
    check_article_change(article, user)
    article.full_clean(exclude=["products"])
    with transaction.atomic():
        article.version += 1
        article.save()
        if products is not None:
            article.products.set(products)
        record_revision(article, author=user, actor=actor, comment=comment)
    return article


def change_status(article: Article, user: AnyUser, new_status: Status, *, comment: str = "") -> Article:
    if not can_write(user, article.owner_id):
        raise PermissionDenied("U mag geen artikelen van deze organisatie wijzigen.")
    check_transition(user, article, article.status, new_status)
    with transaction.atomic():
        article.status = new_status
        article.version += 1
        article.save(update_fields=["status", "version", "updated_at"])
        record_revision(article, author=user, comment=comment or f"Status: {new_status.label}")
    return article


def save_offering(offering: Offering, user: AnyUser, *, comment: str = "") -> Offering:
    if not can_write(user, offering.organisation_id):
        raise PermissionDenied("U mag het productaanbod van deze organisatie niet wijzigen.")
    if offering.pk:
        previous = Offering.objects.filter(pk=offering.pk).values_list("organisation_id", flat=True).first()
        if previous is not None and not can_write(user, previous):
            raise PermissionDenied("U mag het productaanbod van deze organisatie niet wijzigen.")
    offering.full_clean()
    with transaction.atomic():
        offering.save()
        record_revision(offering, author=user, comment=comment)
    return offering


def article_for_place(article: Article, municipality: Organisation | None) -> Article:
    """The text a resident of `municipality` should read: the local variant of a national text if the
    municipality published one, otherwise the national text itself."""
    if municipality is None:
        return article
    local = article.local_variants.published().filter(owner=municipality).first()
    return local or article
