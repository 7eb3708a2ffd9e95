"""What the stand-in portal remembers: the tokens it issued, the sync requests it took, and
whether it is pretending to be down."""

from __future__ import annotations

from django.db import models


class IssuedToken(models.Model):
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "mã truy cập đã cấp"
        verbose_name_plural = "mã truy cập đã cấp"

    def __str__(self) -> str:
        return f"token until {self.expires_at:%Y-%m-%d %H:%M}"


class ReceivedSync(models.Model):
    """One dossier record as the portal received it (a request may carry several)."""

    received_at = models.DateTimeField(auto_now_add=True)
    code = models.CharField(max_length=80, db_index=True)  # MaHoSo
    status = models.CharField(max_length=4)  # TrangThaiHoSo
    updating = models.BooleanField()
    record = models.JSONField()

    class Meta:
        verbose_name = "bản ghi đồng bộ đã nhận"
        verbose_name_plural = "bản ghi đồng bộ đã nhận"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code} → {self.status}"


class Switch(models.Model):
    """A single row: ``down`` makes the stand-in answer 503 to everything."""

    down = models.BooleanField(default=False)

    class Meta:
        verbose_name = "công tắc ngừng hoạt động"
        verbose_name_plural = "công tắc ngừng hoạt động"

    def __str__(self) -> str:
        return "down" if self.down else "up"


def set_down(down: bool) -> None:
    Switch.objects.update_or_create(pk=1, defaults={"down": down})


def is_down() -> bool:
    return Switch.objects.filter(pk=1, down=True).exists()
