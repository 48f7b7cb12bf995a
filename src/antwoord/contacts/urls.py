from django.urls import URLPattern, path

from . import views

app_name = "contacts"
urlpatterns: list[URLPattern] = [
    path("", views.queue, name="queue"),
    path("stuurinformatie/", views.figures, name="figures"),
    path("stuurinformatie/csv/", views.figures_csv, name="figures-csv"),
    path("<str:reference>/", views.handover_detail, name="handover-detail"),
    path("<str:reference>/oppakken/", views.claim, name="handover-claim"),
    path("<str:reference>/toewijzen/", views.assign, name="handover-assign"),
    path("<str:reference>/doorsturen/", views.forward, name="handover-forward"),
    path("<str:reference>/beantwoorden/", views.answer, name="handover-answer"),
]
