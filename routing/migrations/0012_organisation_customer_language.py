from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0011_request_parts"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="customer_language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("fr", "Français"), ("sl", "Slovenščina")],
                help_text="The language of emails to customers (forwards, follow-ups, "
                "closures) and of their acknowledgement page. Empty: the service's default "
                "language.",
                max_length=8,
            ),
        ),
    ]
