from django.urls import path

from . import views

app_name = "contest"

urlpatterns = [
    path("cuoc-thi/", views.contest_list, name="list"),
    path("cuoc-thi/<slug:slug>/", views.contest_detail, name="detail"),
    path("cuoc-thi/<slug:slug>/dang-ky/", views.register, name="register"),
    path("cuoc-thi/<slug:slug>/xac-nhan-so-dien-thoai/", views.confirm, name="confirm"),
    path("cuoc-thi/<slug:slug>/vong-<int:number>/bat-dau/", views.round_start, name="start"),
    path("cuoc-thi/<slug:slug>/vong-<int:number>/xep-hang/", views.leaderboard, name="leaderboard"),
    # An attempt is named by its public id (a UUID, never the sequential id); a malformed or
    # another person's id answers the contest's own "not found" page.
    path("bai-thi/<str:public_id>/", views.attempt, name="attempt"),
    path("bai-thi/<str:public_id>/tra-loi/", views.answer, name="answer"),
    path("bai-thi/<str:public_id>/du-doan/", views.prediction, name="prediction"),
    path("bai-thi/<str:public_id>/nop-bai/", views.submit, name="submit"),
    path("bai-thi/<str:public_id>/ket-qua/", views.result, name="result"),
]
