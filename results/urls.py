from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    # Dự thảo kết quả: the processing officers of the dossier's agency.
    path("can-bo/ho-so/<int:pk>/ket-qua/", views.draft, name="draft"),
    # The signed result: the citizen who owns the dossier and the officers of its agencies. Without
    # a code: the dossier's latest result (what "my dossiers" links to).
    path("ho-so/<int:pk>/ket-qua/", views.download, name="download"),
    path("ho-so/<int:pk>/ket-qua/<str:code>/", views.download, name="download"),
    # Xác thực kết quả điện tử: public, rate-limited; ?ma=<code> is what the QR code opens.
    path("xac-thuc-ket-qua/", views.verify, name="verify"),
]
