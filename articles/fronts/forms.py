from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget

from ..models import Article, FrontSlot, FrontSuggestion

SLOT_FIELDS = ["headline", "photo", "crop", "pinned_until"]


class SlotForm(forms.ModelForm):
    """One slot's row on the arrange page; its prefix names the slot's article."""

    class Meta:
        model = FrontSlot
        fields = SLOT_FIELDS
        widgets = {
            "photo": ForeignKeyRawIdWidget(
                FrontSlot._meta.get_field("photo").remote_field, admin.site
            ),
            "pinned_until": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def changes(self):
        return {name: self.cleaned_data[name] for name in SLOT_FIELDS}


class FrontSuggestionForm(forms.ModelForm):
    class Meta:
        model = FrontSuggestion
        fields = ["front", "article", "note"]

    def clean_article(self):
        article = self.cleaned_data["article"]
        if not Article.objects.published().filter(pk=article.pk).exists():
            raise forms.ValidationError("Only published stories can be suggested for a front.")
        return article
