from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html

from ..fields import MultipleFileField, MultipleFileInput
from ..models import Source
from .changes import IMAGE_NEEDS_AN_EDITOR, may_change_at_once
from .models import Photo
from .uploads import check_upload, photo_from_upload


class PhotoFileField(forms.FileField):
    """An upload that Pillow decodes in full: a JPEG, PNG or WebP, within the size limits."""

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            check_upload(file)
        return file


def duplicate_error(existing):
    return forms.ValidationError(
        format_html(
            "This exact file is already in the library: "
            '<a href="{}">use the existing photo “{}”</a> instead of a copy.',
            reverse("admin:articles_photo_change", args=[existing.pk]),
            existing,
        ),
        code="duplicate",
    )


class PhotoAdminForm(forms.ModelForm):
    """The admin sets `user` on a subclass per request: a new file is refused, with the rest
    kept, when that person may not replace this photo's image."""

    user = None

    image = PhotoFileField(
        label="image",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=Photo._meta.get_field("image").help_text,
    )

    class Meta:
        model = Photo
        fields = [
            "image",
            "credit",
            "caption",
            "alt_text",
            "provider",
            "creator",
            "copyright_notice",
            "focal_x",
            "focal_y",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["data-metadata-url"] = reverse(
            "admin:articles_photo_read_metadata"
        )
        for name in ("focal_x", "focal_y"):
            self.fields[name].required = False  # left empty: the centre
        if self.instance.pk:
            # Keep the original unless a new file is chosen; it has no URL to show.
            self.fields["image"].required = False

    def clean_focal_x(self):
        return self.centre_if_empty("focal_x")

    def clean_focal_y(self):
        return self.centre_if_empty("focal_y")

    def centre_if_empty(self, name):
        value = self.cleaned_data.get(name)
        return Photo._meta.get_field(name).default if value is None else value

    def clean_image(self):
        file = self.cleaned_data.get("image")
        if not isinstance(file, UploadedFile):
            return file or self.instance.image
        if not may_change_at_once(self.user, self.instance):
            raise forms.ValidationError(IMAGE_NEEDS_AN_EDITOR, code="needs_an_editor")
        existing = Photo.objects.with_same_file(file).exclude(pk=self.instance.pk).first()
        if existing:
            raise duplicate_error(existing)
        return file


class PhotoBatchForm(forms.Form):
    """Several photos at once; credit and provider apply where a file's metadata has none."""

    files = MultipleFileField(
        label="photos",
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG or WebP. Each file is checked on its own.",
    )
    credit = forms.CharField(
        label="credit",
        max_length=1000,
        required=False,
        help_text="For files whose metadata carries no credit line.",
    )
    provider = forms.ModelChoiceField(
        label="provider",
        queryset=Source.objects.all(),
        required=False,
        help_text="For files whose metadata names no source we know.",
    )

    def save(self, *, user):
        """Each file saved as a photo or refused on its own: (saved photos, refused files'
        names with the reasons)."""
        saved, refused = [], []
        for file in self.cleaned_data["files"]:
            try:
                saved.append(
                    photo_from_upload(
                        file,
                        user=user,
                        credit=self.cleaned_data["credit"],
                        provider=self.cleaned_data["provider"],
                    )
                )
            except ValidationError as error:
                refused.append((file.name, " ".join(error.messages)))
        return saved, refused
