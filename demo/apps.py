from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Dữ liệu mẫu: what `make run` and the benchmarks fill the database with, above the domain
    apps (a domain app never imports it)."""

    name = "demo"
    verbose_name = "Dữ liệu mẫu"
