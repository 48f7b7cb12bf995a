"""The catalogue as engine documents: published articles, offerings and UPL products."""

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.db.models import Count

from antwoord.catalogue.models import Article, Offering, Product
from antwoord.lib.text import truncate, without_html_tags
from antwoord.organisations.models import Layer, Organisation

from .engine.index import NATIONAL, PRODUCTS, Document

_LINK_TARGET = re.compile(r"\]\([^)]*\)|https?://\S+")
# Markdown's autolinks (<info@denhaag.nl>, <https://www.denhaag.nl>): text the page shows.
_AUTOLINK = re.compile(r"<([^<>\s]+(@|:)[^<>\s]+)>")
_MARKUP = re.compile(r"[#*_>`|\[\]]+")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t].*$", re.MULTILINE)
SNIPPET_LENGTH = 240
PRODUCT_TITLES = 20  # how many of a product's most common offering titles describe it


def plain(markdown: str) -> str:
    """Markdown without link targets and markup: cheap enough for 300,000 documents."""
    # Raw HTML an editor typed (the pages drop what is unsafe when they render it): plain text shows none of it.
    text = _AUTOLINK.sub(r"\1", without_html_tags(markdown))
    return " ".join(_MARKUP.sub(" ", _LINK_TARGET.sub("]", text)).split())


def snippet(markdown: str) -> str:
    """The text's opening, shown under a result and in the automatic reply: up to its first heading, so that no
    heading runs into the sentence before it ("… (saneren). Bodemverontreiniging melden U moet …"); a text
    that opens with a heading starts after it."""
    opening = next((part for part in _HEADING.split(markdown) if part.strip()), "")
    return truncate(plain(opening), SNIPPET_LENGTH)


def organisation_info(organisation: Organisation) -> dict[str, str]:
    return {
        "name": organisation.name,
        "code": organisation.code,
        "tooi_code": organisation.tooi_code,
        "layer": organisation.layer,
    }


def partition_of(organisation: Organisation) -> str:
    return NATIONAL if organisation.layer == Layer.RIJK else organisation.code


OFFERING_DEMAND_PRIOR = 0.15  # common products (offered by most municipalities) win near-ties


def build_documents(today: date | None = None) -> list[Document]:
    today = today or date.today()
    shares = _municipal_shares()
    return [*_articles(today), *_offerings(shares), *_products(_national_providers(), shares, today)]


def _municipal_shares() -> dict[int, float]:
    """product id -> share of municipalities that offer it."""
    counts = (
        Offering.objects.filter(product__isnull=False, organisation__layer=Layer.GEMEENTE)
        .values("product_id")
        .annotate(n=Count("organisation_id", distinct=True))
    )
    total = max(1, Organisation.objects.active().municipalities().count())
    return {row["product_id"]: row["n"] / total for row in counts}


def _articles(today: date) -> list[Document]:
    current = Article.objects.current(today)
    with_variants = set(current.exclude(overrides=None).values_list("overrides_id", flat=True))
    documents = []
    for article in current.select_related("owner", "overrides").prefetch_related("products"):
        products = list(article.products.all())
        layers = sorted({layer for p in products for layer in p.layers} | {article.owner.layer})
        documents.append(
            Document(
                key=f"article:{article.uuid}",
                kind="article",
                partition=partition_of(article.owner),
                fields={
                    "question": article.question,
                    "alternatives": "\n".join(article.alternative_questions),
                    "keywords": " ".join(article.keywords),
                    "body": plain(article.answer),
                },
                for_burger=article.for_burger,
                for_ondernemer=article.for_ondernemer,
                payload={
                    "title": article.question,
                    "source_id": str(article.uuid),
                    "upl_uri": products[0].upl_uri if products else "",
                    "organisation": organisation_info(article.owner),
                    "url": article.source_url,
                    "snippet": snippet(article.answer),
                    "layers": layers,
                    "last_revision": article.updated_at.isoformat(),
                    "overrides": f"article:{article.overrides.uuid}" if article.overrides else "",
                    "has_local_variants": article.pk in with_variants,
                },
            )
        )
    return documents


def _offerings(shares: dict[int, float]) -> list[Document]:
    documents = []
    for offering in Offering.objects.select_related("organisation", "product", "area").iterator(
        chunk_size=2000
    ):
        organisation = offering.organisation
        product = offering.product
        documents.append(
            Document(
                key=f"offering:{offering.pk}",
                kind="offering",
                partition=partition_of(offering.area or organisation),
                fields={
                    "question": offering.title,
                    "alternatives": product.name if product else "",
                    "keywords": offering.subject,
                    "body": plain(offering.text),
                },
                for_burger=offering.for_burger,
                for_ondernemer=offering.for_ondernemer,
                prior=1 + OFFERING_DEMAND_PRIOR * shares.get(offering.product_id or 0, 0.0),
                payload={
                    "title": offering.title,
                    "source_id": offering.url or f"{organisation.code}:{offering.key}",
                    "upl_uri": product.upl_uri if product else "",
                    "organisation": organisation_info(organisation),
                    "url": offering.url,
                    "snippet": snippet(offering.text),
                    "layers": product.layers if product else [organisation.layer],
                    "last_revision": offering.updated_at.isoformat(),
                    "next_step": _next_step(offering),
                },
            )
        )
    return documents


def _next_step(offering: Offering) -> dict[str, Any]:
    return {
        "online_application_url": offering.online_application_url,
        "appointment_required": offering.appointment_required,
        "channels": [c for c in ("online", "counter", "phone", "post") if getattr(offering, f"channel_{c}")],
        "costs": offering.costs,
    }


def _national_providers() -> dict[int, Organisation]:
    """product id -> the national organisation that offers it (from its offerings)."""
    providers: dict[int, Organisation] = {}
    national = Offering.objects.filter(organisation__layer=Layer.RIJK, product__isnull=False).select_related(
        "organisation"
    )
    for offering in national:
        if offering.product_id is not None:
            providers.setdefault(offering.product_id, offering.organisation)
    return providers


def _products(
    national_providers: dict[int, Organisation], shares: dict[int, float], today: date
) -> list[Document]:
    # A product is described by the titles of its local offerings and articles where it has them: a national
    # organisation's offering of a local product is for a special case ("... als u in het buitenland woont")
    # and a document of its own, not a description of the product. Through these titles a question about a
    # local text ("kliko gestolen") is recognised without a place, and the place asked for. An article's
    # alternative phrasings count as titles: they are how people ask ("hond aanmelden" for dog tax).
    titles: dict[int, Counter[str]] = defaultdict(Counter)
    national: dict[int, Counter[str]] = defaultdict(Counter)
    offerings = Offering.objects.filter(product__isnull=False).values_list(
        "product_id", "title", "organisation__layer"
    )
    # A national article is a document of its own already, and no description of a local product.
    articles = [
        (product_id, phrasing, layer)
        for product_id, question, alternatives, layer in Article.objects.current(today)
        .filter(products__isnull=False)
        .exclude(owner__layer=Layer.RIJK)
        .values_list("products__id", "question", "alternative_questions", "owner__layer")
        for phrasing in [question, *alternatives]
    ]
    for product_id, title, layer in [*offerings, *articles]:
        (national if layer == Layer.RIJK else titles)[product_id][title.strip().lower()] += 1
    for product_id, counted in national.items():
        titles.setdefault(product_id, counted)
    documents = []
    for product in Product.objects.all():
        provider = national_providers.get(product.pk)
        documents.append(
            Document(
                key=f"product:{product.pk}",
                kind="product",
                partition=PRODUCTS,
                fields={
                    "question": product.name,
                    "alternatives": "\n".join(t for t, _ in titles[product.pk].most_common(PRODUCT_TITLES)),
                },
                for_burger=product.for_burger,
                for_ondernemer=product.for_ondernemer,
                payload={
                    "title": product.name,
                    "source_id": product.upl_uri,
                    "upl_uri": product.upl_uri,
                    "organisation": organisation_info(provider) if provider else {},
                    "national_organisation": organisation_info(provider) if provider else None,
                    "layers": product.layers,
                    "local_share": shares.get(product.pk, 0.0),
                },
            )
        )
    return documents
