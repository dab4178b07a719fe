from django import forms

from ..fields import MultipleFileField, MultipleFileInput


class WireUploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        widget=MultipleFileInput(attrs={"accept": ".json,.xml,application/json,text/xml"}),
        help_text="IPTC NINJS (.json) or NewsML-G2 (.xml) files; pick several at once.",
    )
