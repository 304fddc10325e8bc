"""API serializers of units' own records, for every app's endpoints (fawang.api, info, business lines)."""

from __future__ import annotations

from rest_framework import serializers

from .models import CreditRecord, Unit


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class CreditRecordSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CreditRecord
        fields = ["kind", "kind_label", "title", "detail", "authority", "decided_on"]
