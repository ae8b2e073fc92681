from rest_framework import mixins, serializers, viewsets

from core.api import DocumentsViewSetMixin, WorkflowViewSetMixin
from core.scope import visible_to

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
        return visible_to(SampleFile, self.request.user)
