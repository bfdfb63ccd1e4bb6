from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "daks.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries (shown in activity feeds and the audit log).
        for code, text in [
            ("exchange.question.created", _("asked “%(object)s” in the exchange")),
            ("exchange.question.updated", _("edited the question “%(object)s”")),
            ("exchange.answer.created", _("answered “%(object)s”")),
            ("exchange.answer.updated", _("edited an answer to “%(object)s”")),
            ("exchange.answer.accepted", _("accepted an answer to “%(object)s”")),
            ("exchange.answer.unaccepted", _("withdrew the accepted answer to “%(object)s”")),
            ("exchange.report.created", _("reported content of “%(object)s”")),
            ("exchange.report.dismissed", _("dismissed a report on “%(object)s”")),
            ("exchange.question.hidden", _("hid the question “%(object)s”")),
            ("exchange.question.shown", _("showed the question “%(object)s” again")),
            ("exchange.answer.hidden", _("hid an answer to “%(object)s”")),
            ("exchange.answer.shown", _("showed an answer to “%(object)s” again")),
        ]:
            register_action(code, text)
