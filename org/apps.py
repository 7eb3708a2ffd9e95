from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "Tổ chức, đơn vị hành chính"

    def ready(self) -> None:
        from .models import Membership
        from .permissions import memberships_changed

        # A user object read before a membership changed reads its memberships again.
        post_save.connect(memberships_changed, sender=Membership, dispatch_uid="org.memberships_changed.save")
        post_delete.connect(memberships_changed, sender=Membership, dispatch_uid="org.memberships_changed.delete")
