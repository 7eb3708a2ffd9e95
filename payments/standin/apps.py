from django.apps import AppConfig


class StandinConfig(AppConfig):
    """A local payment gateway for development and tests, speaking VNPay 2.1.0 and the national
    portal's payment platform protocol. Production settings refuse it."""

    name = "payments.standin"
    label = "paystandin"
    verbose_name = "Cổng thanh toán thử nghiệm"
    default_auto_field = "django.db.models.BigAutoField"
