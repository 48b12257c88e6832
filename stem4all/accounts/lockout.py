"""How django-axes finds the account an attempt was for: allauth sends 'email',
the Django admin sends 'username'. Lower-cased so that case does not dodge the lock."""


def username_from_request(request, credentials):
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower() or None
