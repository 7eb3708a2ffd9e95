from django.apps import AppConfig


class IdpConfig(AppConfig):
    name = "idp"
    verbose_name = "Nhà cung cấp định danh thử nghiệm (VNeID giả lập)"
