"""Form fields for choosing an organisation."""

from django import forms

from .models import Layer, Organisation


class OrganisationChoiceField(forms.ModelChoiceField[Organisation]):
    """A list of organisations in which each one can be told apart.

    Municipalities, provinces and water boards are named after their area, and a province and a
    municipality can share that name (Groningen, Utrecht): their layer goes with the name. National
    organisations have names of their own and keep them as they are."""

    def label_from_instance(self, obj: Organisation) -> str:
        if obj.layer == Layer.RIJK:
            return obj.name
        return f"{obj.name} ({obj.get_layer_display().lower()})"
