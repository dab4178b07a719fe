from django import forms
from django.contrib.admin.widgets import AutocompleteMixin, get_select2_language
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from taggit.models import Tag

from . import images
from .models import Photo, Source

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class TagAutocompleteWidget(forms.SelectMultiple):
    """The admin's own Select2, suggesting existing tags and accepting new ones as typed."""

    media = AutocompleteMixin.media

    def __init__(self, url, attrs=None):
        self.url = url
        self.i18n_name = get_select2_language()
        super().__init__(attrs)

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.setdefault("class", "")
        attrs.update(
            {
                "class": f"{attrs['class']} admin-autocomplete".strip(),
                "data-ajax--url": str(self.url),
                "data-ajax--cache": "true",
                "data-ajax--delay": 250,
                "data-ajax--type": "GET",
                "data-tags": "true",
                "data-token-separators": '[","]',
                "data-theme": "admin-autocomplete",
                "data-allow-clear": "false",
                "data-placeholder": "Type to find or add tags",
                "lang": "en",
            }
        )
        return attrs

    def format_value(self, value):
        return [str(tag) for tag in value or []]

    def optgroups(self, name, value, attrs=None):
        # Only the chosen tags are rendered; suggestions come from the tag search view.
        return [
            (None, [self.create_option(name, tag, tag, True, index)], index)
            for index, tag in enumerate(value)
        ]


class TagNamesField(forms.Field):
    """A list of tag names: existing ones picked from suggestions, new ones typed."""

    default_validators = [ProhibitNullCharactersValidator()]

    def to_python(self, value):
        names, seen = [], set()
        for raw in value or []:
            name = " ".join(str(raw).split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        too_long = [name for name in value if len(name) > TAG_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                "Tags are at most %(max)d characters: %(names)s.",
                params={"max": TAG_MAX_LENGTH, "names": ", ".join(too_long)},
            )

    def run_validators(self, value):
        for name in value:
            super().run_validators(name)


class ArticleAdminForm(forms.ModelForm):
    """The admin builds the rest of the form from its fieldsets."""

    tags = TagNamesField(
        required=False,
        widget=TagAutocompleteWidget(url=reverse_lazy("admin:articles_article_tag_suggestions")),
        help_text="Pick existing tags or type new ones.",
    )


class PhotoFileField(forms.FileField):
    """An upload that Pillow decodes in full: a JPEG, PNG or WebP, within the size limits."""

    def to_python(self, data):
        file = super().to_python(data)
        if file is not None:
            images.check_upload(file)
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
        existing = (
            Photo.objects.filter(content_hash=images.content_hash(file))
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing:
            raise duplicate_error(existing)
        return file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The chosen files as a list; each is checked on its own by whoever saves them."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data or []) if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


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
