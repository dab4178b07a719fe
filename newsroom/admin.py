"""The desk's admin site: Django's, plus a one-time code from an authenticator app (TOTP).

With NEWSROOM_REQUIRE_2FA on, editors and superusers reach the desk only after entering a
code; the first time, they link an authenticator app. Journalists sign in with a password.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.desk.home import desk_lists
from articles.desk.workflow import is_editor

APP_NAME = "Authenticator app"


def needs_second_factor(user):
    """Whether this staff member must enter a one-time code before reaching the desk."""
    return settings.NEWSROOM_REQUIRE_2FA and (user.is_superuser or is_editor(user))


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        # verify_token counts failures and makes repeated guesses wait (django-otp).
        if not self.device.verify_token(token):
            raise forms.ValidationError("That code is not right, or it has expired. Try again.")
        return token


class NewsroomAdminSite(admin.AdminSite):
    site_header = f"{settings.NEWSROOM_NAME} newsroom"
    site_title = f"{settings.NEWSROOM_NAME} newsroom"
    index_title = "Desk"

    def index(self, request, extra_context=None):
        """The desk: the person's work first, the list of everything below it."""
        highlight = request.GET.get("highlight", "")
        context = {
            "desk_lists": (
                desk_lists(request.user) if request.user.has_perm("articles.view_article") else []
            ),
            "is_editor": is_editor(request.user),
            "highlight": int(highlight) if highlight.isdecimal() else None,
            "time_zone": settings.TIME_ZONE,
            **(extra_context or {}),
        }
        return super().index(request, context)

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not needs_second_factor(request.user)

    def get_urls(self):
        return [path("two-factor/", self.two_factor, name="two-factor"), *super().get_urls()]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        # Signed in with the password, still owing a code: go and enter it.
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff:
            if not self.has_permission(request) and needs_second_factor(user):
                return redirect(self.two_factor_url(request))
        return super().login(request, extra_context)

    def two_factor_url(self, request):
        url = reverse("admin:two-factor", current_app=self.name)
        next_url = request.GET.get("next")
        return f"{url}?next={next_url}" if self.safe_next(request, next_url) else url

    def safe_next(self, request, url):
        return bool(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor(self, request):
        """Enter a code; the first time, link an authenticator app by scanning a QR code."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect(reverse("admin:login", current_app=self.name))
        if not needs_second_factor(user):
            return redirect(reverse("admin:index", current_app=self.name))
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        linking = device is None
        if linking:
            # One pending link per person; its secret stays the same until it is confirmed.
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=False, defaults={"name": APP_NAME}
            )
        form = TokenForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            if linking:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            next_url = request.POST.get("next")
            if self.safe_next(request, next_url):
                return redirect(next_url)
            return redirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Link an authenticator app" if linking else "Enter your code",
            "form": form,
            "linking": linking,
            "next": request.GET.get("next") or request.POST.get("next", ""),
        }
        if linking:
            context["qr_code"] = segno.make(device.config_url).svg_inline(
                scale=4, title="QR code for your authenticator app"
            )
            context["secret"] = b32encode(device.bin_key).decode()
        return TemplateResponse(request, "admin/two_factor.html", context)
