from django.urls import path

from .views import AskView

app_name = "answers"
urlpatterns = [path("ask", AskView.as_view(), name="ask")]
