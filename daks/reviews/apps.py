from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "daks.reviews"
    label = "reviews"
    verbose_name = _("Interim review")

    def ready(self):
        from daks.strategy.models import Step
        from daks.strategy.steps import register_page

        register_page(Step.REVIEW, _("Surveys"), "reviews:surveys")
        register_page(Step.REVIEW, _("Interim reviews"), "reviews:reviews")

        from daks.strategy.activity import register_action

        from .moderation import register_actions

        register_actions()
        # Wordings of the audit entries in the process activity feed.
        for code, text in [
            ("reviews.adjustment.applied", _("applied an adjustment of “%(object)s”")),
            ("reviews.adjustment.created", _("recorded an adjustment in “%(object)s”")),
            ("reviews.adjustment.deleted", _("deleted an adjustment of “%(object)s”")),
            ("reviews.adjustment.version_linked", _("linked the adjustments of “%(object)s” to a new plan version")),
            ("reviews.consolidation.saved", _("updated the consolidation checklist of “%(object)s”")),
            ("reviews.cycle.started", _("started the next cycle “%(object)s”")),
            ("reviews.factor.created", _("added the barrier or enabler “%(object)s”")),
            ("reviews.factor.deleted", _("deleted the barrier or enabler “%(object)s”")),
            ("reviews.factor.updated", _("edited the barrier or enabler “%(object)s”")),
            ("reviews.goal_review.saved", _("reviewed the progress of a goal in “%(object)s”")),
            ("reviews.measure_check.saved", _("checked a measure in “%(object)s”")),
            ("reviews.measure_check.snapshot", _("recorded the status of all measures in “%(object)s”")),
            ("reviews.question.added", _("added a question to “%(object)s”")),
            ("reviews.question.deleted", _("deleted a question of “%(object)s”")),
            ("reviews.question.moved", _("moved a question of “%(object)s”")),
            ("reviews.question.updated", _("edited a question of “%(object)s”")),
            ("reviews.network_survey.created", _("started the network survey “%(object)s”")),
            ("reviews.network_survey.closed", _("closed the network survey “%(object)s”")),
            ("reviews.network_survey.joined", _("signed the municipality up for the network survey “%(object)s”")),
            ("reviews.review.created", _("started the interim review “%(object)s”")),
            ("reviews.review.deleted", _("deleted the interim review “%(object)s”")),
            ("reviews.review.meeting_planned", _("planned the review meeting of “%(object)s”")),
            ("reviews.review.updated", _("edited the interim review “%(object)s”")),
            ("reviews.section.added", _("added a section to “%(object)s”")),
            ("reviews.section.deleted", _("deleted a section of “%(object)s”")),
            ("reviews.section.moved", _("moved a section of “%(object)s”")),
            ("reviews.section.updated", _("edited a section of “%(object)s”")),
            ("reviews.survey.closed", _("closed the survey “%(object)s”")),
            ("reviews.survey.created", _("created the survey “%(object)s”")),
            ("reviews.survey.deleted", _("deleted the survey “%(object)s”")),
            ("reviews.survey.invitation_removed", _("removed an invitation to the survey “%(object)s”")),
            ("reviews.survey.invited", _("invited people to the survey “%(object)s”")),
            ("reviews.survey.open_link_created", _("created the open link of the survey “%(object)s”")),
            ("reviews.survey.open_link_disabled", _("switched off the open link of the survey “%(object)s”")),
            ("reviews.survey.open_link_regenerated", _("renewed the open link of the survey “%(object)s”")),
            ("reviews.survey.reminded", _("sent reminders for the survey “%(object)s”")),
            ("reviews.survey.updated", _("edited the survey “%(object)s”")),
        ]:
            register_action(code, text)
