from django.urls import path

from routing.views import dashboard, operations

urlpatterns = [
    # Under /dashboard/, not /admin/: the admin's catch-all answers every unknown admin path.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("healthz", operations.healthz, name="healthz"),
    path("ops/worker-checks/", operations.worker_check_create, name="worker-check-create"),
    path(
        "ops/worker-checks/<int:check_id>/",
        operations.worker_check_detail,
        name="worker-check-detail",
    ),
]
