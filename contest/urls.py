from django.urls import path

from . import initiative_views, views

app_name = "contest"

urlpatterns = [
    path("cuoc-thi/", views.contest_list, name="list"),
    path("cuoc-thi/<slug:slug>/", views.contest_detail, name="detail"),
    path("cuoc-thi/<slug:slug>/dang-ky/", views.register, name="register"),
    path("cuoc-thi/<slug:slug>/so-lieu/", views.participation, name="participation"),
    path("cuoc-thi/<slug:slug>/xac-nhan-so-dien-thoai/", views.confirm, name="confirm"),
    path("cuoc-thi/<slug:slug>/vong-<int:number>/bat-dau/", views.round_start, name="start"),
    path("cuoc-thi/<slug:slug>/vong-<int:number>/xep-hang/", views.leaderboard, name="leaderboard"),
    # Initiative contests (sáng kiến, giải pháp): staff submit, the panel scores blind, results.
    path("cuoc-thi/<slug:slug>/gui-sang-kien/", initiative_views.initiative_submit, name="initiative_submit"),
    path("cuoc-thi/<slug:slug>/cham-diem/", initiative_views.judging_list, name="judging"),
    path("cuoc-thi/<slug:slug>/cham-diem/<str:code>/", initiative_views.judging_score, name="judging_score"),
    path("cuoc-thi/<slug:slug>/ket-qua/", initiative_views.results, name="initiative_results"),
    path("cuoc-thi/<slug:slug>/sang-kien/<str:code>/", initiative_views.winner, name="initiative_winner"),
    path(
        "cuoc-thi/<slug:slug>/sang-kien/<str:code>/tep/<int:attachment_id>/",
        initiative_views.attachment,
        name="initiative_attachment",
    ),
    # An attempt is named by its public id (a UUID, never the sequential id); a malformed or
    # another person's id answers the contest's own "not found" page.
    path("bai-thi/<str:public_id>/", views.attempt, name="attempt"),
    path("bai-thi/<str:public_id>/tra-loi/", views.answer, name="answer"),
    path("bai-thi/<str:public_id>/du-doan/", views.prediction, name="prediction"),
    path("bai-thi/<str:public_id>/nop-bai/", views.submit, name="submit"),
    path("bai-thi/<str:public_id>/ket-qua/", views.result, name="result"),
    path("bai-thi/<str:public_id>/giay-chung-nhan.pdf", views.certificate, name="certificate"),
]
