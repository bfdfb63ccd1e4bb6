from django.contrib.contenttypes.models import ContentType

from daks.comments.models import Comment, Notification, NotificationKind
from daks.municipalities.models import Role
from daks.profile.models import FieldOfAction, Quadrant, SwotItem

from ..factories import MembershipFactory, UserFactory


def member(municipality, *, role=Role.CONTRIBUTOR, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(municipality=municipality, user=user, role=role)
    return user


def swot_item(process, *, text="Viele Ehrenamtliche", quadrant=Quadrant.STRENGTH):
    return SwotItem.objects.create(
        process=process, municipality=process.municipality, quadrant=quadrant, text=text, position=1
    )


def field_of_action(process, *, title="Wohnen im Alter"):
    return FieldOfAction.objects.create(process=process, municipality=process.municipality, title=title, priority=1)


def comment(obj, *, author, body="Ein Kommentar"):
    return Comment.objects.create(
        municipality=obj.municipality,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        author=author,
        body=body,
    )


def notification(recipient, municipality, *, actor=None, url="/", text="Hallo", target_label="Musterstadt 2040"):
    return Notification.objects.create(
        recipient=recipient,
        municipality=municipality,
        kind=NotificationKind.MENTION,
        actor=actor,
        url=url,
        text=text,
        target_label=target_label,
    )
