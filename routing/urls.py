from django.urls import path

from routing.views import operations

urlpatterns = [
    path("healthz", operations.healthz, name="healthz"),
    path("ops/worker-checks/", operations.worker_check_create, name="worker-check-create"),
    path(
        "ops/worker-checks/<int:check_id>/",
        operations.worker_check_detail,
        name="worker-check-detail",
    ),
]
