from django.contrib.auth.models import Permission

from stem4all.programmes.tests.factories import ParticipationFactory


def grant_view_permissions(user):
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programmes", codename__startswith="view_"
        )
    )


def test_admin_staff_see_only_their_programmes_participants(
    login, staff, other_staff, mentee, cohort
):
    grant_view_permissions(other_staff)
    page = login(other_staff).get("/admin/programmes/participation/")
    assert page.status_code == 200
    assert mentee.email not in page.content.decode()
    grant_view_permissions(staff)
    page = login(staff).get("/admin/programmes/participation/")
    assert mentee.full_name in page.content.decode()


def test_a_superuser_sees_everything_in_the_admin(
    login, cohort, mentee, django_assert_max_num_queries
):
    from stem4all.accounts.tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(20):
        ParticipationFactory(cohort=cohort)
    client = login(admin)
    with django_assert_max_num_queries(15):
        page = client.get("/admin/programmes/participation/")
    assert mentee.full_name in page.content.decode()
    for url in [
        "/admin/accounts/user/",
        "/admin/accounts/menteeprofile/",
        "/admin/accounts/mentorprofile/",
        "/admin/accounts/guardianconsent/",
        "/admin/accounts/staffaccesslog/",
        "/admin/accounts/apitoken/",
        "/admin/programmes/cohort/",
        "/admin/programmes/programme/",
        "/admin/accounts/languageskill/",
    ]:
        assert client.get(url).status_code == 200, url
