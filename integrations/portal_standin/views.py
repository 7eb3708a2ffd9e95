"""The stand-in's two endpoints, speaking the protocol of ``integrations.national_portal``:
a token for the province's account, then dossier sync requests with that token."""

from __future__ import annotations

import datetime
import json
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import IssuedToken, ReceivedSync, is_down

TOKEN_LIFETIME = datetime.timedelta(hours=1)
REQUIRED = ("MaHoSo", "MaTTHC", "TrangThaiHoSo", "NgayTiepNhan")


def _json(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body)
    except ValueError:
        return None


def _down() -> JsonResponse:
    return JsonResponse({"error_code": 503, "message": "Hệ thống đang bảo trì"}, status=503)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    if is_down():
        return _down()
    body = _json(request)
    if not isinstance(body, dict) or not (
        secrets.compare_digest(str(body.get("username", "")), settings.NATIONAL_PORTAL_USERNAME)
        and secrets.compare_digest(str(body.get("password", "")), settings.NATIONAL_PORTAL_PASSWORD)
    ):
        return JsonResponse({"error_code": 401, "message": "Sai tài khoản"}, status=401)
    issued = IssuedToken.objects.create(token=secrets.token_urlsafe(32), expires_at=timezone.now() + TOKEN_LIFETIME)
    return JsonResponse(
        {"access_token": issued.token, "token_type": "Bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}
    )


@csrf_exempt
@require_POST
def sync(request: HttpRequest) -> JsonResponse:
    if is_down():
        return _down()
    scheme, _space, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Bearer" or not IssuedToken.objects.filter(token=presented, expires_at__gt=timezone.now()).exists():
        return JsonResponse({"error_code": 401, "message": "Token không hợp lệ"}, status=401)
    body = _json(request)
    records = body.get("data") if isinstance(body, dict) and body.get("service") == "DongBoHoSoMC" else None
    if not isinstance(records, list) or not records:
        return JsonResponse({"error_code": 400, "message": "Thiếu dữ liệu"}, status=400)
    for record in records:
        if not isinstance(record, dict) or any(not record.get(key) for key in REQUIRED):
            return JsonResponse({"error_code": 400, "message": "Thiếu trường bắt buộc"}, status=400)
    with transaction.atomic():
        for record in records:
            ReceivedSync.objects.create(
                code=record["MaHoSo"],
                status=str(record["TrangThaiHoSo"]),
                updating=body.get("isUpdating") == "true",
                record=record,
            )
    return JsonResponse({"error_code": 0, "message": "Thành công"})
