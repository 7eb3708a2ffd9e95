"""What the stand-in gateway remembers of the transactions merchants sent it."""

from __future__ import annotations

from django.db import models


class GatewayTransaction(models.Model):
    protocol = models.CharField(max_length=10)  # vnpay, paygov
    token = models.CharField(max_length=40, unique=True)
    reference = models.CharField(max_length=40)
    amount_vnd = models.PositiveBigIntegerField()
    description = models.CharField(max_length=255, blank=True)
    return_url = models.URLField(max_length=1000)
    status = models.CharField(max_length=10, default="pending")  # pending, paid, failed, cancelled
    number = models.CharField(max_length=20, blank=True)
    answers = models.JSONField(default=list, blank=True)  # what the merchant answered to each callback
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "giao dịch tại cổng thanh toán thử"
        verbose_name_plural = "giao dịch tại cổng thanh toán thử"
        constraints = [models.UniqueConstraint(fields=["protocol", "reference"], name="standin_one_per_reference")]
