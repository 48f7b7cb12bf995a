"""Who may do what: roles are held per organisation, and every check goes through here."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser

from antwoord.organisations.models import Organisation

from .models import Membership, Role, User

AnyUser = User | AnonymousUser

# Roles that may change content, and roles that may also publish it.
WRITING_ROLES = frozenset({Role.EDITOR, Role.REVIEWER})
PUBLISHING_ROLES = frozenset({Role.REVIEWER})


# The user's memberships, read once per user object: a page or API list that checks a role per row asks
# the database once per request, not once per row (as Django caches permissions on the user object).
_MEMBERSHIPS = "_antwoord_memberships"


def organisation_ids_with_role(user: AnyUser, roles: Iterable[Role]) -> set[int]:
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships: list[tuple[int, str]] | None = getattr(user, _MEMBERSHIPS, None)
    if memberships is None:
        memberships = list(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        setattr(user, _MEMBERSHIPS, memberships)
    wanted = set(roles)
    return {organisation_id for organisation_id, role in memberships if role in wanted}


def has_role(user: AnyUser, organisation: Organisation | int | None, roles: Iterable[Role]) -> bool:
    """Superusers (platform administrators) hold every role everywhere."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if organisation is None:
        return False
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return organisation_id in organisation_ids_with_role(user, roles)


def has_role_anywhere(user: AnyUser, roles: Iterable[Role]) -> bool:
    """Whether the user holds one of the roles in any organisation (superusers: always)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(organisation_ids_with_role(user, roles))


def can_write(user: AnyUser, organisation: Organisation | int | None) -> bool:
    return has_role(user, organisation, WRITING_ROLES)


def can_publish(user: AnyUser, organisation: Organisation | int | None) -> bool:
    return has_role(user, organisation, PUBLISHING_ROLES)


def emails_of_role(organisation: Organisation | int, roles: Iterable[Role]) -> list[str]:
    """The e-mail addresses of the active members holding one of the roles in the organisation, sorted."""
    members = Membership.objects.filter(organisation=organisation, role__in=list(roles), user__is_active=True)
    return sorted(set(members.exclude(user__email="").values_list("user__email", flat=True)))


def organisation_ids_of(user: AnyUser) -> set[int]:
    """Organisations in which the user holds any role."""
    return organisation_ids_with_role(user, Role)


def has_any_writing_role(user: AnyUser) -> bool:
    return has_role_anywhere(user, WRITING_ROLES)
