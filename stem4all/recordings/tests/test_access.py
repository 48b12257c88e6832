"""Who may watch a recording, and how an access code becomes a session grant."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from stem4all.recordings import codes, services
from stem4all.recordings.errors import CodeNotValid, TooManyAttempts
from stem4all.recordings.models import AccessCode

from .factories import RecordingFactory

ENTER = reverse("recordings:enter_code")


def watch_url(recording):
    return reverse("recordings:watch", args=[recording.pk])


def test_an_accepted_member_of_the_cohort_watches_the_recording(login, mentee, recording):
    response = login(mentee).get(watch_url(recording))
    assert response.status_code == 200
    assert recording.external_url in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"


def test_a_stranger_is_sent_to_the_code_page_without_seeing_the_link(login, stranger, recording):
    response = login(stranger).get(watch_url(recording))
    assert response.status_code == 302
    assert response["Location"] == ENTER


def test_an_anonymous_visitor_is_sent_to_the_code_page(client, recording):
    response = client.get(watch_url(recording))
    assert response.status_code == 302 and response["Location"] == ENTER


def test_a_recording_that_does_not_exist_looks_the_same_as_one_without_access(client, db):
    response = client.get(reverse("recordings:watch", args=[99999]))
    assert response.status_code == 302 and response["Location"] == ENTER


def test_staff_of_another_programme_cannot_watch(login, other_staff, recording):
    assert login(other_staff).get(watch_url(recording)).status_code == 302


def test_a_member_cannot_watch_after_the_period_ended(login, mentee, cohort):
    past = RecordingFactory(
        cohort=cohort,
        available_from=timezone.now() - dt.timedelta(days=40),
        available_until=timezone.now() - dt.timedelta(days=10),
    )
    assert login(mentee).get(watch_url(past)).status_code == 410


def test_a_valid_code_opens_the_recording_for_an_anonymous_visitor(client, recording, make_code):
    _code, friendly = make_code(recording)
    response = client.post(ENTER, {"code": friendly})
    assert response.status_code == 302
    assert response["Location"] == watch_url(recording)
    page = client.get(watch_url(recording))
    assert page.status_code == 200
    assert recording.external_url in page.content.decode()


def test_a_code_may_be_typed_in_lower_case_without_hyphens(client, recording, make_code):
    _code, friendly = make_code(recording)
    typed = friendly.replace("-", " ").lower()
    assert client.post(ENTER, {"code": typed}).status_code == 302


def test_a_code_opens_only_its_own_recording(client, cohort, recording, make_code):
    other = RecordingFactory(cohort=cohort)
    _code, friendly = make_code(recording)
    client.post(ENTER, {"code": friendly})
    assert client.get(watch_url(other)).status_code == 302


def test_a_wrong_code_is_refused_with_a_clear_message(client, recording):
    response = client.post(ENTER, {"code": codes.friendly(codes.generate_code())})
    assert response.status_code == 400
    assert "This code is not valid" in response.content.decode()


def test_an_empty_code_is_refused_with_a_clear_message(client, db):
    response = client.post(ENTER, {"code": ""})
    assert response.status_code == 400
    assert "Type the access code" in response.content.decode()


def test_an_expired_code_answers_410(client, cohort, make_code):
    recording = RecordingFactory(cohort=cohort)
    _code, friendly = make_code(recording)
    recording.available_from = timezone.now() - dt.timedelta(days=31)
    recording.available_until = timezone.now() - dt.timedelta(seconds=1)
    recording.save()
    response = client.post(ENTER, {"code": friendly})
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_code_expires_exactly_at_the_end_of_the_period(recording, make_code):
    _code, friendly = make_code(recording)
    end = recording.available_until
    session = {}
    services.exchange_access_code(
        session=session, ip="10.0.0.1", code_text=friendly, now=end - dt.timedelta(seconds=1)
    )
    with pytest.raises(services.RecordingGone):
        services.exchange_access_code(session={}, ip="10.0.0.1", code_text=friendly, now=end)


def test_a_revoked_code_answers_403_with_a_clear_page(client, staff, recording, make_code):
    code, friendly = make_code(recording)
    services.revoke_access_code(code=code, by=staff)
    response = client.post(ENTER, {"code": friendly})
    assert response.status_code == 403
    assert "withdrawn" in response.content.decode()


def test_revoking_a_code_ends_the_grant_already_in_a_session(client, staff, recording, make_code):
    code, friendly = make_code(recording)
    client.post(ENTER, {"code": friendly})
    assert client.get(watch_url(recording)).status_code == 200
    services.revoke_access_code(code=code, by=staff)
    assert client.get(watch_url(recording)).status_code == 403


def test_a_grant_ends_when_the_period_ends(client, recording, make_code):
    _code, friendly = make_code(recording)
    client.post(ENTER, {"code": friendly})
    recording.available_until = timezone.now() - dt.timedelta(seconds=1)
    recording.available_from = timezone.now() - dt.timedelta(days=2)
    recording.save()
    assert client.get(watch_url(recording)).status_code == 410


def test_ten_wrong_codes_from_one_address_block_the_eleventh_try_even_a_right_one(
    client, recording, make_code
):
    _code, friendly = make_code(recording)
    for _ in range(10):
        assert (
            client.post(ENTER, {"code": codes.friendly(codes.generate_code())}).status_code == 400
        )
    blocked = client.post(ENTER, {"code": friendly})
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.content.decode()
    assert client.get(watch_url(recording)).status_code == 302


def test_the_limit_is_per_address(client, recording, make_code):
    _code, friendly = make_code(recording)
    for _ in range(10):
        client.post(ENTER, {"code": "WRONG"}, REMOTE_ADDR="10.1.1.1")
    assert client.post(ENTER, {"code": friendly}, REMOTE_ADDR="10.1.1.1").status_code == 429
    assert client.post(ENTER, {"code": friendly}, REMOTE_ADDR="10.2.2.2").status_code == 302


def test_right_codes_do_not_count_towards_the_limit(recording, make_code):
    _code, friendly = make_code(recording)
    for _ in range(15):
        services.exchange_access_code(session={}, ip="10.0.0.9", code_text=friendly)


def test_the_window_is_one_hour(recording, make_code):
    _code, friendly = make_code(recording)
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for _ in range(10):
        with pytest.raises(CodeNotValid):
            services.exchange_access_code(session={}, ip="10.0.0.3", code_text="x", now=start)
    with pytest.raises(TooManyAttempts):
        services.exchange_access_code(session={}, ip="10.0.0.3", code_text=friendly, now=start)
    later = start + dt.timedelta(hours=1)
    services.exchange_access_code(session={}, ip="10.0.0.3", code_text=friendly, now=later)


def test_behind_a_trusted_proxy_the_address_it_appended_is_limited(settings, rf):
    from stem4all.core.client_ip import client_ip

    settings.PROXY_COUNT = 1
    request = rf.post("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.7"
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"


def test_the_code_is_stored_only_as_a_hash(recording, make_code):
    code, friendly = make_code(recording)
    raw = codes.normalise(friendly)
    row = AccessCode.objects.filter(pk=code.pk).values().get()
    assert all(raw not in str(value) and friendly not in str(value) for value in row.values())
    assert row["code_hash"] == codes.hash_code(raw)
    assert raw not in str(model_to_dict(code))


def test_a_code_has_at_least_128_random_bits_in_groups_of_four(recording, make_code):
    _code, friendly = make_code(recording)
    groups = friendly.split("-")
    assert all(len(g) == 4 for g in groups)
    assert len("".join(groups)) * 5 >= 128


def test_the_code_never_appears_in_a_url_or_a_header(client, recording, make_code):
    _code, friendly = make_code(recording)
    raw = codes.normalise(friendly)
    page = client.get(ENTER)
    assert 'method="post"' in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    responses = [
        client.post(ENTER, {"code": friendly}),
        client.post(ENTER, {"code": friendly}, follow=True),
    ]
    for response in responses:
        chain = [response, *getattr(response, "redirect_chain", [])]
        for item in chain:
            text = str(item)
            assert raw not in text and friendly not in text
        for name, value in response.items():
            assert raw not in value and friendly not in value, name
        assert response["Referrer-Policy"] == "same-origin"
    for url, _status in responses[1].redirect_chain:
        assert raw not in url and friendly not in url


def test_a_code_in_the_query_string_is_ignored(client, recording, make_code):
    _code, friendly = make_code(recording)
    assert client.get(ENTER, {"code": friendly}).status_code == 200
    assert client.get(watch_url(recording)).status_code == 302


def test_a_wrong_code_is_not_echoed_back_into_the_page(client, db):
    typed = codes.friendly(codes.generate_code())
    response = client.post(ENTER, {"code": typed})
    assert typed not in response.content.decode()


def test_the_exchange_gives_the_session_a_new_key(client, recording, make_code):
    _code, friendly = make_code(recording)
    client.get(ENTER)
    client.session.save()
    before = client.session.session_key
    client.post(ENTER, {"code": friendly})
    assert client.session.session_key != before


def test_a_participant_lists_only_the_recordings_of_her_cohorts(login, mentee, recording):
    RecordingFactory()  # another cohort
    response = login(mentee).get(reverse("recordings:my_recordings"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [recording]


def test_a_code_for_a_recording_not_yet_open_says_from_when(client, cohort, make_code):
    recording = RecordingFactory(
        cohort=cohort,
        available_from=timezone.now() + dt.timedelta(days=2),
        available_until=timezone.now() + dt.timedelta(days=32),
    )
    _code, friendly = make_code(recording)
    response = client.post(ENTER, {"code": friendly})
    assert response.status_code == 403
    assert "can be watched from" in response.content.decode()


def test_the_code_is_never_logged(client, caplog, staff, recording, make_code):
    import logging

    code, friendly = make_code(recording)
    raw = codes.normalise(friendly)
    with caplog.at_level(logging.DEBUG):
        client.post(ENTER, {"code": friendly})
        client.post(ENTER, {"code": friendly[:-1] + "0"})
        services.revoke_access_code(code=code, by=staff)
        client.post(ENTER, {"code": friendly})
        client.post(
            "/api/v1/recordings/access", {"code": friendly}, content_type="application/json"
        )
    assert raw not in caplog.text and friendly not in caplog.text
