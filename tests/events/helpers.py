import re

from django.utils import translation


def german(msgid: str) -> str:
    with translation.override("de"):
        return translation.gettext(msgid)


def token_from(mail) -> str:
    match = re.search(r"/veranstaltungen/anmeldung/([A-Za-z0-9_-]+)/", mail.body)
    assert match, mail.body
    return match.group(1)


def ics_attachment(mail) -> str:
    for name, content, mimetype in mail.attachments:
        if name.endswith(".ics"):
            assert mimetype.startswith("text/calendar")
            return content
    return ""
