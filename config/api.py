"""The JSON API at /api/v1/: one NinjaAPI, a router per app, the same permission
checks and services as the pages. Browsers use their session (with CSRF); scripts
send a personal token: ``Authorization: Bearer s4a_...``."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from stem4all.accounts.api import FormInvalid
from stem4all.accounts.api import router as accounts_router
from stem4all.accounts.services import authenticate_api_token
from stem4all.awards.api import router as awards_router
from stem4all.checkins.api import router as checkins_router
from stem4all.closure.api import router as closure_router
from stem4all.community.api import router as community_router
from stem4all.core.errors import DomainError
from stem4all.learning.api import router as learning_router
from stem4all.matching.api import router as matching_router
from stem4all.meetings.api import router as meetings_router
from stem4all.mentorships.api import router as mentorships_router
from stem4all.messaging.api import router as messaging_router
from stem4all.notifications.api import router as notifications_router
from stem4all.peergroups.api import router as peergroups_router
from stem4all.programmes.api import router as programmes_router
from stem4all.recordings.api import router as recordings_router
from stem4all.reports.api import router as reports_router
from stem4all.reports.staff_api import router as reports_staff_router
from stem4all.reports.survey_api import router as surveys_router
from stem4all.roadmaps.api import router as roadmaps_router


class PersonalToken(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate_api_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="STEM4ALL Mentoring API",
    version="1.0.0",
    urls_namespace="api-1.0.0",
    auth=[PersonalToken(), django_auth],
    # The bundled Swagger UI sets inline styles; only its page may.
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)
api.add_router("/", accounts_router)
api.add_router("/", programmes_router)
api.add_router("/", matching_router)
api.add_router("/", mentorships_router)
api.add_router("/", meetings_router)
api.add_router("/", roadmaps_router)
api.add_router("/", messaging_router)
api.add_router("/", notifications_router)
api.add_router("/", checkins_router)
api.add_router("/", learning_router)
api.add_router("/", recordings_router)
api.add_router("/", community_router)
api.add_router("/", peergroups_router)
api.add_router("/", closure_router)
api.add_router("/", awards_router)
api.add_router("/", reports_router)
api.add_router("/", reports_staff_router)
api.add_router("/", surveys_router)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Sign in or send a personal API token."}, status=401
    )


@api.exception_handler(FormInvalid)
def form_invalid(request, exc):
    errors = {field: [str(e) for e in errs] for field, errs in exc.form.errors.items()}
    return api.create_response(
        request, {"detail": "The data is not valid.", "errors": errors}, status=422
    )
