from django.urls import path

from . import citizen_views, officer_views, views

app_name = "dossiers"

urlpatterns = [
    # Tra cứu hồ sơ: public, by the dossier code and the check digits (sent by POST, never in a URL).
    path("tra-cuu-ho-so/", views.track, name="track"),
    # Official slips as PDF: officers of the dossier's agencies and the citizen who owns it.
    path("ho-so/<int:pk>/phieu/<slug:kind>/", views.slip, name="slip"),
    # Sổ theo dõi hồ sơ of a one-stop unit over a period: its officers.
    path("can-bo/so-theo-doi/", views.log_book, name="log_book"),
    # Officers: work queues with their dashboard, the counter's registration, the dossier page and
    # its actions (officer_views.py), within the officer's agencies.
    path("can-bo/ho-so/", officer_views.queues, name="officer_queues"),
    path("can-bo/ho-so/dang-ky/", officer_views.register, name="officer_register"),
    path("can-bo/ho-so/<int:pk>/", officer_views.dossier_detail, name="officer_dossier"),
    path("can-bo/ho-so/<int:pk>/thao-tac/<slug:action>/", officer_views.dossier_act, name="officer_act"),
    # Nộp hồ sơ trực tuyến and hồ sơ của tôi: the signed-in citizen's own (citizen_views.py).
    path("nop-ho-so/<str:code>/", citizen_views.intake, name="intake"),
    path("ho-so-cua-toi/", citizen_views.mine, name="mine"),
    path("ho-so-cua-toi/<int:pk>/", citizen_views.detail, name="detail"),
    path("ho-so-cua-toi/<int:pk>/soan-tiep/", citizen_views.draft_edit, name="draft_edit"),
    path("ho-so-cua-toi/<int:pk>/xoa-nhap/", citizen_views.draft_delete, name="draft_delete"),
    path("ho-so-cua-toi/<int:pk>/da-nop/", citizen_views.submitted, name="submitted"),
    path("ho-so-cua-toi/<int:pk>/bo-sung/", citizen_views.supplement, name="supplement"),
    path("ho-so-cua-toi/<int:pk>/rut/", citizen_views.withdraw, name="withdraw"),
]
