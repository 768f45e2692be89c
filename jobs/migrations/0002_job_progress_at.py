from django.db import migrations, models


def running_jobs_progressed_when_they_started(apps, schema_editor):
    # A job running across this migration is judged by its start until it counts a record.
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(status="running").update(progress_at=models.F("started_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="progress_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(running_jobs_progressed_when_they_started, migrations.RunPython.noop),
    ]
