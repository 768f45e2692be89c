from django.urls import path

from intake.views import client, handouts, history, invitations, plan_pdf, plans, review

app_name = "intake"

urlpatterns = [
    path("my/intakes/", client.client_home, name="client_home"),
    path("my/intakes/new/", client.intake_start, name="intake_start"),
    path("my/intakes/<int:pk>/", client.intake_resume, name="intake_resume"),
    path("my/intakes/<int:pk>/answers/", client.intake_detail, name="intake_detail"),
    path("my/intakes/<int:pk>/<slug:step>/", client.intake_step, name="intake_step"),
    path("my/plans/<int:pk>/", client.client_plan, name="client_plan"),
    path("my/plans/<int:pk>/home-care.pdf", handouts.handout_pdf, name="handout_pdf"),
    path("clients/invite/", invitations.invite_client, name="invite_client"),
    path("invitations/accept/", invitations.accept_invitation, name="accept_invitation"),
    path("review/", review.review_queue, name="review_queue"),
    path("review/intakes/<int:pk>/", review.intake_review, name="intake_review"),
    path("review/intakes/<int:pk>/resuggest/", review.resuggest, name="resuggest"),
    path("review/intakes/<int:pk>/plan/", plans.plan_edit, name="plan_edit"),
    path("review/plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("review/plans/<int:pk>/revise/", plans.plan_revise, name="plan_revise"),
    path("review/plans/<int:pk>/pdf/", plan_pdf.plan_pdf, name="plan_pdf"),
    path("review/plans/<int:pk>/handout/", handouts.handout_edit, name="handout_edit"),
    path("review/clients/<int:pk>/history/", history.client_history, name="client_history"),
    path("review/plan-muscles/<int:pk>/findings/", plans.finding_add, name="finding_add"),
]
