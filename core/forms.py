"""Web forms shared by the schemes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import ModelMultipleChoiceField

from .models import Document, DocumentType

__all__ = ["ModelMultipleChoiceField"]  # the shared field lives with accounts, the lowest layer


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.ods,.png,.jpg,.jpeg"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(one, initial) for one in data]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Optional. PDF, ODT/DOCX, XLSX/ODS, PNG or JPEG; at most 5."),
    )
    internal = forms.BooleanField(
        label=_("Internal note: only the administration's staff will see it"), required=False
    )

    def __init__(self, *args, may_write_notes: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write_notes:
            del self.fields["internal"]


class ConflictDeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with these organisations?"),
        choices=[("no", _("No, I have none")), ("yes", _("Yes, I have one"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("What links you to them (if you have a conflict)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
