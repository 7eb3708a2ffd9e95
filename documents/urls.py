from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    # A dossier's file, streamed after the permission check (no public address).
    path("tep/<int:pk>/", views.dossier_file, name="dossier_file"),
    # Số hóa hồ sơ at the counter: the dossier's documents scanned into their slots with metadata.
    path("can-bo/ho-so/<int:pk>/so-hoa/", views.digitize, name="digitize"),
    # Kho dữ liệu: the citizen's own stored documents.
    path("kho-du-lieu/", views.store, name="store"),
    path("kho-du-lieu/<int:pk>/tep/", views.store_item_file, name="store_item_file"),
    path("kho-du-lieu/<int:pk>/xoa/", views.store_item_remove, name="store_item_remove"),
]
