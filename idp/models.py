"""What the local identity provider keeps: its signing key, the one-time authorization codes it
hands out and the access tokens it issues. Codes and tokens are stored as SHA-256 digests, never
in clear, so a copy of the table grants nothing."""

from __future__ import annotations

from django.db import models


class SigningKey(models.Model):
    """The RSA key that signs ID tokens, generated on first use (one row, ``slot`` "current")."""

    slot = models.CharField(max_length=20, unique=True, default="current")
    kid = models.CharField(max_length=100, unique=True)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khóa ký"
        verbose_name_plural = "khóa ký"

    def __str__(self) -> str:
        return f"{self.slot}: {self.kid}"


class AuthorizationCode(models.Model):
    """A one-time code, bound to the client, redirect URI, nonce, PKCE challenge and the chosen
    test citizen and assurance level."""

    code_digest = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.URLField(max_length=500)
    scope = models.CharField(max_length=300)
    nonce = models.CharField(max_length=255, blank=True)
    code_challenge = models.CharField(max_length=128)
    subject = models.CharField(max_length=100)
    acr = models.CharField(max_length=10)
    auth_time = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã cấp quyền"
        verbose_name_plural = "mã cấp quyền"

    def __str__(self) -> str:
        return f"code for {self.client_id} (expires {self.expires_at:%H:%M:%S})"


class AccessToken(models.Model):
    """A bearer token for the userinfo endpoint. Deleted with its code when the code is replayed."""

    token_digest = models.CharField(max_length=64, unique=True)
    code = models.ForeignKey(AuthorizationCode, on_delete=models.CASCADE, related_name="access_tokens")
    client_id = models.CharField(max_length=200)
    subject = models.CharField(max_length=100)
    scope = models.CharField(max_length=300)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = "mã truy cập"
        verbose_name_plural = "mã truy cập"

    def __str__(self) -> str:
        return f"token for {self.client_id} (expires {self.expires_at:%H:%M:%S})"
