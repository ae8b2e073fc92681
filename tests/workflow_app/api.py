from django.db.models import Q
from rest_framework import mixins, serializers, viewsets

from accounts.selectors import administration_ids_where, membership_roles_by_organisation
from core.api import DocumentsViewSetMixin, WorkflowViewSetMixin

from .models import SampleFile


class SampleFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = SampleFile
        fields = ["id", "reference", "state", "title", "awarded_amount"]
        read_only_fields = ["id", "reference", "state", "awarded_amount"]


class SampleFileViewSet(
    WorkflowViewSetMixin, DocumentsViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = SampleFile.objects.none()
    serializer_class = SampleFileSerializer

    def get_queryset(self):
        user = self.request.user
        return SampleFile.objects.filter(
            Q(organisation_id__in=membership_roles_by_organisation(user))
            | Q(administration_id__in=administration_ids_where(user))
        )
