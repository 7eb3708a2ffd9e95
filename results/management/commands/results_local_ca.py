"""Create the local development CA (var/pki/) and a signing certificate for every active agency,
and print where the root certificate is (to trust it in a PDF reader while developing).
Signing creates what is missing by itself; this command does it ahead, in one go."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from org.models import Agency
from results import pki


class Command(BaseCommand):
    help = "Tạo CA thử nghiệm (var/pki/) và chứng thư ký số cho các cơ quan; chỉ dùng khi phát triển, kiểm thử."

    def handle(self, *args: Any, **options: Any) -> None:
        if not pki.local_ca_allowed():
            raise CommandError("MOTCUA_RESULTS_SIGNING is not 'local': the development CA is not used here.")
        root = pki.ensure_local_ca()
        agencies = Agency.objects.filter(is_active=True).order_by("code")
        for agency in agencies:
            pki.ensure_local_ca(pki.AgencyIdentity(code=agency.code, name=agency.name))
        self.stdout.write(f"root certificate: {root}")
        self.stdout.write(f"agencies with a signing certificate: {agencies.count()}")
