from django.contrib.auth.models import Group

from accounts.roles import Role, has_role, role_members, role_of, set_role


def test_role_groups_exist_with_their_permissions(db):
    assert Group.objects.get(name="Clients").permissions.filter(codename="fill_intake").exists()
    assert (
        Group.objects.get(name="Therapists").permissions.filter(codename="review_intakes").exists()
    )
    admins = Group.objects.get(name="Admins").permissions
    assert admins.filter(codename="manage_records").exists()
    assert admins.filter(codename="change_user").exists()
    assert not admins.filter(codename="fill_intake").exists()


def test_set_role_replaces_the_previous_one(alice):
    set_role(alice, Role.THERAPIST)
    assert role_of(alice) == Role.THERAPIST
    assert not has_role(alice, Role.CLIENT)
    set_role(alice, Role.ADMIN)
    assert role_of(alice) == Role.ADMIN and alice.is_staff
    assert has_role(alice, Role.THERAPIST)  # admins may review intakes too
    set_role(alice, Role.CLIENT)
    assert role_of(alice) == Role.CLIENT and not alice.is_staff


def test_the_role_is_read_from_the_groups_as_stored(alice, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    alice.groups.add(Group.objects.get(name="Therapists"))
    fresh = get_user_model().objects.get(pk=alice.pk)
    with django_assert_num_queries(1):  # once a request, however often it is asked
        assert role_of(fresh) == Role.THERAPIST  # the strongest of Clients and Therapists
        assert has_role(fresh, Role.THERAPIST) and not has_role(fresh, Role.ADMIN)
    fresh.groups.clear()
    assert role_of(get_user_model().objects.get(pk=alice.pk)) is None


def test_inactive_people_have_no_role_powers(ivy):
    assert not has_role(ivy, Role.CLIENT)


def test_role_members_are_the_accounts_in_those_roles(alice, ivy, tara, theo, adam):
    assert set(role_members(Role.THERAPIST)) == {tara, theo}
    assert set(role_members(Role.THERAPIST, Role.ADMIN)) == {tara, theo, adam}
    assert set(role_members(Role.CLIENT)) == {alice, ivy}


def test_a_clients_therapist_is_chosen_among_the_therapists(alice, tara, theo, adam):
    from django.forms import modelform_factory

    from intake.admin import AssignTherapistForm
    from intake.models import Client

    client_form = modelform_factory(Client, fields=["assigned_therapist"])()
    assert set(client_form.fields["assigned_therapist"].queryset) == {tara, theo}
    assert set(AssignTherapistForm().fields["therapist"].queryset) == {tara, theo}
    set_role(theo, Role.CLIENT)
    assert set(AssignTherapistForm().fields["therapist"].queryset) == {tara}
