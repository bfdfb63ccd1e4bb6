from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "daks.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from daks.strategy.activity import register_action

        # Wordings of the audit log entries (shown in activity feeds and the audit log).
        for code, text in [
            ("events.event.created", _("created the event “%(object)s”")),
            ("events.event.updated", _("edited the event “%(object)s”")),
            ("events.event.published", _("published the event “%(object)s”")),
            ("events.event.cancelled", _("cancelled the event “%(object)s”")),
            ("events.event.material_updated", _("updated the material of the event “%(object)s”")),
            ("events.registration.created", _("registered for the event “%(object)s”")),
            ("events.registration.cancelled", _("cancelled a registration for “%(object)s”")),
            ("events.registration.promoted", _("moved a registration for “%(object)s” up from the waiting list")),
        ]:
            register_action(code, text)
