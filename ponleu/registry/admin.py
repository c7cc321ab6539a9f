"""Configuration staff keep in the admin: the wording of the Child Functioning Module.

The module's questions need UNICEF's permission and the official Khmer translation, so Ponleu
ships none; each installation enters them here, per item and language. Changes are audited.
"""

from django.contrib import admin
from django.db import transaction

from ponleu.audit import services as audit

from .models import FunctioningQuestionText


@admin.register(FunctioningQuestionText)
class FunctioningQuestionTextAdmin(admin.ModelAdmin):
    list_display = ("module", "item", "language", "text")
    list_filter = ("module", "language")
    search_fields = ("item", "text")

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.actor,
            action="registry.functioning_text.saved",
            target=obj,
            changes={name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data},
        )

    @transaction.atomic
    def delete_model(self, request, obj):
        audit.record(actor=request.actor, action="registry.functioning_text.deleted", target=obj)
        super().delete_model(request, obj)
