from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("danh-gia/", views.mine, name="mine"),
    path("danh-gia/ho-so/<int:pk>/", views.rate_dossier, name="rate_dossier"),
    # The links sent with a returned dossier and with an answer: signed tokens naming the dossier or
    # the item, never the person.
    path("danh-gia/ho-so/lien-ket/<str:token>/", views.rate_dossier_link, name="rate_dossier_link"),
    path("danh-gia/phan-anh/<str:token>/", views.rate_item, name="rate_item"),
    # The counter: the officers' console, and the tablet's page (no sign-in, paired by a cookie).
    path("can-bo/danh-gia-tai-quay/", views.kiosk_console, name="kiosk_console"),
    path("quay/danh-gia/", views.kiosk, name="kiosk"),
]
