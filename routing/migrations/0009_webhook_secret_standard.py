"""Webhook secrets in the Standard Webhooks form: ``whsec_`` and the base64 of the key.

Before, the HMAC key was the stored string's own bytes. Each such secret is rewritten as
``whsec_`` + base64 of those bytes: the key does not change, so no new secret has to reach
the receivers, and the stored value is what the ``standardwebhooks`` library takes. Secrets
already of that form are kept (the library reads them as they are). Reversible.
"""

import base64
import binascii

import routing.signatures
from django.db import migrations, models

PREFIX = "whsec_"


def _standard_key(secret):
    # Kept here rather than imported, so later changes to the app do not change the migration.
    if not secret.startswith(PREFIX):
        return None
    try:
        return base64.b64decode(secret[len(PREFIX):], validate=True) or None
    except (binascii.Error, ValueError):
        return None


def to_standard(apps, schema_editor):
    Integration = apps.get_model("routing", "Integration")
    for integration in Integration.objects.exclude(webhook_secret="").only("webhook_secret"):
        secret = integration.webhook_secret
        if _standard_key(secret) is None:
            integration.webhook_secret = PREFIX + base64.b64encode(secret.encode()).decode()
            integration.save(update_fields=["webhook_secret"])


def to_previous(apps, schema_editor):
    Integration = apps.get_model("routing", "Integration")
    for integration in Integration.objects.exclude(webhook_secret="").only("webhook_secret"):
        key = _standard_key(integration.webhook_secret)
        try:
            text = key.decode() if key is not None else None
        except UnicodeDecodeError:
            text = None
        # Random keys are not text: only the rewritten ones go back.
        if text and text.isprintable() and len(text) <= 128:
            integration.webhook_secret = text
            integration.save(update_fields=["webhook_secret"])


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0008_request_subject_email_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='integration',
            name='webhook_secret',
            field=models.CharField(blank=True, help_text='whsec_ and the base64 of 24 to 64 random bytes; left blank, one is generated.', max_length=200, validators=[routing.signatures.webhook_secret_validate]),
        ),
        migrations.RunPython(to_standard, to_previous),
    ]
