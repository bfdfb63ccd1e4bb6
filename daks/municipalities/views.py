# Temporary: replaced by the full views module.
from django.http import HttpResponse


def _stub(request, *args, **kwargs):
    return HttpResponse("")


municipality_create = join_request_create = municipality_detail = municipality_settings = _stub
municipality_delete = membership_leave = team = invitation_create = coordination_hand_over = _stub
invitation_resend = invitation_revoke = membership_change_role = membership_remove = _stub
join_request_decide = invitation_accept = _stub
