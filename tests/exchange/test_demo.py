import pytest

from daks.exchange.demo import seed_exchange_demo
from daks.exchange.models import Answer, Question, Report
from daks.municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_labelled(login):
    town = MunicipalityFactory(name="Beispielstadt (Demo)")
    district = MunicipalityFactory(name="Landkreis Beispielkreis (Demo)", kind="landkreis")
    coordinator = MembershipFactory(municipality=town, role=Role.COORDINATION).user
    MembershipFactory(municipality=district, role=Role.COORDINATION)
    staff = UserFactory(is_staff=True, is_superuser=True, name="Rita Redaktion")
    for _run in range(2):
        seed_exchange_demo(town=town, district=district, staff=staff, coordinator=coordinator)
    assert Question.objects.count() == 3
    assert Question.objects.values("topic").distinct().count() == 2
    assert Question.objects.filter(accepted_answer__isnull=False).count() == 1
    assert Answer.objects.count() == 5
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1
    assert all("(Beispieldaten)" in question.title for question in Question.objects.all())
    assert all("(Beispieldaten)" in answer.body for answer in Answer.objects.all())
    assert login(staff).get("/austausch/moderation/").status_code == 200
