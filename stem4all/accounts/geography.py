"""Regions and districts of Kyrgyzstan, and the countries mentors live in.

Kept in code rather than the database: the list changes rarely, and each name
must be translated in the catalogues like every other user-facing string.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    BISHKEK = "bishkek", _("Bishkek city")
    OSH_CITY = "osh_city", _("Osh city")
    CHUI = "chui", _("Chui region")
    ISSYK_KUL = "issyk_kul", _("Issyk-Kul region")
    NARYN = "naryn", _("Naryn region")
    TALAS = "talas", _("Talas region")
    JALAL_ABAD = "jalal_abad", _("Jalal-Abad region")
    OSH = "osh", _("Osh region")
    BATKEN = "batken", _("Batken region")


# Districts (raions) per region. The two cities have city districts.
DISTRICTS: dict[str, list[tuple[str, object]]] = {
    Region.BISHKEK: [
        ("leninsky", _("Leninsky district")),
        ("oktyabrsky", _("Oktyabrsky district")),
        ("pervomaisky", _("Pervomaisky district")),
        ("sverdlovsky", _("Sverdlovsky district")),
    ],
    Region.OSH_CITY: [("osh_city", _("Osh city"))],
    Region.CHUI: [
        ("alamudun", _("Alamudun district")),
        ("chui_district", _("Chui district")),
        ("issyk_ata", _("Issyk-Ata district")),
        ("jayil", _("Jayil district")),
        ("kemin", _("Kemin district")),
        ("moskovsky", _("Moskovsky district")),
        ("panfilov", _("Panfilov district")),
        ("sokuluk", _("Sokuluk district")),
    ],
    Region.ISSYK_KUL: [
        ("ak_suu", _("Ak-Suu district")),
        ("jeti_oguz", _("Jeti-Oguz district")),
        ("ton", _("Ton district")),
        ("tup", _("Tup district")),
        ("issyk_kul_district", _("Issyk-Kul district")),
    ],
    Region.NARYN: [
        ("ak_talaa", _("Ak-Talaa district")),
        ("at_bashy", _("At-Bashy district")),
        ("jumgal", _("Jumgal district")),
        ("kochkor", _("Kochkor district")),
        ("naryn_district", _("Naryn district")),
    ],
    Region.TALAS: [
        ("bakai_ata", _("Bakai-Ata district")),
        ("kara_buura", _("Kara-Buura district")),
        ("manas", _("Manas district")),
        ("talas_district", _("Talas district")),
    ],
    Region.JALAL_ABAD: [
        ("aksy", _("Aksy district")),
        ("ala_buka", _("Ala-Buka district")),
        ("bazar_korgon", _("Bazar-Korgon district")),
        ("chatkal", _("Chatkal district")),
        ("nooken", _("Nooken district")),
        ("suzak", _("Suzak district")),
        ("toguz_toro", _("Toguz-Toro district")),
        ("toktogul", _("Toktogul district")),
    ],
    Region.OSH: [
        ("alai", _("Alai district")),
        ("aravan", _("Aravan district")),
        ("chon_alai", _("Chon-Alai district")),
        ("kara_kulja", _("Kara-Kulja district")),
        ("kara_suu", _("Kara-Suu district")),
        ("nookat", _("Nookat district")),
        ("uzgen", _("Uzgen district")),
    ],
    Region.BATKEN: [
        ("batken_district", _("Batken district")),
        ("kadamjai", _("Kadamjai district")),
        ("leilek", _("Leilek district")),
    ],
}

DISTRICT_CHOICES = [(code, label) for districts in DISTRICTS.values() for code, label in districts]
DISTRICT_REGION = {
    code: region for region, districts in DISTRICTS.items() for code, _label in districts
}

HOME_COUNTRY = "KG"


class Country(models.TextChoices):
    KYRGYZSTAN = "KG", _("Kyrgyzstan")
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    UZBEKISTAN = "UZ", _("Uzbekistan")
    TAJIKISTAN = "TJ", _("Tajikistan")
    RUSSIA = "RU", _("Russia")
    TURKEY = "TR", _("Turkey")
    GERMANY = "DE", _("Germany")
    FRANCE = "FR", _("France")
    UNITED_KINGDOM = "GB", _("United Kingdom")
    NETHERLANDS = "NL", _("Netherlands")
    SWITZERLAND = "CH", _("Switzerland")
    POLAND = "PL", _("Poland")
    CZECHIA = "CZ", _("Czechia")
    ITALY = "IT", _("Italy")
    SPAIN = "ES", _("Spain")
    SWEDEN = "SE", _("Sweden")
    FINLAND = "FI", _("Finland")
    UNITED_STATES = "US", _("United States")
    CANADA = "CA", _("Canada")
    JAPAN = "JP", _("Japan")
    SOUTH_KOREA = "KR", _("South Korea")
    CHINA = "CN", _("China")
    INDIA = "IN", _("India")
    SINGAPORE = "SG", _("Singapore")
    MALAYSIA = "MY", _("Malaysia")
    UNITED_ARAB_EMIRATES = "AE", _("United Arab Emirates")
    AUSTRALIA = "AU", _("Australia")
    OTHER = "XX", _("Other country")
