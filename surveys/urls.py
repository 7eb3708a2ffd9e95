from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("danh-gia/", views.mine, name="mine"),
    path("danh-gia/ho-so/<int:pk>/", views.rate_dossier, name="rate_dossier"),
    # The link sent with an answer: a signed token naming the item, never the sender.
    path("danh-gia/phan-anh/<str:token>/", views.rate_item, name="rate_item"),
    # The counter: the officers' console, and the tablet's page (no sign-in, paired by a cookie).
    path("can-bo/danh-gia-tai-quay/", views.kiosk_console, name="kiosk_console"),
    path("quay/danh-gia/", views.kiosk, name="kiosk"),
]
