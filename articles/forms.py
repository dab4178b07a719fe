from django import forms
from django.contrib.admin.widgets import AutocompleteMixin, get_select2_language
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import reverse_lazy
from taggit.models import Tag

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

    def clean(self):
        cleaned = super().clean()
        # Until the workflow's publish buttons replace the status field, publishing here
        # honours the same rules (an agency embargo, for one).
        if cleaned.get("status") == self.instance.Status.PUBLISHED:
            article = self.instance
            article.embargo_until = cleaned.get("embargo_until", article.embargo_until)
            for problem in article.publication_problems(at=cleaned.get("publish_at")):
                self.add_error(None, problem)
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        widget=MultipleFileInput(attrs={"accept": ".json,.xml,application/json,text/xml"}),
        help_text="IPTC NINJS (.json) or NewsML-G2 (.xml) files; pick several at once.",
    )
