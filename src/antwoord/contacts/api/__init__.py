"""The contacts part of the REST API under /api/v1/: the contact register, handovers, and the register in
the shape of the VNG Klantinteracties API.

Authentication: a system sends "Authorization: Token <key>" (tokens are made in /beheer/ under
"API-sleutels"); staff in the browser use their session. Anonymous requests get 401.

Who sees what (the same rules as the staff screens):
- Contacts: a superuser sees all. Anyone else sees the contacts they took themselves, the contacts taken by
  an organisation in which they are klantcontactmedewerker, manager or beheerder, and the contacts handed
  over to an organisation in whose back office or management they work (backoffice, manager, beheerder).
  Registering a contact needs the role klantcontactmedewerker, manager or beheerder somewhere; the account
  that registers it is recorded as the agent, also when it is a system's account.
- Handovers: only those of organisations in whose back office the user works (services.visible_handovers);
  another organisation's handover is "not found" (404), never "forbidden", so its existence does not leak.
  How to reach the resident is shown only in GET /handovers/<reference> to someone who may work on it, and
  every such showing is written to the processing log (PersonalDataView).
- Handover questions: any account may list an organisation's (they are no secret).
- Klantinteracties: the same rules; a betrokkene's name and addresses only for those who may work on the
  contact's latest handover (and logged).

Errors are JSON with a Dutch `detail` and, for wrong fields, `errors` per field: 400 for wrong input, 401
without credentials, 403 for a missing role, 404 for unknown or invisible ids, 409 for a handover that is
already closed, a contact that already ended or was handed over, or a claim on a colleague's handover,
413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, 429 (with Retry-After) past the rate limit of
API_RATE requests per account (a brake on runaway scripts and on misuse of a stolen token). Every write
runs in one transaction: it happens completely or not at all.
"""

from django.urls import path

from .contacts import ContactCloseView, ContactsView, ContactView
from .handovers import (
    AnswerView,
    AssignView,
    ClaimView,
    ForwardView,
    HandoverQuestionsView,
    HandoversView,
    HandoverView,
)
from .klantinteracties import (
    ActorenView,
    BetrokkenenView,
    InternetakenView,
    KlantcontactenView,
    KlantcontactView,
    OnderwerpobjectenView,
)

app_name = "contacts_api"

urlpatterns = [
    path("contacts", ContactsView.as_view(), name="contacts"),
    path("contacts/<str:uuid>", ContactView.as_view(), name="contact"),
    path("contacts/<str:uuid>/close", ContactCloseView.as_view(), name="contact-close"),
    path("handovers", HandoversView.as_view(), name="handovers"),
    path("handover-questions", HandoverQuestionsView.as_view(), name="handover-questions"),
    path("handovers/<str:reference>", HandoverView.as_view(), name="handover"),
    path("handovers/<str:reference>/claim", ClaimView.as_view(), name="handover-claim"),
    path("handovers/<str:reference>/assign", AssignView.as_view(), name="handover-assign"),
    path("handovers/<str:reference>/forward", ForwardView.as_view(), name="handover-forward"),
    path("handovers/<str:reference>/answer", AnswerView.as_view(), name="handover-answer"),
    path("klantinteracties/klantcontacten", KlantcontactenView.as_view(), name="ki-klantcontacten"),
    path("klantinteracties/klantcontacten/<str:uuid>", KlantcontactView.as_view(), name="ki-klantcontact"),
    path("klantinteracties/betrokkenen", BetrokkenenView.as_view(), name="ki-betrokkenen"),
    path("klantinteracties/onderwerpobjecten", OnderwerpobjectenView.as_view(), name="ki-onderwerpobjecten"),
    path("klantinteracties/actoren", ActorenView.as_view(), name="ki-actoren"),
    path("klantinteracties/internetaken", InternetakenView.as_view(), name="ki-internetaken"),
]
