from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The queue's rows hold the tasks' arguments, an email's reset or invitation link among them:
# not a page for the admin. Jobs are followed on their own progress pages.
admin.site.unregister(DBTaskResult)
