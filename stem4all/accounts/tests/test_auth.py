"""Sign-up with e-mail verification, sign-in, lockout, password reset."""

import re

import pytest
from django.core import mail

from stem4all.accounts.models import User
from stem4all.accounts.tests.factories import UserFactory

LOGIN = "/accounts/login/"


def sign_up(client, email="new.mentee@example.org", password="a-long-unusual-passphrase-9"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": password,
            "password2": password,
            "full_name": "Aigerim Newova",
        },
    )


def link_in_last_mail():
    return re.search(r"http://testserver(/\S+)", mail.outbox[-1].body).group(1)


def test_sign_up_sends_a_verification_mail_and_signs_in_only_after_it(client, db):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="new.mentee@example.org")
    assert user.full_name == "Aigerim Newova"
    assert user.password.startswith("md5$")  # the test hasher; Argon2 in production
    assert len(mail.outbox) == 1
    # Not signed in before verifying.
    assert client.get("/dashboard/").status_code == 302
    client.post(LOGIN, {"login": user.email, "password": "a-long-unusual-passphrase-9"})
    assert client.get("/dashboard/").status_code == 302
    # Verify: GET shows a confirmation page, POST confirms and signs in.
    confirm = link_in_last_mail()
    assert client.get(confirm).status_code == 200
    client.post(confirm)
    assert client.get("/dashboard/").status_code == 200


def test_sign_up_in_kyrgyz_sets_the_preferred_language(client, db):
    client.post("/i18n/language/", {"language": "ky", "next": "/"})
    sign_up(client, email="ky@example.org")
    assert User.objects.get(email="ky@example.org").preferred_language == "ky"


def test_argon2_is_the_production_password_hasher():
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_up_with_a_taken_email_does_not_reveal_the_account(client, mentee):
    before = User.objects.count()
    response = sign_up(client, email=mentee.email)
    assert response.status_code == 302  # same answer as for a new address
    assert User.objects.count() == before


def test_sign_in_with_the_right_password(client, mentee, password):
    response = client.post(LOGIN, {"login": mentee.email, "password": password})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_sign_in_is_not_case_sensitive_in_the_email(client, mentee, password):
    client.post(LOGIN, {"login": mentee.email.upper(), "password": password})
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"login": "", "password": ""},
        {"login": "x" * 5000, "password": "y" * 5000},
        {"login": ["a", "b"], "password": "z"},
        {"login": "\x00", "password": "\x00"},
    ],
)
def test_malformed_sign_in_gets_a_form_error_not_a_500(client, db, data):
    response = client.post(LOGIN, data)
    assert response.status_code in (200, 400, 429)


def test_sign_in_with_bytes_that_are_not_utf8_is_no_500(client, db):
    response = client.post(
        LOGIN, b"login=%ff%fe&password=%c3%28", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 400)


def test_five_wrong_passwords_lock_that_account_from_that_address(client, mentee, password):
    for _ in range(5):
        client.post(LOGIN, {"login": mentee.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": mentee.email, "password": password})
    assert response.status_code == 429
    assert client.get("/dashboard/").status_code == 302
    # The same account from another address is not locked.
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    other.post(LOGIN, {"login": mentee.email, "password": password})
    assert other.get("/dashboard/").status_code == 200


def test_behind_a_proxy_the_lockout_counts_the_visitors_address_not_the_proxys(
    settings, mentee, password
):
    from django.test import Client

    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = Client(HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    for _ in range(5):
        attacker.post(LOGIN, {"login": mentee.email, "password": "wrong"})
    assert attacker.post(LOGIN, {"login": mentee.email, "password": password}).status_code == 429
    # She signs in through the same proxy from her own address.
    herself = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    herself.post(LOGIN, {"login": mentee.email, "password": password})
    assert herself.get("/dashboard/").status_code == 200


def test_forty_people_behind_one_school_address_failing_once_lock_nobody(client, db, password):
    people = UserFactory.create_batch(40)
    for person in people:
        client.post(LOGIN, {"login": person.email, "password": "typo"})
    for person in people[:3] + people[-3:]:
        response = client.post(LOGIN, {"login": person.email, "password": password})
        assert response.status_code == 302, person.email
        client.post("/accounts/logout/")


def test_password_reset_by_mail_sets_a_new_password(client, mentee):
    client.post("/accounts/password/reset/", {"email": mentee.email})
    assert len(mail.outbox) == 1
    link = link_in_last_mail()
    response = client.get(link)
    if response.status_code == 302:  # allauth moves the key out of the address
        link = response["Location"]
    client.post(
        link, {"password1": "brand-new-passphrase-42", "password2": "brand-new-passphrase-42"}
    )
    mentee.refresh_from_db()
    assert mentee.check_password("brand-new-passphrase-42")
    client.post("/accounts/logout/")
    client.post(LOGIN, {"login": mentee.email, "password": "brand-new-passphrase-42"})
    assert client.get("/dashboard/").status_code == 200


def test_password_reset_for_an_unknown_email_answers_the_same(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    # allauth mails an 'unknown account' notice instead of saying so on the page.
    assert "nobody@example.org" in mail.outbox[-1].to


def test_staff_must_set_up_two_factor_when_it_is_required(login, staff, mentee, settings):
    settings.STEM4ALL_REQUIRE_STAFF_MFA = True
    response = login(staff).get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/")
    assert login(mentee).get("/dashboard/").status_code == 200


def test_staff_with_two_factor_pass(login, staff, settings):
    from allauth.mfa.models import Authenticator

    settings.STEM4ALL_REQUIRE_STAFF_MFA = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert login(staff).get("/dashboard/").status_code == 200


def test_the_admin_login_is_locked_out_too(client, db, password):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": admin.email, "password": "wrong"})
    response = client.post("/admin/login/", {"username": admin.email, "password": password})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302
