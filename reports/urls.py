from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("can-bo/bao-cao/", views.dashboard_page, name="dashboard"),
    path("can-bo/bao-cao/xlsx/", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("can-bo/bao-cao/ho-so/xlsx/", views.dossiers_xlsx, name="dossiers_xlsx"),
    path("can-bo/bao-cao/lap-bao-cao/", views.report_write, name="report_write"),
    path("so-lieu/", views.public_figures, name="public_figures"),
]
