from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.scope import visible_to
from core.web import TransitionView, workflow_panel_context

from .models import SampleFile


def files_in_scope(user):
    return visible_to(SampleFile, user)


@login_required
def sample_detail(request, pk):
    file = get_object_or_404(files_in_scope(request.user), pk=pk)
    return render(
        request,
        "workflow_app/sample_detail.html",
        {"file": file, **workflow_panel_context(file, request.user)},
    )


class SampleTransitionView(TransitionView):
    def get_queryset(self):
        return files_in_scope(self.request.user)
