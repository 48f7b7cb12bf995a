"""Editing the catalogue: permission checks, the status workflow and the version history.

Views, the admin, importers and the API all change content through these functions, so the rules hold
everywhere.
"""

import copy
import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple, cast

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from antwoord.accounts.models import User
from antwoord.accounts.services import (
    PUBLISHING_ROLES,
    AnyUser,
    can_publish,
    can_write,
    emails_of_role,
    organisation_ids_with_role,
)
from antwoord.mail.services import queue_mail
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

# What an editor may change in a published article, as a proposal. Owner, status and the national text it
# replaces stay with the reviewer.
PROPOSAL_FIELDS = (
    "question",
    "alternative_questions",
    "answer",
    "keywords",
    "agent_note",
    "for_burger",
    "for_ondernemer",
    "valid_from",
    "valid_until",
)
REVIEWER_ONLY_FIELDS = ("owner_id", "status", "overrides_id")

# Not part of a version: the import checksum, and a proposal that is not live yet.
UNVERSIONED_FIELDS = ("source_checksum", "proposal", "proposal_author", "proposal_at")


def snapshot(instance: models.Model) -> dict[str, Any]:
    """All fields of a saved instance, many-to-many included, as JSON-ready data."""
    fields: dict[str, Any] = serializers.serialize("python", [instance])[0]["fields"]
    for name in UNVERSIONED_FIELDS:
        fields.pop(name, None)
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


def _stored(article: Article) -> Article | None:
    return Article.objects.filter(pk=article.pk).first() if article.pk else None


def _is_proposal(previous: Article, user: AnyUser) -> bool:
    """The right to change a published text is the publish right of the organisation that published it,
    whatever owner the change names (else a reviewer elsewhere could move it away)."""
    return previous.status == Status.PUBLISHED and not can_publish(user, previous.owner_id)


def becomes_proposal(article: Article, user: AnyUser) -> bool:
    """Whether `user` saving `article` proposes the change: an editor without the publish right changes
    a published article, whose live text stays until a reviewer publishes the proposal."""
    previous = _stored(article)
    return previous is not None and _is_proposal(previous, user)


def check_only_content_changed(previous: Article, article: Article) -> None:
    if any(getattr(article, name) != getattr(previous, name) for name in REVIEWER_ONLY_FIELDS):
        raise PermissionDenied(
            "Dit artikel is gepubliceerd. Alleen een kennisbeheerder mag de eigenaar, de status of de "
            "landelijke tekst wijzigen. Vraag een kennisbeheerder om het terug te zetten naar concept."
        )


def check_article_change(article: Article, user: AnyUser) -> None:
    """Raise PermissionDenied or ValidationError when `user` may not save `article` as it is now (for an
    editor of a published article: as a proposal)."""
    if not can_write(user, article.owner_id):
        raise PermissionDenied("U mag geen artikelen van deze organisatie schrijven of wijzigen.")
    previous = _stored(article)
    old_status = previous.status if previous else Status.CONCEPT
    if (
        previous is not None
        and previous.owner_id != article.owner_id
        and not can_write(user, previous.owner_id)
    ):
        raise PermissionDenied("U mag geen artikelen van deze organisatie wijzigen.")
    if previous is not None and _is_proposal(previous, user):
        check_only_content_changed(previous, article)
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
    """Create or change an article as `user`, enforcing the roles and the workflow. An editor's change to
    a published article becomes its proposal (see `propose_article_change`)."""
    previous = _stored(article)
    if previous is not None and _is_proposal(previous, user):
        return propose_article_change(article, user, products=products)
    check_article_change(article, user)
    article.full_clean(exclude=["products"])
    was = previous.status if previous else None
    with transaction.atomic():
        article.version += 1
        article.save()
        if products is not None:
            article.products.set(products)
        record_revision(article, author=user, actor=actor, comment=comment)
        _tell_reviewers_when_sent_for_review(article, was, user)
    return article


class ProposedChange(NamedTuple):
    label: str
    current: Any
    proposed: Any
    # The live value is no longer the one the proposal started from: publishing would overwrite a later change.
    changed_since: bool = False


PRODUCTS = "products"


def waiting_for_review(
    user: AnyUser, articles: models.QuerySet[Article] | None = None
) -> models.QuerySet[Article]:
    """The articles that wait for this reviewer's decision (of the organisations he reviews for): a proposal
    for a published one, or a new text sent for review ("Ter beoordeling")."""
    articles = Article.objects.all() if articles is None else articles
    return articles.filter(
        Q(proposal__isnull=False) | Q(status=Status.REVIEW),
        owner_id__in=organisation_ids_with_role(user, PUBLISHING_ROLES),
    )


def proposals_to_review(user: AnyUser) -> int:
    return waiting_for_review(user).count()


def _proposal_fields() -> list[models.Field[Any, Any]]:
    return [field for field in Article._meta.concrete_fields if field.name in PROPOSAL_FIELDS]


def _pending(article: Article) -> dict[str, dict[str, Any]]:
    """The pending proposal: {"new": proposed values, "was": the live values it started from}, for the
    changed fields only (products as sorted ids), so publishing leaves every other field as it is then."""
    if article.proposal is None:
        raise ValidationError("Dit artikel heeft geen voorstel.")
    return cast(dict[str, dict[str, Any]], article.proposal)


def _proposable_values(article: Article, products: Iterable[Product]) -> dict[str, Any]:
    values = {field.name: field.value_from_object(article) for field in _proposal_fields()}
    values[PRODUCTS] = sorted(product.pk for product in products)
    return values


def _field(name: str) -> models.Field[Any, Any]:
    return cast(models.Field[Any, Any], Article._meta.get_field(name))


def _decoded(name: str, stored: Any) -> Any:
    """A value as stored in the proposal's JSON, as the field holds it (dates come back from strings)."""
    return stored if name == PRODUCTS else _field(name).to_python(stored)


def proposed_article(article: Article) -> Article:
    """A copy of `article` with its pending proposal applied (products aside), to validate or compare."""
    candidate = copy.copy(article)
    for name, value in _pending(article)["new"].items():
        if name in PROPOSAL_FIELDS:
            setattr(candidate, name, _decoded(name, value))
    return candidate


def proposal_changes(article: Article) -> list[ProposedChange]:
    """What publishing the pending proposal would change, field by field (products by name)."""
    if article.proposal is None:
        return []
    pending = _pending(article)
    changes = []
    for name, value in pending["new"].items():
        if name == PRODUCTS:
            current: Any = sorted(article.products.values_list("pk", flat=True))
        else:
            current = getattr(article, name)
        proposed, was = _decoded(name, value), _decoded(name, pending["was"][name])
        if current == proposed:
            continue  # the live text says this already
        changed_since = current != was
        if name == PRODUCTS:
            current, proposed = _product_names(current), _product_names(proposed)
        changes.append(ProposedChange(str(_field(name).verbose_name), current, proposed, changed_since))
    return changes


EMPTY: tuple[Any, ...] = (None, "", [])


def shown_value(value: Any) -> str:
    """A proposed or current value as an editor reads it."""
    if value in EMPTY:
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "\n".join(map(str, value))
    if isinstance(value, datetime.date):
        return date_format(value)
    return str(value)


def _product_names(ids: Iterable[int]) -> list[str]:
    return list(Product.objects.filter(pk__in=ids).values_list("name", flat=True))


def propose_article_change(
    article: Article, user: AnyUser, *, products: Iterable[Product] | None = None
) -> Article:
    """Keep an editor's change to a published article as its pending proposal, replacing an earlier one.

    The live text, its version and the search index stay as they are. A change that changes nothing is
    not stored. Returns `article` as it is live, with the proposal.
    """
    check_article_change(article, user)
    live = Article.objects.get(pk=article.pk)
    if live.status != Status.PUBLISHED:
        raise ValidationError(
            "Alleen een gepubliceerd artikel krijgt een voorstel. Wijzig dit artikel gewoon."
        )
    new = _proposable_values(article, article.products.all() if products is None else products)
    was = _proposable_values(live, live.products.all())
    changed = [name for name in new if new[name] != was[name]]
    if changed:
        live.proposal = {"new": {n: new[n] for n in changed}, "was": {n: was[n] for n in changed}}
        proposed_article(live).full_clean(exclude=[PRODUCTS])
        # A queryset update sends no post_save: the live text did not change, so no index rebuild.
        Article.objects.filter(pk=live.pk).update(
            proposal=live.proposal, proposal_author=user, proposal_at=timezone.now()
        )
        _tell_reviewers(live, user)
    article.refresh_from_db()
    return article


def _tell_reviewers(article: Article, proposer: AnyUser, template: str = "proposal_submitted") -> None:
    """The organisation's kennisbeheerders hear of a new proposal, or of an article sent for review; it waits
    for one of them."""
    context = {"article": article, "proposer": str(proposer), "link": _admin_link(article)}
    own = proposer.email if isinstance(proposer, User) else ""
    for address in emails_of_role(article.owner_id, PUBLISHING_ROLES):
        if address != own:
            queue_mail(address, template, context)


def _tell_reviewers_when_sent_for_review(article: Article, was: str | None, user: AnyUser) -> None:
    if article.status == Status.REVIEW and was != Status.REVIEW:
        _tell_reviewers(article, user, "article_for_review")


def _tell_proposer(
    article: Article,
    proposer: User | None,
    decider: AnyUser,
    published: bool,
    reason: str = "",
    proposed: list[tuple[str, str]] | None = None,
) -> None:
    """The proposer hears what became of the proposal (not when deciding on one's own)."""
    if proposer is None or not proposer.email or proposer.pk == decider.pk:
        return
    context = {
        "article": article,
        "published": published,
        "reason": reason,
        "proposed": proposed or [],
        "link": _admin_link(article),
    }
    queue_mail(proposer.email, "proposal_decided", context)


def _admin_link(article: Article) -> str:
    return settings.SITE_URL + reverse("admin:catalogue_article_change", args=[article.pk])


def _with_pending_proposal(article: Article, user: AnyUser) -> Article:
    """The live article, locked, once `user` may decide on its pending proposal."""
    live = Article.objects.select_for_update().get(pk=article.pk)
    if not can_publish(user, live.owner_id):
        raise PermissionDenied(
            "Alleen een kennisbeheerder van deze organisatie mag een voorstel publiceren of afwijzen."
        )
    _pending(live)
    return live


def proposer_name(article: Article) -> str:
    """Who proposed the pending change; the user may have been removed since."""
    return str(article.proposal_author) if article.proposal_author else "een verwijderde gebruiker"


def _without_proposal(article: Article) -> Article:
    article.proposal, article.proposal_author, article.proposal_at = None, None, None
    return article


def publish_proposal(article: Article, user: AnyUser) -> Article:
    """Make the pending proposal the live text, as a new version by `user` that names the proposer."""
    with transaction.atomic():
        live = _with_pending_proposal(article, user)
        _check_publishable(live)
        proposed = _pending(live)["new"]
        products = Product.objects.filter(pk__in=proposed[PRODUCTS]) if PRODUCTS in proposed else None
        comment = f"Voorstel van {proposer_name(live)} gepubliceerd"
        proposer = live.proposal_author
        new_version = save_article(
            _without_proposal(proposed_article(live)), user, products=products, comment=comment
        )
        _tell_proposer(new_version, proposer, user, published=True)
    article.refresh_from_db()
    return article


def _check_publishable(live: Article) -> None:
    """A proposal is published onto the published text it was made for, and never over a later change."""
    if live.status != Status.PUBLISHED:
        raise ValidationError(
            "Dit artikel is niet meer gepubliceerd. Wijs het voorstel af en wijzig het artikel zelf."
        )
    changes = proposal_changes(live)
    if not changes:
        raise ValidationError("Dit voorstel verandert niets meer: de tekst is al zo. Wijs het voorstel af.")
    overwritten = [change.label for change in changes if change.changed_since]
    if overwritten:
        raise ValidationError(
            f"Iemand heeft het artikel na dit voorstel gewijzigd: {', '.join(overwritten)}. Als u publiceert, "
            "gaat die wijziging verloren. Wijs het voorstel daarom af. De redacteur kan een nieuw voorstel doen."
        )


def reject_proposal(article: Article, user: AnyUser, comment: str = "") -> Article:
    """Drop the pending proposal; the live text stays as it is."""
    with transaction.atomic():
        live = _with_pending_proposal(article, user)
        # The proposer gets what he proposed back: it is kept nowhere else, and may serve a next proposal.
        proposed = [(change.label, shown_value(change.proposed)) for change in proposal_changes(live)]
        Article.objects.filter(pk=live.pk).update(proposal=None, proposal_author=None, proposal_at=None)
        # Not a new version of the text, so not a revision: the object's history in the admin keeps it.
        message = f"Voorstel van {proposer_name(live)} afgewezen" + (f": {comment}" if comment else "")
        LogEntry.objects.log_actions(cast(int, user.pk), [live], CHANGE, message)
        _tell_proposer(live, live.proposal_author, user, published=False, reason=comment, proposed=proposed)
    article.refresh_from_db()
    return article


def change_status(article: Article, user: AnyUser, new_status: Status, *, comment: str = "") -> Article:
    if not can_write(user, article.owner_id):
        raise PermissionDenied("U mag geen artikelen van deze organisatie wijzigen.")
    check_transition(user, article, article.status, new_status)
    with transaction.atomic():
        was, article.status = article.status, new_status
        article.version += 1
        article.save(update_fields=["status", "version", "updated_at"])
        record_revision(article, author=user, comment=comment or f"Status: {new_status.label}")
        _tell_reviewers_when_sent_for_review(article, was, user)
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
    local = article.local_variants.current(timezone.localdate()).filter(owner=municipality).first()
    return local or article
