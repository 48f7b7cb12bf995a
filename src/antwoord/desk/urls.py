from django.urls import URLPattern, path

from . import views

app_name = "desk"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("inloggen/", views.StaffLoginView.as_view(), name="login"),
    path("uitloggen/", views.StaffLogoutView.as_view(), name="logout"),
    path("contacten/nieuw/", views.start, name="contact-start"),
    path("contacten/<uuid:contact_uuid>/", views.contact_detail, name="contact"),
    path("contacten/<uuid:contact_uuid>/afronden/", views.close, name="contact-close"),
    path("contacten/<uuid:contact_uuid>/beantwoorden/", views.reply, name="contact-reply"),
    path("contacten/<uuid:contact_uuid>/overdragen/", views.hand_over, name="contact-handover"),
    path(
        "contacten/<uuid:contact_uuid>/afspraken/<str:reference>/annuleren/",
        views.cancel_booking,
        name="contact-cancel-booking",
    ),
    path("afspraken/<str:reference>/annuleren/", views.cancel_booking_by_reference, name="booking-cancel"),
    path("afspraken/<str:reference>/gebeld/", views.booking_called, name="booking-called"),
    path("register/", views.register, name="register"),
]
