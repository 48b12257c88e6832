import pytest
from django.conf import settings


def test_landing_page_shows_the_programme_and_open_cohorts(client, cohort):
    page = client.get("/").content.decode()
    assert cohort.programme.name in page
    assert cohort.name in page
    assert '<html lang="en">' in page


def test_landing_page_works_with_no_programme_yet(client, db):
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("code", ["ru", "ky"])
def test_language_switch_sets_html_lang_without_javascript(client, db, code):
    response = client.post("/i18n/language/", {"language": code, "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert f'<html lang="{code}">' in page


def test_language_switch_is_remembered_on_the_account(login, mentee):
    client = login(mentee)
    client.post("/i18n/language/", {"language": "ky", "next": "/dashboard/"})
    mentee.refresh_from_db()
    assert mentee.preferred_language == "ky"


def test_language_switch_refuses_an_unknown_language_and_foreign_redirects(client, db):
    assert client.post("/i18n/language/", {"language": "xx"}).status_code == 400
    response = client.post("/i18n/language/", {"language": "ru", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_language_switch_needs_post(client, db):
    assert client.get("/i18n/language/").status_code == 405


def test_dashboard_of_staff_lists_their_cohorts_with_bounded_queries(
    login, staff, cohort, django_assert_max_num_queries
):
    from stem4all.programmes.tests.factories import CohortFactory, ParticipationFactory

    for _ in range(5):
        other = CohortFactory(programme=cohort.programme)
        ParticipationFactory(user=staff, cohort=other, role="staff")
    client = login(staff)
    with django_assert_max_num_queries(15):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert cohort.name in response.content.decode()


def test_dashboard_of_a_mentee_shows_her_application(login, mentee, cohort):
    page = login(mentee).get("/dashboard/").content.decode()
    assert cohort.name in page


def test_every_language_is_offered(client, db):
    page = client.get("/").content.decode()
    for code, _name in settings.LANGUAGES:
        assert f'value="{code}"' in page


def test_a_signed_in_person_gets_her_preferred_language(login, mentee):
    mentee.preferred_language = "ru"
    mentee.save()
    page = login(mentee).get("/dashboard/").content.decode()
    assert '<html lang="ru">' in page


def test_the_language_switch_on_this_device_wins_over_the_account(login, mentee):
    mentee.preferred_language = "ru"
    mentee.save()
    client = login(mentee)
    client.cookies["django_language"] = "ky"
    assert '<html lang="ky">' in client.get("/dashboard/").content.decode()


def test_the_dashboard_leads_both_members_of_a_pair_to_their_mentoring_pages(
    login, mentee, mentor, cohort
):
    from stem4all.matching.tests.factories import MentorshipFactory

    pair = MentorshipFactory(cohort=cohort, mentee=mentee, mentor=mentor)
    for person in (mentee, mentor):
        page = login(person).get("/dashboard/").content.decode()
        for path in (
            f"/mentorships/{pair.pk}/",
            f"/roadmaps/mentorship/{pair.pk}/",
            f"/meetings/pair/{pair.pk}/",
            f"/messages/mentorship/{pair.pk}/",
        ):
            assert f'href="{path}"' in page, (person, path)


def test_the_pager_keeps_the_filters_of_the_page(login, staff, cohort):
    from stem4all.matching.tests.factories import MentorshipFactory

    for _ in range(51):
        MentorshipFactory(cohort=cohort)
    page = login(staff).get(f"/mentorships/staff/cohorts/{cohort.pk}/?status=active&page=1")
    html = page.content.decode()
    assert 'href="?status=active&amp;page=2"' in html
    assert "Page 1 of 2" in html
