from django.urls import path

from . import views

app_name = "paystandin"

urlpatterns = [
    path("vnpay/", views.vnpay_pay, name="vnpay"),
    path("dvcqg/api", views.paygov_api, name="paygov_api"),
    path("dvcqg/<str:token>/", views.paygov_pay, name="paygov_pay"),
]
