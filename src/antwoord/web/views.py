"""Public pages: the catalogue of organisations, products and answers."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from antwoord.catalogue.models import Article, Product
from antwoord.lib.text import render_markdown
from antwoord.organisations.models import Layer, Organisation

HOME_LIST_SIZE = 60
PAGE_SIZE = 100


def _organisations_by_layer(limit: int | None) -> list[tuple[str, list[Organisation], int]]:
    groups = []
    for layer in Layer:
        queryset = Organisation.objects.active().filter(layer=layer).order_by("name")
        groups.append((layer.label, list(queryset[:limit] if limit else queryset), queryset.count()))
    return groups


def home(request: HttpRequest) -> HttpResponse:
    products = Product.objects.order_by("name")
    return render(
        request,
        "web/home.html",
        {
            "organisation_groups": _organisations_by_layer(HOME_LIST_SIZE),
            "products": products[:HOME_LIST_SIZE],
            "product_count": products.count(),
            "article_count": Article.objects.published().count(),
        },
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/organisation_list.html", {"organisation_groups": _organisations_by_layer(None)}
    )


def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), code=code)
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "offerings": organisation.offerings.select_related("product").order_by("title"),
            "articles": organisation.articles.published().order_by("question"),
            "water_boards": organisation.water_boards.all(),
        },
    )


def product_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    products = Product.objects.annotate(offering_count=Count("offerings")).order_by("name")
    if query:
        products = products.filter(Q(name__icontains=query))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "web/product_list.html", {"page": page, "query": query})


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    return render(
        request,
        "web/product_detail.html",
        {
            "product": product,
            "offerings": product.offerings.select_related("organisation").order_by("organisation__name")[
                :400
            ],
            "articles": product.articles.published().order_by("question"),
        },
    )


def article_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().select_related("owner"), uuid=uuid)
    return render(
        request,
        "web/article_detail.html",
        {"article": article, "answer_html": render_markdown(article.answer)},
    )
