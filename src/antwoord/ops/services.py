"""Figures about the whole installation."""

from typing import Any

from django.db.models import Count

from antwoord.catalogue.models import Article, Offering, Product
from antwoord.organisations.models import Layer, Organisation, Postcode


def catalogue_counts() -> dict[str, Any]:
    organisations = Organisation.objects.active()
    per_status = dict(Article.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "products": Product.objects.count(),
        "municipalities": organisations.municipalities().count(),
        "provinces": organisations.provinces().count(),
        "water_boards": organisations.water_boards().count(),
        "national_organisations": organisations.national().count(),
        "organisations": organisations.count(),
        "postcodes": Postcode.objects.count(),
        "articles": Article.objects.count(),
        "articles_by_status": per_status,
        "offerings": Offering.objects.count(),
        "municipalities_with_offerings": Offering.objects.filter(organisation__layer=Layer.GEMEENTE)
        .values("organisation")
        .distinct()
        .count(),
    }
