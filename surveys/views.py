"""Rating pages. Citizens: "Đánh giá của tôi" (returned dossiers and answered feedback awaiting a
rating), the rating of one dossier, and the rating of an answer by the signed link of its
notification (with the offer to reopen an item when unhappy). The counter: the officers' console
that pairs a tablet and invites a rating of a returned dossier, and the tablet's page (no sign-in,
locked to the invited dossier). Officers never see who rated what: only the figures (``figures``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.officer_services import is_officer, is_verified_officer
from dossiers.models import Dossier
from dossiers.rules import State as DossierState
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem
from feedback.services import feedback_reopen
from org.models import Agency
from org.permissions import agencies_of, owned_or_404

from . import links, rules, services
from .models import KioskDevice, Rating
from .rules import CRITERIA, Criterion

KIOSK_COOKIE = "motcua_kiosk"
SCORE_CHOICES = [(str(score), str(score)) for score in rules.SCORES]


def item_link_token(item: FeedbackItem) -> str:
    """The signed part of the rating link sent with an answer: it names the item, not the sender."""
    return links.token_of(item.pk, salt=links.ITEM_SALT)


def dossier_link_token(dossier: Dossier) -> str:
    """The signed part of the rating link sent with a returned dossier: it names the dossier only."""
    return links.token_of(dossier.pk, salt=links.DOSSIER_SALT)


def _item_from_token(token: str) -> FeedbackItem:
    pk = links.pk_of(token, salt=links.ITEM_SALT)
    item = FeedbackItem.objects.filter(pk=pk).first() if pk is not None else None
    if item is None:
        raise Http404
    return item


class RatingForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=gettext_lazy("Mức hài lòng chung"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    information = forms.TypedChoiceField(
        label=Criterion.INFORMATION.label, choices=SCORE_CHOICES, coerce=int, required=False, widget=forms.RadioSelect
    )
    procedure = forms.TypedChoiceField(
        label=Criterion.PROCEDURE.label, choices=SCORE_CHOICES, coerce=int, required=False, widget=forms.RadioSelect
    )
    attitude = forms.TypedChoiceField(
        label=Criterion.ATTITUDE.label, choices=SCORE_CHOICES, coerce=int, required=False, widget=forms.RadioSelect
    )
    timeliness = forms.TypedChoiceField(
        label=Criterion.TIMELINESS.label, choices=SCORE_CHOICES, coerce=int, required=False, widget=forms.RadioSelect
    )
    result = forms.TypedChoiceField(
        label=Criterion.RESULT.label, choices=SCORE_CHOICES, coerce=int, required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến khác (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def scores(self) -> services.Scores:
        data = self.cleaned_data
        return services.Scores(
            overall=data["overall"],
            criteria={key: data.get(key) if data.get(key) != "" else None for key in CRITERIA},
            comment=data.get("comment") or "",
        )

    def criteria_fields(self) -> list[Any]:
        return [self[key] for key in CRITERIA]


def _initial(rating: Rating | None) -> dict[str, Any]:
    if rating is None:
        return {}
    return {"overall": rating.overall, "comment": rating.comment, **{key: getattr(rating, key) for key in CRITERIA}}


def _rate_page(
    request: HttpRequest, *, title: str, subject_label: str, rating: Rating | None, save: Any, extra: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                saved = save(form.scores())
            except services.RatingError as refused:
                form.add_error(None, refused.message)
                for message in refused.errors.values():
                    form.add_error(None, message)
            else:
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                extra = {**extra, "saved": saved, "unhappy": rules.is_unhappy(saved.overall)}
                rating = saved
                form = RatingForm(initial=_initial(saved))
    else:
        form = RatingForm(initial=_initial(rating))
    if rating is not None and "unhappy" not in extra:
        extra = {**extra, "unhappy": rules.is_unhappy(rating.overall)}
    if rating is not None:
        extra = {**extra, "change_until": rating.created_at + datetime.timedelta(days=rules.EDIT_DAYS)}
    context = {"form": form, "title": title, "subject_label": subject_label, "rating": rating, **extra}
    return render(request, "surveys/rate.html", context)


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Đánh giá của tôi: what the citizen may rate (or change) now."""
    since = timezone.now() - datetime.timedelta(days=rules.INVITE_DAYS)
    returned = (
        Dossier.objects.filter(applicant_id=request.user.pk, state=DossierState.RETURNED, returned_at__gte=since)
        .select_related("procedure_version", "rating")
        .order_by("-returned_at")[:50]
    )
    items = (
        FeedbackItem.objects.filter(sender_user_id=request.user.pk, answered_at__gte=since)
        .select_related("rating")
        .order_by("-answered_at")[:50]
    )
    rows = [(item, item_link_token(item)) for item in items]
    return render(request, "surveys/mine.html", {"returned": returned, "items": rows})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rate_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """The rating of a returned dossier by its applicant, signed in ("Hồ sơ của tôi")."""
    dossier = owned_or_404(
        Dossier.objects.select_related("procedure_version"), request.user, owner_field="applicant", pk=pk
    )
    return _rate_dossier_page(request, dossier)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate_dossier_link(request: HttpRequest, token: str) -> HttpResponse:
    """The rating of a returned dossier by the signed link of the return's notice: the applicant
    of a dossier received at the counter may have no account."""
    pk = links.pk_of(token, salt=links.DOSSIER_SALT)
    dossier = Dossier.objects.select_related("procedure_version").filter(pk=pk).first() if pk is not None else None
    if dossier is None:
        raise Http404
    return _rate_dossier_page(request, dossier)


def _rate_dossier_page(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    if dossier.state != DossierState.RETURNED:
        raise Http404
    rating = Rating.objects.filter(dossier=dossier).first()

    def save(scores: services.Scores) -> Rating:
        rater = request.user if request.user.is_authenticated else None
        return services.rating_of_dossier(dossier=dossier, scores=scores, rater=rater)

    return _rate_page(
        request,
        title=_("Đánh giá việc giải quyết hồ sơ"),
        subject_label=f"{dossier.code} — {dossier.procedure_version.name}",
        rating=rating,
        save=save,
        extra={},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate_item(request: HttpRequest, token: str) -> HttpResponse:
    """The rating of an answer, by the link sent with it; an unhappy sender may reopen the item."""
    item = _item_from_token(token)
    rating = Rating.objects.filter(feedback_item=item).first()
    if request.method == "POST" and request.POST.get("mo-lai"):
        reason = request.POST.get("ly-do", "").strip()[:2000]
        try:
            feedback_reopen(
                actor=None,
                item=item,
                reason=reason or _("Người gửi chưa hài lòng với câu trả lời."),
                by_sender_link=True,
            )
        except FeedbackError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Phản ánh đã được mở lại; cơ quan sẽ trả lời lại."))
        return redirect("surveys:rate_item", token=token)

    def save(scores: services.Scores) -> Rating:
        rater = request.user if request.user.is_authenticated else None
        return services.rating_of_item(item=item, scores=scores, rater=rater)

    return _rate_page(
        request,
        title=_("Đánh giá việc trả lời phản ánh, kiến nghị"),
        subject_label=f"{item.code} — {item.subject}",
        rating=rating,
        save=save,
        extra={"item": item, "token": token, "reopenable": item.state in ("answered", "published")},
    )


# --- The counter's tablet --------------------------------------------------------------------------

_CONSOLE_CAPABILITY = "dossier.receive"


class PairForm(forms.Form):
    ten = forms.CharField(label=gettext_lazy("Tên máy (ví dụ: Quầy số 3)"), max_length=100)
    co_quan = forms.ModelChoiceField(label=gettext_lazy("Cơ quan"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = agencies_of(user, _CONSOLE_CAPABILITY).order_by("name")
        self.fields["co_quan"].queryset = mine  # type: ignore[attr-defined]
        if len(mine[:2]) == 1:
            self.fields["co_quan"].initial = mine[0]


class InviteForm(forms.Form):
    may = forms.ModelChoiceField(label=gettext_lazy("Máy tại quầy"), queryset=KioskDevice.objects.none())
    ma_ho_so = forms.CharField(label=gettext_lazy("Mã hồ sơ vừa trả kết quả"), max_length=80)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["may"].queryset = KioskDevice.objects.filter(  # type: ignore[attr-defined]
            agency__in=agencies_of(user, _CONSOLE_CAPABILITY)
        ).order_by("name")
        devices = list(self.fields["may"].queryset[:2])  # type: ignore[attr-defined]
        if len(devices) == 1:
            self.fields["may"].initial = devices[0]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_console(request: HttpRequest) -> HttpResponse:
    """Máy đánh giá tại quầy: pair this browser as a tablet, or invite a rating on a tablet."""
    user: Any = request.user
    if user.is_authenticated and not is_officer(user):
        raise Http404
    if not is_verified_officer(user):
        return redirect_to_login(request.get_full_path(), reverse("accounts:officer_sign_in"))
    if not agencies_of(user, _CONSOLE_CAPABILITY).exists():
        raise Http404
    pair, invite = PairForm(user=user), InviteForm(user=user)
    response = None
    if request.method == "POST" and request.POST.get("buoc") == "ghep":
        pair = PairForm(request.POST, user=user)
        if pair.is_valid():
            device = services.kiosk_pair(
                officer=user, agency=pair.cleaned_data["co_quan"], name=pair.cleaned_data["ten"]
            )
            messages.success(
                request, _("Đã ghép máy “%(name)s”. Mở trang đánh giá tại quầy trên máy này.") % {"name": device.name}
            )
            response = redirect("surveys:kiosk_console")
            response.set_signed_cookie(
                KIOSK_COOKIE,
                device.token,
                salt=KIOSK_COOKIE,
                max_age=3600 * 24 * 365,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    elif request.method == "POST":
        invite = InviteForm(request.POST, user=user)
        if invite.is_valid():
            device = invite.cleaned_data["may"]
            dossier = Dossier.objects.filter(
                code=invite.cleaned_data["ma_ho_so"].strip().upper(), processing_agency=device.agency
            ).first()
            try:
                if dossier is None:
                    raise services.RatingError(_("Không có hồ sơ với mã này trong cơ quan."))
                services.kiosk_invite(device=device, dossier=dossier)
            except services.RatingError as refused:
                invite.add_error("ma_ho_so", refused.message)
            else:
                messages.success(
                    request,
                    _("Máy “%(name)s” đang mời người dân đánh giá hồ sơ %(code)s.")
                    % {"name": device.name, "code": dossier.code},
                )
                return redirect("surveys:kiosk_console")
    devices = KioskDevice.objects.filter(agency__in=agencies_of(user, _CONSOLE_CAPABILITY)).select_related("agency")
    return render(request, "surveys/kiosk_console.html", {"pair": pair, "invite": invite, "devices": devices})


def _device(request: HttpRequest) -> KioskDevice | None:
    token = request.get_signed_cookie(KIOSK_COOKIE, default=None, salt=KIOSK_COOKIE)
    return (
        KioskDevice.objects.filter(token=token).select_related("current_dossier__procedure_version").first()
        if token
        else None
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """The tablet at the desk: no sign-in, big buttons, locked to the dossier just invited."""
    device = _device(request)
    if device is None:
        return render(request, "surveys/kiosk.html", {"unpaired": True}, status=403)
    thanks = False
    form = RatingForm()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.kiosk_rate(device=device, scores=form.scores())
            except services.RatingError as refused:
                form.add_error(None, refused.message)
            else:
                thanks = True
                form = RatingForm()
                device.refresh_from_db()
    dossier = services.kiosk_dossier(device)
    return render(request, "surveys/kiosk.html", {"device": device, "dossier": dossier, "form": form, "thanks": thanks})
