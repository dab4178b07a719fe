"""The lead-photo picker on the article form: browse the library by thumbnail, search it,
upload in place, and see the chosen photo before saving.

The field stays the admin's autocomplete select (it works without this script); the picker
opens a dialog whose contents come from two admin views, mounted by `PhotoAdmin.get_urls`,
each checking the person's photo permissions itself.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from . import renditions
from .forms import PhotoBatchForm
from .models import Photo, Rendition

PHOTOS_PER_PAGE = 24
# The upload form sits in the article page: its fields keep names of their own.
UPLOAD_PREFIX = "lead-photo-upload"


class LeadPhotoPicker(AutocompleteSelect):
    """The autocomplete select, with a button that opens the visual picker."""

    # Rendered with the project's templates, after the select the form renderer draws.
    picker_template = "admin/articles/photo/lead_photo_picker.html"

    def __init__(self, field, admin_site, *, may_upload, attrs=None, using=None):
        super().__init__(field, admin_site, attrs=attrs, using=using)
        self.may_upload = may_upload

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        picker = {
            "select_id": (attrs or {}).get("id") or self.attrs.get("id", ""),
            "url": reverse("admin:articles_photo_picker"),
            "upload_url": reverse("admin:articles_photo_picker_upload") if self.may_upload else "",
        }
        return select + render_to_string(self.picker_template, {"picker": picker})

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/lead_photo_picker.js"], css={"all": ["css/lead_photo_picker.css"]}
        )


def lead_photo_widget(db_field, admin_site, request, photo_admin):
    """The picker for someone who may browse the library; else the plain autocomplete."""
    if not photo_admin.has_view_permission(request):
        return AutocompleteSelect(db_field, admin_site)
    return LeadPhotoPicker(
        db_field, admin_site, may_upload=photo_admin.has_add_permission(request)
    )


def choices(photos):
    """Each photo with the renditions already made for its thumbnail and preview."""
    return [
        {
            "photo": photo,
            "thumbnail": renditions.smallest(
                photo, renditions.CARD.crop, renditions.THUMBNAIL_WIDTH
            ),
            "preview": renditions.smallest(photo, renditions.CARD.crop, renditions.PREVIEW_WIDTH),
        }
        for photo in photos
    ]


def library(photo_admin, request, query):
    """The photos the picker lists, newest first, searched as the photo list searches."""
    photos = Photo.objects.select_related("provider").prefetch_related(
        Prefetch(
            "renditions",
            queryset=Rendition.objects.filter(crop=renditions.CARD.crop),
        )
    )
    photos, _ = photo_admin.get_search_results(request, photos, query)
    return photos.order_by("-created_at", "-id")


@method_decorator(never_cache, name="dispatch")
class PickerView(View):
    """A fragment of the picker dialog; `PhotoAdmin.get_urls` passes its model admin."""

    model_admin = None
    template_name = None

    def fragment(self, status=200, **context):
        return TemplateResponse(
            self.request,
            f"admin/articles/photo/{self.template_name}",
            {"opts": self.model_admin.opts, **context},
            status=status,
        )


class PickerPhotos(PickerView):
    """One page of the library for the picker, searched by caption, credit and provider."""

    template_name = "picker_photos.html"

    def get(self, request):
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        query = request.GET.get("q", "").strip()
        photos = library(self.model_admin, request, query)
        # One photo by number: the preview of a photo chosen in the autocomplete select.
        chosen = request.GET.get("id")
        if chosen is not None:
            if not chosen.isdigit():
                return HttpResponseBadRequest("Give a photo number.", content_type="text/plain")
            photos = photos.filter(pk=chosen)
        paginator = Paginator(photos, PHOTOS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        return self.fragment(query=query, page=page, choices=choices(page.object_list))


class PickerUpload(PickerView):
    """The photo desk's batch upload, in the picker: the same form and the same checks."""

    template_name = "picker_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.model_admin.has_add_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.fragment(form=PhotoBatchForm(prefix=UPLOAD_PREFIX))

    def post(self, request):
        form = PhotoBatchForm(request.POST, request.FILES, prefix=UPLOAD_PREFIX)
        if not form.is_valid():
            return self.fragment(status=400, form=form)
        saved, refused = form.save(user=request.user)
        # The photos are read again with their renditions, made when the upload committed.
        uploaded = library(self.model_admin, request, "").filter(pk__in=[p.pk for p in saved])
        return self.fragment(
            status=200 if saved else 400,
            # Refused: the credit and provider typed stay for the next try.
            form=PhotoBatchForm(prefix=UPLOAD_PREFIX) if saved else form,
            uploaded=choices(uploaded),
            refused=refused,
        )
