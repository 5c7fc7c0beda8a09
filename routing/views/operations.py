from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from routing.models import WorkerCheck
from routing.selectors.health import system_health
from routing.services.operations import worker_check_request


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    ok, payload = system_health()
    return JsonResponse(payload, status=200 if ok else 503)


def _check_json(check: WorkerCheck) -> dict[str, object]:
    return {
        "id": check.pk,
        "requested_at": check.requested_at.isoformat(),
        "completed_at": check.completed_at.isoformat() if check.completed_at else None,
        "worker": check.worker or None,
    }


@staff_member_required
@require_POST
def worker_check_create(request: HttpRequest) -> JsonResponse:
    check = worker_check_request(user=request.user)
    return JsonResponse(_check_json(check), status=202)


@never_cache
@staff_member_required
@require_GET
def worker_check_detail(request: HttpRequest, check_id: int) -> JsonResponse:
    check = get_object_or_404(WorkerCheck, pk=check_id)
    return JsonResponse(_check_json(check))
