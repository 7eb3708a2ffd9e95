from django.urls import path

from . import officer_views

app_name = "accounts"

urlpatterns: list = [
    # Officers (cán bộ): sign-in with a password and an authenticator app, then their landing page.
    path("can-bo/", officer_views.home, name="officer_home"),
    path("can-bo/dang-nhap/", officer_views.sign_in, name="officer_sign_in"),
    path("can-bo/xac-thuc/", officer_views.verify, name="officer_verify"),
    path("can-bo/dang-ky-xac-thuc/", officer_views.enrol, name="officer_enrol"),
    path("can-bo/ma-khoi-phuc/", officer_views.recovery_codes_renew, name="officer_recovery_codes"),
    path("can-bo/doi-mat-khau/", officer_views.password_change, name="officer_password"),
    path("can-bo/dang-xuat/", officer_views.sign_out, name="officer_sign_out"),
]
