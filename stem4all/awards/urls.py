from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    # --- editions and categories (helper E) ---
    path("", views.index, name="index"),
    # --- end editions ---
    # --- nominations (helper A) ---
    # --- end nominations ---
    # --- voting and receipts (helper B) ---
    # --- end voting ---
    # --- integrity and jury (helper C) ---
    # --- end integrity and jury ---
    # --- results and exports (helper D) ---
    # --- end results ---
    # Last: the edition and category pages catch any slug.
    # --- edition pages (helper E) ---
    # --- end edition pages ---
]
