"""Every URL requires sign-in unless it is on the explicit public allow-list."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from stem4all.core.public import PUBLIC_URL_NAMES, PUBLIC_URL_PREFIXES


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


def concrete(route: str) -> str:
    """Turn a route pattern into a request path with dummy arguments."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "mentee", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]+\)", "1", route)
    return "/" + route


ROUTES = sorted(set(walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_product_pages():
    names = {name for _, name in ROUTES}
    assert {"core:dashboard", "programmes:staff_cohort", "accounts:my_profile"} <= names


@pytest.mark.parametrize("route,name", ROUTES, ids=[r for r, _ in ROUTES])
def test_every_url_is_public_on_purpose_or_needs_sign_in(client, db, route, name):
    path = concrete(route)
    if name in PUBLIC_URL_NAMES or route.startswith(PUBLIC_URL_PREFIXES):
        return
    response = client.get(path)
    if response.status_code in (302, 301):
        assert "/accounts/login/" in response["Location"], (path, response["Location"])
    else:
        assert response.status_code in (401, 403, 404, 405), (path, response.status_code)


def test_the_api_answers_401_without_credentials(client, db):
    for path in ["/api/v1/me", "/api/v1/cohorts", "/api/v1/cohorts/1/participations"]:
        assert client.get(path).status_code == 401


def test_pages_on_the_public_list_open_without_sign_in(client, cohort):
    assert client.get("/").status_code == 200
    assert client.get(f"/programmes/cohorts/{cohort.pk}/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/api/v1/openapi.json").status_code == 200
