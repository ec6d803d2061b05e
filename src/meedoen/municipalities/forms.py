"""Choice fields over a municipality's vocabulary (target groups, interest words): each choice shows the
name in the language of the page (see municipalities.labels)."""

from typing import Any

from django import forms


class VocabularyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class VocabularyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)
