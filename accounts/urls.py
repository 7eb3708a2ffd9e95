from django.urls import path

from . import account_views, citizen_views, officer_views

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

# Tài khoản của tôi: the signed-in person's own account, organizations and data (account_views.py).
# Identification and phone numbers never go into a URL (tests/test_permissions_walk.py checks).
urlpatterns += [
    path("tai-khoan/", account_views.account, name="account"),
    path("tai-khoan/du-lieu-cua-toi/", account_views.my_data, name="my_data"),
    path("tai-khoan/to-chuc/them/", account_views.organization_add, name="organization_add"),
    path("tai-khoan/to-chuc/<int:link_id>/", account_views.organization_detail, name="organization_detail"),
    path("tai-khoan/to-chuc/<int:link_id>/rut/", account_views.organization_withdraw, name="organization_withdraw"),
]

# Citizens and businesses: sign-in with VNeID through OpenID Connect (citizen_views.py, oidc.py).
urlpatterns += [
    path("dang-nhap/", citizen_views.sign_in, name="sign_in"),
    path("dang-nhap/vneid/", citizen_views.vneid_start, name="vneid_start"),
    path("dang-nhap/vneid/callback/", citizen_views.vneid_callback, name="vneid_callback"),
    path("dang-xuat/", citizen_views.sign_out, name="sign_out"),
    path("da-dang-xuat/", citizen_views.signed_out, name="signed_out"),
]
