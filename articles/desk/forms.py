import re

from django import forms
from django.contrib.admin.widgets import AutocompleteMixin, get_select2_language
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst
from taggit.models import Tag

from ..formats import display_name
from ..models import Source
from . import workflow
from .revisions import revision_fields
from .workflow import OVERRIDE_HINT

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
    """The admin builds the rest of the form from its fieldsets.

    The admin sets `user` and `action` (the workflow button pressed) on a subclass per
    request, so the form can refuse, with everything typed kept, what the workflow would.
    """

    user = None
    action = "save"
    restored = None  # an autosave's data the person chose to bring back into the form

    tags = TagNamesField(
        required=False,
        widget=TagAutocompleteWidget(url=reverse_lazy("admin:articles_article_tag_suggestions")),
        help_text="Pick existing tags or type new ones.",
    )
    workflow_note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the article's history. Required when returning it to its author.",
    )
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    override_credentials = forms.BooleanField(
        label="Publish despite content credentials",
        required=False,
        help_text="Only when the content credentials rule holds the lead photo back (invalid "
        "signature, or AI generated) and you have decided to publish it anyway. Recorded "
        "with your name in the article's history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        self.was_live = article.pk is not None and article.is_live
        self.latest_revision = (
            article.revisions.order_by("-created_at", "-id").first() if article.pk else None
        )
        self.fields["base_revision"].initial = self.latest_revision and self.latest_revision.pk
        for field in self.fields.values():
            if isinstance(field.widget, forms.SplitDateTimeWidget):
                # The admin prints "Date:" and "Time:" as text: name each box for screen readers.
                date, time = field.widget.widgets
                date.attrs["aria-label"] = f"{capfirst(field.label)}: date"
                time.attrs["aria-label"] = f"{capfirst(field.label)}: time"
        if self.user is not None and not workflow.is_editor(self.user):
            # Returning is an editor's step: a writer's note travels with their submission.
            self.fields[
                "workflow_note"
            ].help_text = "Kept in the article's history; editors see it with your submission."
        pending = article.pending_revision if self.was_live else None
        if pending:
            # A live article's form shows its pending changes, not what readers see.
            fields = revision_fields(pending.data)
            fields.pop("sources")  # the sources inline shows those
            fields.pop("publish_at")  # a live article keeps its publication time
            self.initial.update(fields)
        if self.restored is not None and not self.is_bound:
            # Shown, not saved: the person saves it or leaves it. Its base revision comes
            # back too, so saving over someone's later save is refused as usual.
            self.initial.update(autosaved_values(self, self.restored))

    def clean(self):
        cleaned = super().clean()
        # Read again under a row lock the admin's transaction holds until the save is done.
        if self.instance.pk:
            self.latest_revision = workflow.lock_for_edit(self.instance)
        latest = self.latest_revision
        if latest and cleaned.get("base_revision") != latest.pk:
            author = latest.created_by
            who = display_name(author) if author else "Someone"
            when = timezone.localtime(latest.created_at)
            # A second, deliberate save after reading this goes through.
            self.data = self.data.copy()
            self.data["base_revision"] = latest.pk
            raise forms.ValidationError(
                "%(who)s changed this article at %(when)s, after you opened it. Your text is "
                "kept below and was not saved: compare it with theirs in the history, then "
                "save again to replace their version with yours.",
                code="edit_conflict",
                params={
                    "who": who,
                    "when": f"{when:%H:%M:%S on %d %b %Y}",
                },
            )
        if self.action == "return" and not (cleaned.get("workflow_note") or "").strip():
            self.add_error(
                "workflow_note", "Say what the author should change: a note is required."
            )
        # Without the field (journalists), the workflow refuses scheduling as it does publishing.
        if self.action == "schedule" and "publish_at" in self.fields:
            publish_at = cleaned.get("publish_at")
            if not publish_at or publish_at <= timezone.now():
                self.add_error("publish_at", "To schedule, set a publish time in the future.")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.action in {"publish", "schedule"} and not self.errors:
            at = self.cleaned_data.get("publish_at") if self.action == "schedule" else None
            for problem in self.instance.publication_problems(at=at):
                self.add_error(None, problem)
            held_back = self.instance.credentials_problems()
            if held_back and not self.cleaned_data.get("override_credentials"):
                for problem in [*held_back, OVERRIDE_HINT]:
                    self.add_error(None, problem)


def in_journalists_order(rows, position):
    """The sources inline's `rows` (as listed) in the journalist's order: numbered first, by
    `position(row)`, then the rest as listed."""
    return sorted(rows, key=lambda row: position(row) or float("inf"))


def ordered_source_rows(formset):
    """The sources inline's kept rows in the journalist's order."""
    rows = [
        form
        for form in formset.forms
        if form.cleaned_data
        and form.cleaned_data.get("source")
        and not (formset.can_delete and formset._should_delete_form(form))
    ]
    return in_journalists_order(rows, lambda form: form.cleaned_data.get("position"))


# The sources inline's rows in the form's data (the formset's prefix: the relation's name).
# An autosave keeps them under the same name, as the source ids in the journalist's order.
SOURCES = "source_links"
SOURCE_ROW = re.compile(rf"^{SOURCES}-(\d+)-source$")


def posted_sources(data):
    """The source ids in the sources inline's posted rows (`data`: field name → values),
    in the journalist's order, as saving reads them. Rows marked for deletion and anything
    but an id are left out."""

    def first(key):
        values = data.get(key) or [""]
        return values[0]

    rows = []
    for key in data:
        match = SOURCE_ROW.match(key)
        if not match:
            continue
        row = f"{SOURCES}-{match[1]}"
        source, position = first(key), first(f"{row}-position")
        if source.isdigit() and not first(f"{row}-DELETE"):
            position = int(position) if position.isdigit() else None
            rows.append((int(match[1]), int(source), position))
    listed = sorted(rows)
    return [source for _, source, _ in in_journalists_order(listed, lambda row: row[2])]


def autosaved_sources(data):
    """The source ids an autosave kept, in order; None for one kept without them."""
    if SOURCES not in data:
        return None
    return [int(pk) for pk in data[SOURCES] if str(pk).isdigit()]


def sources_change(now, autosaved):
    """The offer's row for the sources, as `autosave_changes` gives rows: none when the
    autosave kept no sources or the same ones in the same order."""
    if autosaved is None or autosaved == now:
        return []
    names = dict(Source.objects.filter(pk__in={*now, *autosaved}).values_list("pk", "name"))
    listed = [[names[pk] for pk in ids if pk in names] for ids in (now, autosaved)]
    return [("Sources", *(shown(names_) for names_ in listed))]


def autosaved_fields(form, data):
    """An autosave's form data (field name → values, as posted), field by field of `form`.

    Yields (name, field, raw, value): the value as the field reads it, or as typed when the
    field refuses it and it is text, so nothing typed is lost.
    """
    posted = QueryDict(mutable=True)
    for key, values in data.items():
        posted.setlist(key, values)
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if field.widget.value_omitted_from_data(posted, {}, key):
            continue
        raw = field.widget.value_from_datadict(posted, {}, key)
        try:
            yield name, field, raw, field.clean(raw)
        except forms.ValidationError:
            if isinstance(raw, str):
                yield name, field, raw, raw


def autosaved_values(form, data):
    return {name: value for name, _, _, value in autosaved_fields(form, data)}


# Fields that hold HTML: compared by their text. Every other field is shown as typed.
HTML_FIELDS = {"body"}


def shown(value, html=False):
    """A field's value as plain text, for the list of what an autosave changes."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        text = strip_tags(value) if html else value
        return Truncator(" ".join(text.split())).chars(300) or "—"
    if hasattr(value, "__iter__"):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


def autosave_changes(form, data):
    """What an autosave would change in the form as it opened: (label, now, autosaved) rows."""
    rows = []
    for name, field, raw, value in autosaved_fields(form, data):
        if field.widget.is_hidden:
            continue
        initial = form.get_initial_for_field(field, name)
        if field.has_changed(initial, raw):
            label = field.label or name.replace("_", " ").capitalize()
            html = name in HTML_FIELDS
            rows.append((label, shown(initial, html), shown(value, html)))
    return rows


def autosave_is_behind(form, data):
    """Whether someone saved the article after the autosave's form was opened."""
    based_on = autosaved_values(form, data).get("base_revision")
    return form.latest_revision is not None and based_on != form.latest_revision.pk
