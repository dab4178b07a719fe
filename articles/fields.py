"""Form fields the desks share."""

from django import forms
from django.db import models

# For every admin's formfield_overrides: a web address typed without a scheme is https, as
# Django 6 will assume. Django 5.2 assumes http, and warns on each URL form field that does
# not say which.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The chosen files as a list; each is checked on its own by whoever saves them."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data or []) if file]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]
