from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("thu-tuc/", views.procedure_list, name="list"),
    path("thu-tuc/goi-y/", views.suggestions, name="suggest"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
    path("linh-vuc/", views.fields, name="fields"),
    path("co-quan/", views.agencies, name="agencies"),
    path("su-kien/<slug:slug>/", views.life_event, name="life_event"),
]
