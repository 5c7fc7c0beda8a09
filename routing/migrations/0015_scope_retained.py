from django.db import migrations, models

import routing.models.registry


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0014_downloads"),
    ]

    operations = [
        migrations.AddField(
            model_name="scope",
            name="retained",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text=(
                    'Kept after an erasure: [{"what", "ground", "period" (or null), "source"}].'
                ),
                validators=[routing.models.registry.validate_retained],
            ),
        ),
    ]
