"""People in the JSON API: the same rules as the pages."""

import pytest
from django.test import Client

from stem4all.accounts.models import ApiToken, StaffAccessLog
from stem4all.accounts.services import create_api_token, revoke_api_token


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_shows_her_own_record(login, mentee):
    data = login(mentee).get("/api/v1/me").json()
    assert data["email"] == mentee.email
    assert data["can_be_matched_or_contacted"] is True
    assert {s["language"] for s in data["languages"]} == {"ky", "en"}
    assert data["mentee_profile"]["stem_fields"] == ["data_science"]


def test_a_personal_token_works_and_is_stored_only_as_a_hash(mentee):
    token, raw = create_api_token(user=mentee, name="script")
    assert raw not in (token.key_hash, token.prefix)
    response = Client().get("/api/v1/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["id"] == mentee.pk


@pytest.mark.parametrize("raw", ["", "nonsense", "s4a_" + "x" * 43, "x" * 5000])
def test_a_wrong_token_gets_401(db, raw):
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_revoked_token_stops_working(mentee):
    token, raw = create_api_token(user=mentee, name="script")
    revoke_api_token(token=token)
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_password_change_kills_every_token(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    mentee.set_password("another-long-passphrase-7")
    mentee.save()
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_deactivated_account_token_stops_working(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    mentee.is_active = False
    mentee.save()
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_a_deleted_account_token_stops_working(stranger):
    _token, raw = create_api_token(user=stranger, name="script")
    stranger.delete()
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401
    assert not ApiToken.objects.exists()


def test_tokens_page_shows_a_new_key_once_and_revokes(login, mentee):
    client = login(mentee)
    response = client.post("/profile/tokens/", {"name": "report script"})
    raw = response.context["new_key"]
    assert raw.startswith("s4a_")
    assert raw not in client.get("/profile/tokens/").content.decode()
    token = ApiToken.objects.get(user=mentee)
    client.post(f"/profile/tokens/{token.pk}/revoke/")
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 401


def test_nobody_revokes_anothers_token(login, mentee, stranger):
    token, _raw = create_api_token(user=mentee, name="script")
    assert login(stranger).post(f"/profile/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_session_writes_need_csrf(mentee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.put("/api/v1/me", {"full_name": "X"}, content_type="application/json")
    assert response.status_code == 403


def test_updating_personal_details_through_the_api(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    response = Client().put(
        "/api/v1/me",
        {
            "full_name": "Aizada API",
            "country": "KG",
            "region": "osh",
            "district": "alai",
            "preferred_language": "ru",
        },
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200, response.content
    assert response.json()["district"] == "alai"


def test_bad_details_through_the_api_get_422_with_field_errors(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    response = Client().put(
        "/api/v1/me",
        {"full_name": "A", "country": "KG", "region": "osh", "district": "leninsky"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    assert "district" in response.json()["errors"]
    mentee.refresh_from_db()
    assert mentee.full_name == "Aizada Testova"


def test_malformed_json_gets_a_4xx_not_a_500(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    response = Client().put(
        "/api/v1/me", "{not json", content_type="application/json", **bearer(raw)
    )
    assert 400 <= response.status_code < 500


def test_languages_and_mentee_profile_through_the_api(mentee):
    _token, raw = create_api_token(user=mentee, name="script")
    client = Client()
    response = client.put(
        "/api/v1/me/languages",
        [{"language": "ru", "level": "C1"}],
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200
    assert response.json()["languages"] == [{"language": "ru", "level": "C1"}]
    response = client.put(
        "/api/v1/me/languages",
        [{"language": "klingon", "level": "C1"}],
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    response = client.put(
        "/api/v1/me/mentee-profile",
        {
            "education_level": "graduate",
            "stem_fields": ["physics"],
            "preferred_mentor_type": "international",
            "hours_per_month": 6,
        },
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200, response.content
    assert response.json()["mentee_profile"]["stem_fields"] == ["physics"]


def test_a_mentor_cannot_clear_herself_through_the_api(mentor):
    _token, raw = create_api_token(user=mentor, name="script")
    response = Client().put(
        "/api/v1/me/mentor-profile",
        {
            "organisation": "X",
            "job_title": "Y",
            "stem_fields": ["software"],
            "screening_status": "cleared",
            "is_cleared_for_minors": True,
        },
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 200
    assert (
        response.json()["mentor_profile"]["screening_status"] == "cleared"
    )  # unchanged from factory
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.is_cleared_for_minors is False


def test_people_endpoint_follows_the_page_rules(login, mentee, mentor, staff, stranger):
    assert login(stranger).get(f"/api/v1/people/{mentee.pk}").status_code == 404
    assert login(mentor).get(f"/api/v1/people/{mentee.pk}").status_code == 404
    card = login(mentee).get(f"/api/v1/people/{mentor.pk}").json()
    assert card["access"] == "card" and card["full"] is None
    assert "email" not in card["card"]
    full = login(staff).get(f"/api/v1/people/{mentee.pk}").json()
    assert full["full"]["email"] == mentee.email
    assert StaffAccessLog.objects.filter(staff=staff, subject=mentee).count() == 1


def test_the_openapi_schema_lists_the_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/me", "/api/v1/cohorts", "/api/v1/cohorts/{cohort_id}/applications"} <= set(
        paths
    )
