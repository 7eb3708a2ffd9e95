from django.urls import path

from . import views

app_name = "portal_standin"

urlpatterns = [
    path("token", views.token, name="token"),
    path("dong-bo-ho-so", views.sync, name="sync"),
]
