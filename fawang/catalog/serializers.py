"""API serializers of the catalogue's own models, for every app's endpoints (fawang.api, info, business lines)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Material


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Material
        fields = ["name", "description", "is_required"]
