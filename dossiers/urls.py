from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    # Tra cứu hồ sơ: public, by the dossier code and the check digits (sent by POST, never in a URL).
    path("tra-cuu-ho-so/", views.track, name="track"),
    # Official slips as PDF: officers of the dossier's agencies and the citizen who owns it.
    path("ho-so/<int:pk>/phieu/<slug:kind>/", views.slip, name="slip"),
    # Sổ theo dõi hồ sơ of a one-stop unit over a period: its officers.
    path("can-bo/so-theo-doi/", views.log_book, name="log_book"),
]
