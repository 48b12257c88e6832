"""Vocabularies shared by profiles, applications, imports and (later) matching."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StemField(models.TextChoices):
    SOFTWARE = "software", _("Software engineering")
    DATA_SCIENCE = "data_science", _("Data science and AI")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity")
    ELECTRONICS = "electronics", _("Electrical and electronic engineering")
    MECHANICAL = "mechanical", _("Mechanical engineering")
    CIVIL = "civil", _("Civil engineering and architecture")
    ENERGY = "energy", _("Energy and renewables")
    MATHEMATICS = "mathematics", _("Mathematics and statistics")
    PHYSICS = "physics", _("Physics")
    CHEMISTRY = "chemistry", _("Chemistry")
    BIOLOGY = "biology", _("Biology and biotechnology")
    MEDICINE = "medicine", _("Medicine and health sciences")
    ENVIRONMENT = "environment", _("Environmental science and climate")
    AGRICULTURE = "agriculture", _("Agricultural science")
    GEOLOGY = "geology", _("Geology and mining")
    PRODUCT_DESIGN = "product_design", _("Product and UX design")


class Language(models.TextChoices):
    KYRGYZ = "ky", _("Kyrgyz")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    UZBEK = "uz", _("Uzbek")
    KAZAKH = "kk", _("Kazakh")
    TURKISH = "tr", _("Turkish")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    CHINESE = "zh", _("Chinese")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")


class LanguageLevel(models.TextChoices):
    A1 = "A1", _("A1 beginner")
    A2 = "A2", _("A2 elementary")
    B1 = "B1", _("B1 intermediate")
    B2 = "B2", _("B2 upper intermediate")
    C1 = "C1", _("C1 advanced")
    C2 = "C2", _("C2 proficient")
    NATIVE = "native", _("Native speaker")


LEVEL_ORDER = {level: rank for rank, level in enumerate(LanguageLevel.values)}


class AvailabilityWindow(models.TextChoices):
    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND_MORNING = "weekend_morning", _("Weekend mornings")
    WEEKEND_AFTERNOON = "weekend_afternoon", _("Weekend afternoons")
    WEEKEND_EVENING = "weekend_evening", _("Weekend evenings")
