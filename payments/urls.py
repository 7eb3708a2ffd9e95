from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    # The citizen pays the fees of their dossier (fees explained, choice of gateway).
    path("ho-so/<int:pk>/thanh-toan/", views.pay, name="pay"),
    # Where the gateways send the citizen back (signed parameters, checked again).
    path("thanh-toan/vnpay/ket-qua/", views.vnpay_return, name="vnpay_return"),
    path("thanh-toan/dvcqg/ket-qua/", views.paygov_return, name="paygov_return"),
    # Biên lai of a paid payment, PDF.
    path("thanh-toan/<int:pk>/bien-lai/", views.receipt, name="receipt"),
    # Thu phí tại Bộ phận Một cửa.
    path("can-bo/ho-so/<int:pk>/thu-phi/", views.counter_payment, name="counter_payment"),
    # Đối soát sao kê của cổng thanh toán (counter officers and leaders, their agencies' payments).
    path("can-bo/thanh-toan/doi-soat/", views.reconcile, name="reconcile"),
]
