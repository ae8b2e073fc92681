"""Web forms shared by the schemes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Document, DocumentType


class DocumentForm(forms.Form):
    """A typed document for a file, or (with `replaces`) a new version of one of its documents."""

    document_type = forms.ChoiceField(label=_("Type of document"), choices=DocumentType.choices)
    content = forms.FileField(
        label=_("File"),
        help_text=_("PDF, ODT/DOCX, XLSX/ODS, PNG or JPEG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.ods,.png,.jpg,.jpeg"}),
    )
    replaces = forms.ModelChoiceField(
        queryset=Document.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = Document.objects.for_file(file)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("replaces") is not None:
            # A new version keeps the type of the document it replaces.
            cleaned["document_type"] = cleaned["replaces"].document_type
        return cleaned
