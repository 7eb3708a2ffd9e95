from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    # Public: the form, its receipt, tracking (code and check digits by POST), published answers.
    path("phan-anh/gui/", views.send, name="send"),
    path("phan-anh/da-gui/", views.sent, name="sent"),
    path("phan-anh/tra-cuu/", views.track, name="track"),
    path("hoi-dap/", views.answers, name="answers"),
    path("hoi-dap/<str:code>/", views.answer, name="answer"),
    # The panel "Câu hỏi thường gặp" of a procedure's page (catalog.panels).
    path("hoi-dap/thu-tuc/<str:code>/", views.procedure_faq, name="procedure_faq"),
    # Officers handling feedback in their agencies.
    path("can-bo/phan-anh/", views.queue, name="officer_queue"),
    path("can-bo/phan-anh/tiep-nhan/", views.intake, name="officer_intake"),
    path("can-bo/phan-anh/tra-ho-so/", views.dossier_lookup, name="officer_dossier_lookup"),
    path("can-bo/phan-anh/<int:pk>/", views.item_detail, name="officer_item"),
    path("can-bo/phan-anh/<int:pk>/thao-tac/<slug:action>/", views.item_act, name="officer_act"),
]
