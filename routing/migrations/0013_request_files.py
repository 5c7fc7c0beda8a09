import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0012_organisation_customer_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RequestFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("response", "answer package"),
                            ("identity", "proof of identity"),
                            ("correspondence", "correspondence"),
                        ],
                        max_length=16,
                    ),
                ),
                ("kind", models.CharField(blank=True, max_length=32)),
                (
                    "name",
                    models.CharField(help_text="The name it was given, as shown.", max_length=255),
                ),
                (
                    "size",
                    models.PositiveBigIntegerField(
                        help_text="Bytes of the content (not the stored object)."
                    ),
                ),
                ("sha256", models.CharField(max_length=64)),
                (
                    "content_type",
                    models.CharField(help_text="Found from the content.", max_length=100),
                ),
                ("storage_name", models.CharField(max_length=255, unique=True)),
                (
                    "key_id",
                    models.CharField(
                        help_text="The master key that wraps the data key.", max_length=32
                    ),
                ),
                ("wrapped_key", models.BinaryField(max_length=128)),
                ("created_at", models.DateTimeField(db_index=True)),
                (
                    "created_by_type",
                    models.CharField(
                        choices=[
                            ("staff", "staff"),
                            ("integration", "integration"),
                            ("subject", "subject"),
                            ("system", "system"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created_by_label", models.CharField(blank=True, max_length=200)),
                ("deleted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "deleted_by_type",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("staff", "staff"),
                            ("integration", "integration"),
                            ("subject", "subject"),
                            ("system", "system"),
                        ],
                        max_length=16,
                    ),
                ),
                ("deleted_by_label", models.CharField(blank=True, max_length=200)),
                ("deleted_reason", models.CharField(blank=True, max_length=300)),
                (
                    "created_by_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "deleted_by_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="routing.request",
                    ),
                ),
                (
                    "scope",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="routing.scope",
                    ),
                ),
            ],
            options={
                "ordering": ["request", "created_at", "id"],
                "indexes": [
                    models.Index(fields=["request", "purpose"], name="request_file_purpose_idx"),
                    models.Index(
                        condition=models.Q(("deleted_at", None)),
                        fields=["key_id"],
                        name="request_file_live_key",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("purpose__in", ["response", "identity", "correspondence"])
                        ),
                        name="request_file_purpose",
                    )
                ],
            },
        ),
    ]
