from django.conf import settings


def site(request):
    return {"LANGUAGE_CHOICES": settings.LANGUAGES, "DEMO_MODE": not settings.PRODUCTION}
