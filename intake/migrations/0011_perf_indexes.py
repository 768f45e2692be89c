from django.db import migrations, models

# "Who changed this client": the admin's client filter and erasure look up the audit
# entries by `additional_data -> 'client_id'` (auditlog's model, so the index is made here).
LOGENTRY_CLIENT_INDEX = "auditlog_logentry_client_id"


def create_logentry_client_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {LOGENTRY_CLIENT_INDEX} "
        "ON auditlog_logentry ((additional_data -> 'client_id'))"
    )
    schema_editor.execute("ANALYZE auditlog_logentry")


def drop_logentry_client_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {LOGENTRY_CLIENT_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("clinic_settings", "0001_initial"),
        ("intake", "0010_handout_and_suggested_group"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="intake",
            index=models.Index(fields=["-started_at", "-id"], name="intake_started_at_desc"),
        ),
        migrations.RunPython(create_logentry_client_index, drop_logentry_client_index),
    ]
