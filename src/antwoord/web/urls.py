from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("vraag", views.ask_page, name="ask"),
    path("vraag/suggesties", views.suggestions, name="suggestions"),
    path("vraag/nuttig", views.feedback, name="feedback"),
    path("vraag/doorsturen", views.handover, name="handover"),
    path("vraag/doorgestuurd/<str:reference>/<str:secret>/", views.handover_done, name="handover-done"),
    path("status/<str:reference>/<str:secret>/", views.status, name="status"),
    path("organisaties/", views.organisation_list, name="organisation-list"),
    path("organisaties/<str:code>/", views.organisation_detail, name="organisation-detail"),
    path("producten/", views.product_list, name="product-list"),
    path("producten/<int:pk>/", views.product_detail, name="product-detail"),
    path("vragen/<uuid:uuid>/", views.article_detail, name="article-detail"),
]
