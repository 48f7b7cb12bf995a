from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ANTWOORD beheer"
admin.site.site_title = "ANTWOORD beheer"
admin.site.index_title = "Kennisbank en catalogus"

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("antwoord.answers.urls")),
    path("", include("antwoord.web.urls")),
]
