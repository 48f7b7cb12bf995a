from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from antwoord.api import UnknownPathView

admin.site.site_header = "ANTWOORD beheer"
admin.site.site_title = "ANTWOORD beheer"
admin.site.index_title = "Kennisbank en catalogus"
admin.site.index_template = "admin/antwoord_index.html"  # with links to the staff pages
handler400 = "antwoord.web.views.bad_request"

api_v1: list[URLPattern | URLResolver] = [
    path("", include("antwoord.answers.urls")),
    path("", include("antwoord.contacts.api")),
    path("", include("antwoord.appointments.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    re_path(r"", UnknownPathView.as_view()),  # last: whatever no endpoint above matched
]

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("backoffice/", include("antwoord.contacts.urls")),
    path("kcc/", include("antwoord.desk.urls")),
    path("afspraken/", include("antwoord.appointments.urls")),
    path("", include("antwoord.web.urls")),
]
