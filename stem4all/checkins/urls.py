from django.urls import path

from . import views

app_name = "checkins"

urlpatterns = [
    path("pulse/<int:pulse_id>/", views.pulse, name="pulse"),
    path("flags/<int:flag_id>/resolve/", views.resolve_flag, name="resolve_flag"),
]
