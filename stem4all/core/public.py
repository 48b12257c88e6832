"""The explicit allow-list of pages anyone may open without signing in.

Everything else requires login (Django's LoginRequiredMiddleware), or answers 401 in
the API. A test walks every URL pattern against this list.
"""

from django.contrib.auth.decorators import login_not_required

# URL names (namespace:name) that are public on purpose.
PUBLIC_URL_NAMES = {
    "core:landing",
    "core:healthz",
    "core:switch_language",
    "programmes:cohort_detail",
    "meetings:public_feed",
    "closure:verify",
    # Code holders have no account; these views check the session grant themselves.
    "recordings:enter_code",
    "recordings:watch",
    "recordings:stream",
    "community:gallery",
    "community:practice",
    "community:partners",
    "community:partner",
    "community:image",
    "learning:verify_attendance",
    "awards:index",
    "awards:edition",
    "awards:nomination",
    "awards:results",
    "awards:results_csv",
    "awards:verify",
    "awards:category",
    "awards:receipt",
    "api-1.0.0:openapi-json",
    "api-1.0.0:openapi-view",
}
# URL prefixes whose views manage their own access: allauth's sign-in pages, the admin
# (its own login), and the JSON API (answers 401 without credentials).
PUBLIC_URL_PREFIXES = ("accounts/", "admin/", "api/v1/", "static/")


def public(view):
    """Mark a view as public. Use only for names listed in PUBLIC_URL_NAMES."""
    return login_not_required(view)
