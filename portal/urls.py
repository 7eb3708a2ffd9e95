from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("lien-he/", views.contact, name="contact"),
    path("phien-dang-nhap/", views.account_area, name="account_area"),
    path("danh-cho-ban/", views.for_you, name="for_you"),
]
