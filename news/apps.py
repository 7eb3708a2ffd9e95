from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Truyền thông cải cách hành chính"

    def ready(self) -> None:
        from .setup import on_post_migrate

        # After every app's post_migrate (the last one's): the permissions of Wagtail's apps, which
        # come after ours, exist by then (after a test's flush too).
        post_migrate.connect(on_post_migrate, dispatch_uid="news.setup")
