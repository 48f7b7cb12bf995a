from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("nieuw/", views.NewBookingView.as_view(), name="new"),
    path("<str:reference>/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("<str:reference>/<str:token>/annuleren/", views.CancelView.as_view(), name="cancel"),
    path("<str:reference>/<str:token>/verzetten/", views.MoveView.as_view(), name="move"),
]
