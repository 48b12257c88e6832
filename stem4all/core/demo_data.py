"""Synthetic demo data: a whole mentoring programme shaped like the real one.

`seed_programme` creates one programme ("STEM4ALL Mentoring Her — demo programme") with
one cohort in its applications phase, and in it:

- accepted mentees from all nine regions and cities of Kyrgyzstan, rural districts such
  as At-Bashy included, aged about 15 to 30; about one in ten is under 18, and each of
  those has a guardian's consent recorded by the demo staff account;
- accepted mentors, about a third of them international (living abroad) and the rest
  regional, most of them cleared to mentor and about 40% of the cleared ones also
  cleared for under-18s;
- 15 mentee and 5 mentor applications still waiting for staff to screen them;
- named login accounts for every role (`DEMO_ACCOUNTS`), password ``demo-pass-2026``.

Everything here is synthetic. Every person's name is a combination drawn from lists of
first names and surnames, never a real person's; organisations, universities,
organisers and funders are invented "Demo ..." names; every e-mail address is on the
reserved domain ``demo.stem4all.example``, which can never receive mail. The same seed
gives the same people (on the same day: ages are counted back from today).

The generator works in two steps: `plan_programme` decides everything with
``random.Random(seed)`` and touches no database; `seed_programme` writes the plan with
bulk inserts and a single precomputed password hash, so ten times the real programme
(3,200 mentees x 2,510 mentors) loads in seconds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation

from stem4all.accounts.choices import AvailabilityWindow, Language, StemField
from stem4all.accounts.geography import DISTRICTS, HOME_COUNTRY, Region
from stem4all.accounts.models import (
    ADULT_AGE,
    GuardianConsent,
    LanguageSkill,
    MenteeProfile,
    MentorProfile,
    User,
    years_before,
)
from stem4all.mentorships.models import Mentorship
from stem4all.programmes.models import Cohort, Participation, Programme

DEMO_DOMAIN = "demo.stem4all.example"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - the published password of the demo accounts
PROGRAMME_SLUG = "stem4all-demo"
PROGRAMME_NAME = "STEM4ALL Mentoring Her — demo programme"
PROGRAMME_DESCRIPTION = (
    "A six-month online mentoring programme for girls and women in science, technology, "
    "engineering and mathematics. Mentees from every region of Kyrgyzstan are matched with "
    "regional and international mentors, build a learning roadmap towards their career "
    "goal, attend lectures on time management, leadership, emotional intelligence, "
    "critical thinking and financial literacy, and mentor and mentee meet mostly in "
    "English. This is demo data: every person and organisation in it is invented."
)
PROGRAMME_ORGANISERS = "Demo Women in Science Foundation\nDemo Development Agency"
PROGRAMME_FUNDERS = "Demo Development Agency\nDemo Digital Futures Fund"
PROGRAMME_CONTACT_EMAIL = "mentoring-demo@example.org"
PROGRAMME_CONTACT_PEOPLE = "Gulnara Osmonova, programme coordinator (demo)"
COHORT_NAME = "Cohort 2027"
COHORT_SLUG = "cohort-2027"
COHORT_DESCRIPTION = (
    "Applications are open. Mentoring starts six weeks from now and lasts six months; "
    "the language of mentoring is English."
)
APPLICATIONS_CLOSE_IN_DAYS = 30
MENTORING_STARTS_IN_DAYS = 45
MENTORING_MONTHS = 6

PENDING_MENTEES = 15
PENDING_MENTORS = 5
MINOR_SHARE = 0.10
# The closed cohort 2025 had as many accepted mentees as the current one, and a
# quarter more applications that were not accepted.
PAST_NOT_ACCEPTED_SHARE = 0.25
INTERNATIONAL_SHARE = 1 / 3
CLEARED_FOR_MINORS_SHARE = 0.40
DIASPORA_SHARE = 0.35
BATCH_SIZE = 1000

ACCEPTED = Participation.Status.ACCEPTED
APPLIED = Participation.Status.APPLIED
Role = Participation.Role
Education = MenteeProfile.EducationLevel
MentorType = MenteeProfile.MentorType
Screening = MentorProfile.ScreeningStatus


class DemoDataError(Exception):
    """The database is in a state the generator will not touch; the message says why."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    password: str
    description: str


@dataclass
class MenteePlan:
    education_level: str
    school_grade: int | None
    institution: str
    stem_fields: list[str]
    career_goal: str
    preferred_mentor_type: str
    hours_per_month: int
    availability: list[str]
    settlement: str = ""


@dataclass
class MentorPlan:
    organisation: str
    job_title: str
    stem_fields: list[str]
    years_of_experience: int
    capacity: int
    bio: str
    availability: list[str]
    screening_status: str
    is_cleared_for_minors: bool


@dataclass
class ConsentPlan:
    guardian_name: str
    relation: str
    consent_date: dt.date
    method: str


@dataclass
class PersonPlan:
    """One person to create, and her place in the demo cohort."""

    email: str
    full_name: str
    role: str
    status: str
    date_of_birth: dt.date
    country: str
    region: str
    district: str
    time_zone: str
    preferred_language: str
    languages: list[tuple[str, str]]
    joined_days_ago: int
    mentee: MenteePlan | None = None
    mentor: MentorPlan | None = None
    consent: ConsentPlan | None = None
    motivation: str = ""
    # "past" for the alumnae of the closed cohort 2025 (see demo_impact).
    cohort: str = "current"
    is_demo_account: bool = False
    is_staff: bool = False
    is_superuser: bool = False


@dataclass
class ProgrammePlan:
    today: dt.date
    people: list[PersonPlan]


@dataclass
class SeedSummary:
    """What `seed_programme` did (``created``) or found already there."""

    created: bool
    programme: str
    programme_slug: str
    cohort: str
    mentees: int
    mentors: int
    international_mentors: int
    minors: int
    guardian_consents: int
    pending_mentees: int
    pending_mentors: int
    users: int
    language_skills: int
    participations: int
    seconds: float
    pilot_mentorships: int = 0
    # Shown once, as staff would see it; it opens the demo recording when signed out.
    recording_code: str = ""
    accounts: list[DemoAccount] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        if self.created:
            head = f"Created the demo programme '{self.programme}' in {self.seconds:.1f} s:"
        else:
            head = (
                f"The demo programme '{self.programme}' (slug {self.programme_slug}) is "
                "already loaded; nothing was changed. It holds:"
            )
        return [
            head,
            f"  cohort: {self.cohort}",
            f"  pilot cohort: {self.pilot_mentorships} pairs already mentoring",
            *(
                [f"  recording access code (at /recordings/code/): {self.recording_code}"]
                if self.recording_code
                else []
            ),
            f"  {self.mentees} accepted mentees, {self.minors} of them under 18 "
            f"({self.guardian_consents} guardian consents on record)",
            f"  {self.mentors} accepted mentors, {self.international_mentors} of them "
            "international",
            f"  {self.pending_mentees} mentee and {self.pending_mentors} mentor applications "
            "waiting for screening",
            f"  {self.users} users, {self.language_skills} language skills, "
            f"{self.participations} participations",
        ]

    def account_lines(self) -> list[str]:
        width = max(len(account.email) for account in self.accounts)
        lines = [f"  {'e-mail'.ljust(width)}  password        role"]
        for account in self.accounts:
            lines.append(
                f"  {account.email.ljust(width)}  {account.password.ljust(14)}  "
                f"{account.role}: {account.description}"
            )
        return lines


DEMO_ACCOUNTS = [
    DemoAccount(
        f"staff@{DEMO_DOMAIN}",
        "programme staff",
        DEMO_PASSWORD,
        "runs the cohort; also a Django admin superuser (/admin/)",
    ),
    DemoAccount(
        f"mentee@{DEMO_DOMAIN}",
        "mentee",
        DEMO_PASSWORD,
        "21, university student from At-Bashy district, Naryn; complete profile",
    ),
    DemoAccount(
        f"minor@{DEMO_DOMAIN}",
        "mentee under 18",
        DEMO_PASSWORD,
        "16, school pupil in Osh region; guardian consent on record",
    ),
    DemoAccount(
        f"mentor@{DEMO_DOMAIN}",
        "mentor (regional)",
        DEMO_PASSWORD,
        "data scientist in Bishkek; cleared, also for under-18s",
    ),
    DemoAccount(
        f"international@{DEMO_DOMAIN}",
        "mentor (international)",
        DEMO_PASSWORD,
        "energy engineer in Germany; cleared",
    ),
    DemoAccount(f"jury@{DEMO_DOMAIN}", "jury member", DEMO_PASSWORD, "scores award finalists"),
    DemoAccount(
        f"partner@{DEMO_DOMAIN}",
        "partner organisation",
        DEMO_PASSWORD,
        "STEM4ALL Community partner",
    ),
    DemoAccount(
        f"funder@{DEMO_DOMAIN}",
        "funder",
        DEMO_PASSWORD,
        "reads the cohorts' impact reports, nothing else",
    ),
]

# --- Names: combined at random, so no generated person is a real one. ---

KYRGYZ_FIRST = [
    "Aichurok", "Aidana", "Aigerim", "Aikanysh", "Ainura", "Aiperi", "Aizada", "Aizhan",
    "Akmaral", "Altynai", "Asel", "Baktygul", "Begimai", "Bermet", "Burul", "Cholpon",
    "Chynara", "Dinara", "Elmira", "Elnura", "Gulnara", "Gulzat", "Jyldyz", "Kalia",
    "Kanykei", "Kunduz", "Kyzjibek", "Mairam", "Meerim", "Nazgul", "Nuraiym", "Nurjamal",
    "Saikal", "Sezim", "Tolgonai", "Umutai", "Zamira", "Zhanara", "Zhanyl",
]  # fmt: skip
KYRGYZ_SURNAMES = [
    "Abdyldaeva", "Alymkulova", "Asanova", "Bakirova", "Beishenova", "Bolotbekova",
    "Chynybaeva", "Duisheeva", "Esenbaeva", "Imanalieva", "Kadyrkulova", "Karabaeva",
    "Kasymova", "Kubanychbekova", "Mamytova", "Moldobaeva", "Mukanbetova", "Nurlanova",
    "Omurbekova", "Osmonova", "Ryskulova", "Sadykova", "Satybaldieva", "Sultanbekova",
    "Sydykova", "Temirbekova", "Toktogulova", "Tynystanova", "Usenova", "Zhumabaeva",
    "Zhunusova",
]  # fmt: skip
# Patronymic surnames: "<father's name> kyzy" (daughter of), "uulu" for a son.
KYRGYZ_PATRONYMIC_ROOTS = [
    "Almaz", "Asan", "Azamat", "Bakyt", "Bolot", "Emil", "Erkin", "Kanat", "Marat",
    "Nurbek", "Nurlan", "Ruslan", "Talant", "Tilek", "Ulan",
]  # fmt: skip
KYRGYZ_MALE_FIRST = [
    "Adilet", "Aibek", "Almaz", "Azamat", "Bakyt", "Beknazar", "Bolot", "Chyngyz", "Daniyar",
    "Emil", "Erkin", "Kanat", "Marat", "Nurbek", "Nurlan", "Ruslan", "Talant", "Tilek",
    "Timur", "Ulan",
]  # fmt: skip
RUSSIAN_FIRST = [
    "Alina", "Anastasia", "Anna", "Arina", "Daria", "Diana", "Ekaterina", "Elena", "Irina",
    "Kristina", "Ksenia", "Maria", "Milana", "Natalia", "Olga", "Polina", "Sofia",
    "Svetlana", "Tatiana", "Valeria", "Veronika", "Viktoria", "Yana", "Yulia",
]  # fmt: skip
RUSSIAN_SURNAMES = [
    "Andreeva", "Belova", "Bogdanova", "Borisova", "Fedorova", "Golubeva", "Ivanova",
    "Kozlova", "Kuznetsova", "Lebedeva", "Makarova", "Mikhailova", "Morozova", "Nikitina",
    "Novikova", "Orlova", "Pavlova", "Petrova", "Popova", "Romanova", "Semenova", "Smirnova",
    "Sokolova", "Tarasova", "Vinogradova", "Volkova", "Zaitseva", "Zakharova",
]  # fmt: skip
RUSSIAN_MALE_FIRST = [
    "Alexei", "Andrei", "Dmitry", "Igor", "Ivan", "Maxim", "Nikolai", "Oleg", "Pavel",
    "Sergei", "Vladimir", "Yuri",
]  # fmt: skip
UZBEK_FIRST = [
    "Dildora", "Dilnoza", "Feruza", "Gulnoza", "Kamola", "Madina", "Malika", "Mohira",
    "Munisa", "Nilufar", "Nodira", "Sevara", "Shahnoza", "Zarina",
]  # fmt: skip
UZBEK_SURNAMES = [
    "Abdullaeva", "Ismoilova", "Khodjaeva", "Kholmatova", "Mirzaeva", "Nazarova",
    "Rakhimova", "Sharipova", "Tursunova", "Umarova", "Yusupova",
]  # fmt: skip
UZBEK_MALE_FIRST = [
    "Akmal", "Bakhtiyor", "Dilshod", "Farrukh", "Jasur", "Rustam", "Sardor", "Shukhrat",
    "Ulugbek",
]  # fmt: skip

# First names and surnames of women abroad, by naming tradition.
NAME_POOLS: dict[str, tuple[list[str], list[str]]] = {
    "english": (
        ["Amelia", "Charlotte", "Claire", "Emily", "Emma", "Grace", "Hannah", "Jessica",
         "Laura", "Lucy", "Megan", "Olivia", "Rachel", "Rebecca", "Sarah", "Sophie"],
        ["Bennett", "Brown", "Carter", "Clarke", "Evans", "Foster", "Hughes", "Johnson",
         "Mitchell", "Parker", "Reed", "Robinson", "Smith", "Taylor", "Thompson", "Walker",
         "Wilson", "Wright"],
    ),
    "german": (
        ["Anna", "Clara", "Franziska", "Greta", "Johanna", "Julia", "Katharina", "Laura",
         "Lea", "Lena", "Miriam", "Sabine"],
        ["Becker", "Braun", "Fischer", "Hoffmann", "Koch", "Meyer", "Müller", "Neumann",
         "Richter", "Schmidt", "Schneider", "Wagner", "Weber", "Wolf"],
    ),
    "french": (
        ["Camille", "Chloé", "Claire", "Élise", "Inès", "Juliette", "Léa", "Manon", "Margaux",
         "Sophie"],
        ["Bernard", "Dubois", "Durand", "Girard", "Laurent", "Leroy", "Martin", "Moreau",
         "Petit", "Richard", "Robert", "Thomas"],
    ),
    "dutch": (
        ["Anouk", "Eva", "Femke", "Fleur", "Iris", "Lotte", "Noor", "Sanne"],
        ["Bakker", "Bos", "de Boer", "de Vries", "Jansen", "Meijer", "Mulder", "Smit",
         "van Dijk", "Visser"],
    ),
    "polish": (
        ["Agnieszka", "Aleksandra", "Joanna", "Katarzyna", "Magdalena", "Marta", "Natalia",
         "Zofia"],
        ["Dąbrowska", "Kamińska", "Kowalska", "Kozłowska", "Lewandowska", "Nowak",
         "Szymańska", "Wiśniewska", "Wójcik", "Zielińska"],
    ),
    "turkish": (
        ["Aylin", "Ayşe", "Büşra", "Defne", "Derya", "Ece", "Elif", "Merve", "Selin", "Zeynep"],
        ["Arslan", "Aydın", "Çelik", "Demir", "Doğan", "Kaya", "Öztürk", "Şahin", "Yıldız",
         "Yılmaz"],
    ),
    "japanese": (
        ["Aiko", "Emi", "Hana", "Haruka", "Mai", "Misaki", "Naoko", "Sakura", "Yui", "Yuki"],
        ["Ito", "Kato", "Kobayashi", "Nakamura", "Suzuki", "Takahashi", "Tanaka", "Watanabe",
         "Yamamoto", "Yoshida"],
    ),
    "korean": (
        ["Da-eun", "Eun-ji", "Ha-eun", "Ji-woo", "Min-ji", "Seo-yeon", "Soo-jin", "Ye-jin"],
        ["Cho", "Choi", "Jang", "Jung", "Kang", "Kim", "Lee", "Lim", "Park", "Yoon"],
    ),
    "chinese": (
        ["Hui", "Jing", "Li", "Ling", "Mei", "Wen", "Xiaoyu", "Xin", "Yan", "Yue"],
        ["Chen", "Huang", "Liu", "Wang", "Wu", "Xu", "Yang", "Zhang", "Zhao", "Zhou"],
    ),
    "indian": (
        ["Aditi", "Ananya", "Divya", "Kavya", "Lakshmi", "Meera", "Nisha", "Pooja", "Priya",
         "Shreya"],
        ["Das", "Gupta", "Iyer", "Joshi", "Menon", "Nair", "Patel", "Rao", "Reddy", "Sharma"],
    ),
    "kazakh": (
        ["Aigul", "Aliya", "Aruzhan", "Dana", "Dinara", "Kamila", "Madina", "Saule", "Togzhan",
         "Zhansaya"],
        ["Abenova", "Akhmetova", "Bekova", "Ismailova", "Kairatova", "Omarova",
         "Sarsenbayeva", "Serikbayeva", "Zhakupova"],
    ),
    "russian": (RUSSIAN_FIRST, RUSSIAN_SURNAMES),
    "uzbek": (UZBEK_FIRST, UZBEK_SURNAMES),
}  # fmt: skip


@dataclass(frozen=True)
class CountryProfile:
    code: str
    weight: int
    time_zone: str
    names: str | None  # a NAME_POOLS key; None: only women from Kyrgyzstan living there
    languages: tuple[tuple[str, str], ...]


ABROAD = [
    CountryProfile("KZ", 8, "Asia/Almaty", "kazakh", (("kk", "native"), ("ru", "native"))),
    CountryProfile("UZ", 4, "Asia/Tashkent", "uzbek", (("uz", "native"), ("ru", "C1"))),
    CountryProfile("RU", 8, "Europe/Moscow", "russian", (("ru", "native"),)),
    CountryProfile("TR", 6, "Europe/Istanbul", "turkish", (("tr", "native"),)),
    CountryProfile("DE", 9, "Europe/Berlin", "german", (("de", "native"),)),
    CountryProfile("CH", 2, "Europe/Zurich", "german", (("de", "native"), ("fr", "B2"))),
    CountryProfile("FR", 4, "Europe/Paris", "french", (("fr", "native"),)),
    CountryProfile("GB", 6, "Europe/London", "english", (("en", "native"),)),
    CountryProfile("NL", 3, "Europe/Amsterdam", "dutch", ()),
    CountryProfile("PL", 3, "Europe/Warsaw", "polish", ()),
    CountryProfile("US", 12, "America/New_York", "english", (("en", "native"),)),
    CountryProfile("CA", 4, "America/Toronto", "english", (("en", "native"), ("fr", "B1"))),
    CountryProfile("AU", 2, "Australia/Sydney", "english", (("en", "native"),)),
    CountryProfile("JP", 5, "Asia/Tokyo", "japanese", (("ja", "native"),)),
    CountryProfile("KR", 5, "Asia/Seoul", "korean", (("ko", "native"),)),
    CountryProfile("CN", 3, "Asia/Shanghai", "chinese", (("zh", "native"),)),
    CountryProfile("IN", 4, "Asia/Kolkata", "indian", ()),
    CountryProfile("SG", 2, "Asia/Singapore", "chinese", (("zh", "C1"),)),
    CountryProfile("AE", 2, "Asia/Dubai", None, ()),
]

# --- Where people live in Kyrgyzstan. ---

# Share of mentees per region: every region is there, the capital is the largest.
MENTEE_REGION_WEIGHTS = {
    Region.BISHKEK: 28, Region.OSH_CITY: 8, Region.CHUI: 14, Region.ISSYK_KUL: 9,
    Region.NARYN: 8, Region.TALAS: 6, Region.JALAL_ABAD: 12, Region.OSH: 10, Region.BATKEN: 5,
}  # fmt: skip
# Regional mentors work mostly in the two cities.
MENTOR_REGION_WEIGHTS = {
    Region.BISHKEK: 55, Region.OSH_CITY: 10, Region.CHUI: 10, Region.ISSYK_KUL: 5,
    Region.NARYN: 4, Region.TALAS: 3, Region.JALAL_ABAD: 6, Region.OSH: 4, Region.BATKEN: 3,
}  # fmt: skip
# Naming tradition and first language by region: (Kyrgyz, Russian, Uzbek) weights.
COMMUNITY_WEIGHTS = {
    Region.BISHKEK: (62, 33, 5), Region.OSH_CITY: (55, 5, 40), Region.CHUI: (60, 37, 3),
    Region.ISSYK_KUL: (82, 16, 2), Region.NARYN: (98, 2, 0), Region.TALAS: (95, 5, 0),
    Region.JALAL_ABAD: (72, 3, 25), Region.OSH: (70, 2, 28), Region.BATKEN: (80, 2, 18),
}  # fmt: skip
COMMUNITIES = ("kyrgyz", "russian", "uzbek")
# The town where a region's university students study (many go to the capital instead).
UNIVERSITY_TOWN = {
    Region.BISHKEK: "Bishkek", Region.OSH_CITY: "Osh", Region.CHUI: "Bishkek",
    Region.ISSYK_KUL: "Karakol", Region.NARYN: "Naryn", Region.TALAS: "Talas",
    Region.JALAL_ABAD: "Jalal-Abad", Region.OSH: "Osh", Region.BATKEN: "Batken",
}  # fmt: skip

# --- Fields of STEM: how popular, where one studies, works, and what one wants. ---

MENTEE_FIELD_WEIGHTS = {
    StemField.SOFTWARE: 16, StemField.DATA_SCIENCE: 14, StemField.CYBERSECURITY: 6,
    StemField.ELECTRONICS: 4, StemField.MECHANICAL: 3, StemField.CIVIL: 5, StemField.ENERGY: 5,
    StemField.MATHEMATICS: 6, StemField.PHYSICS: 4, StemField.CHEMISTRY: 5,
    StemField.BIOLOGY: 7, StemField.MEDICINE: 9, StemField.ENVIRONMENT: 6,
    StemField.AGRICULTURE: 4, StemField.GEOLOGY: 3, StemField.PRODUCT_DESIGN: 6,
}  # fmt: skip
MENTOR_FIELD_WEIGHTS = {
    StemField.SOFTWARE: 18, StemField.DATA_SCIENCE: 15, StemField.CYBERSECURITY: 6,
    StemField.ELECTRONICS: 5, StemField.MECHANICAL: 4, StemField.CIVIL: 5, StemField.ENERGY: 6,
    StemField.MATHEMATICS: 5, StemField.PHYSICS: 4, StemField.CHEMISTRY: 5,
    StemField.BIOLOGY: 6, StemField.MEDICINE: 7, StemField.ENVIRONMENT: 5,
    StemField.AGRICULTURE: 3, StemField.GEOLOGY: 3, StemField.PRODUCT_DESIGN: 5,
}  # fmt: skip
UNIVERSITY_BY_FIELD = {
    StemField.MEDICINE: "Demo Medical Academy",
    StemField.BIOLOGY: "Demo State University",
    StemField.AGRICULTURE: "Demo Agrarian University",
    StemField.GEOLOGY: "Demo University of Mining and Geology",
    StemField.MATHEMATICS: "Demo State University",
    StemField.PHYSICS: "Demo State University",
    StemField.CHEMISTRY: "Demo State University",
    StemField.ENVIRONMENT: "Demo State University",
}
DEFAULT_UNIVERSITIES = ["Demo Technical University", "Demo International University"]

ORGANISATIONS = {
    StemField.SOFTWARE: ["Demo Software Studio", "Demo Fintech", "Demo Mobile Apps",
                         "Demo E-commerce Platform"],
    StemField.DATA_SCIENCE: ["Demo Analytics", "Demo Bank", "Demo Telecom", "Demo AI Lab"],
    StemField.CYBERSECURITY: ["Demo Security Operations Centre", "Demo Bank",
                              "Demo Cyber Defence"],
    StemField.ELECTRONICS: ["Demo Electronics Works", "Demo Power Grid Company",
                            "Demo Robotics Lab"],
    StemField.MECHANICAL: ["Demo Machine Works", "Demo Automotive Service",
                           "Demo Manufacturing Plant"],
    StemField.CIVIL: ["Demo Construction Group", "Demo Architecture Bureau",
                      "Demo Road Engineering Institute"],
    StemField.ENERGY: ["Demo Hydropower Company", "Demo Solar Cooperative", "Demo Energy Agency"],
    StemField.MATHEMATICS: ["Demo Institute of Mathematics", "Demo Statistics Office",
                            "Demo Insurance Company"],
    StemField.PHYSICS: ["Demo Institute of Physics", "Demo Technical University",
                        "Demo Materials Laboratory"],
    StemField.CHEMISTRY: ["Demo Water Quality Laboratory", "Demo Pharmaceuticals",
                          "Demo Institute of Chemistry"],
    StemField.BIOLOGY: ["Demo Biotechnology Centre", "Demo Institute of Biology",
                        "Demo Genetics Laboratory"],
    StemField.MEDICINE: ["Demo City Hospital", "Demo Public Health Centre",
                         "Demo Medical Academy"],
    StemField.ENVIRONMENT: ["Demo Climate Centre", "Demo Glacier Research Station",
                            "Demo Environmental Association"],
    StemField.AGRICULTURE: ["Demo Agricultural Research Station", "Demo Farmers' Cooperative",
                            "Demo Agri-Tech"],
    StemField.GEOLOGY: ["Demo Geological Survey", "Demo Mining Company",
                        "Demo Institute of Seismology"],
    StemField.PRODUCT_DESIGN: ["Demo Design Studio", "Demo Digital Services Agency",
                               "Demo Product Lab"],
}  # fmt: skip
JOB_TITLES = {
    StemField.SOFTWARE: ["Software engineer", "Backend developer", "Mobile developer",
                         "QA engineer", "Engineering manager"],
    StemField.DATA_SCIENCE: ["Data scientist", "Data analyst", "Machine learning engineer",
                             "Data engineer"],
    StemField.CYBERSECURITY: ["Security analyst", "Penetration tester", "Security engineer"],
    StemField.ELECTRONICS: ["Electrical engineer", "Electronics engineer",
                            "Embedded systems engineer"],
    StemField.MECHANICAL: ["Mechanical engineer", "Design engineer", "Maintenance engineer"],
    StemField.CIVIL: ["Civil engineer", "Structural engineer", "Architect"],
    StemField.ENERGY: ["Energy engineer", "Hydropower engineer", "Solar project engineer"],
    StemField.MATHEMATICS: ["Statistician", "Actuary", "Researcher in applied mathematics"],
    StemField.PHYSICS: ["Physicist", "Research fellow", "Laboratory engineer"],
    StemField.CHEMISTRY: ["Chemist", "Analytical chemist", "Research chemist"],
    StemField.BIOLOGY: ["Biologist", "Biotechnologist", "Laboratory scientist"],
    StemField.MEDICINE: ["Physician", "Public health specialist", "Medical researcher"],
    StemField.ENVIRONMENT: ["Environmental scientist", "Climate analyst", "Hydrologist"],
    StemField.AGRICULTURE: ["Agronomist", "Irrigation engineer", "Soil scientist"],
    StemField.GEOLOGY: ["Geologist", "Mining engineer", "Seismologist"],
    StemField.PRODUCT_DESIGN: ["UX designer", "Product designer", "UX researcher"],
}  # fmt: skip
CAREER_GOALS = {
    StemField.SOFTWARE: [
        "become a backend developer at a product company",
        "build mobile apps that work well on a slow connection",
        "get a junior developer job and grow into a team lead",
        "start a coding club for girls in my home town",
    ],
    StemField.DATA_SCIENCE: [
        "become a data analyst in a bank or a telecom company",
        "use machine learning to predict harvests for farmers",
        "study data science at master's level and come back to teach it",
        "build dashboards that help cities plan public transport",
    ],
    StemField.CYBERSECURITY: [
        "become a security analyst and protect people's data",
        "earn a professional security certificate and work in a security operations centre",
        "teach schools and families how to stay safe online",
    ],
    StemField.ELECTRONICS: [
        "design electronics for affordable medical devices",
        "become an electrical engineer working on the power grid",
        "run a robotics club for girls at my school",
    ],
    StemField.MECHANICAL: [
        "design machines that make farm work lighter",
        "become a mechanical engineer in a manufacturing plant",
        "work on electric vehicles and their maintenance",
    ],
    StemField.CIVIL: [
        "design earthquake-safe schools and homes",
        "become a civil engineer building mountain roads and bridges",
        "work as an architect on green, energy-saving buildings",
    ],
    StemField.ENERGY: [
        "work on small hydropower and solar projects in the regions",
        "become an energy engineer and help villages save electricity",
        "plan renewable energy for my home district",
    ],
    StemField.MATHEMATICS: [
        "become a statistician and work with public data",
        "teach mathematics in a way that girls love",
        "study applied mathematics and work in finance",
    ],
    StemField.PHYSICS: [
        "do research in physics at a university",
        "become a physics teacher who runs real experiments",
        "work in a laboratory that develops materials for solar panels",
    ],
    StemField.CHEMISTRY: [
        "become a chemist in a water-quality laboratory",
        "work in pharmaceutical research",
        "study chemistry abroad and open a laboratory at home",
    ],
    StemField.BIOLOGY: [
        "study biotechnology and work on new vaccines",
        "research the plants and animals of the Tien Shan mountains",
        "work in a genetics laboratory",
    ],
    StemField.MEDICINE: [
        "become a doctor in my home region",
        "work in public health and prevent disease",
        "become a medical researcher",
    ],
    StemField.ENVIRONMENT: [
        "protect glaciers and water resources from climate change",
        "work on air-quality monitoring in cities",
        "lead recycling and waste projects in my community",
    ],
    StemField.AGRICULTURE: [
        "help farmers in my district use modern irrigation",
        "become an agronomist and improve pastures",
        "start an agri-tech business for local farmers",
    ],
    StemField.GEOLOGY: [
        "become a geologist and work in responsible mining",
        "study natural hazards such as landslides and earthquakes",
        "work in mineral exploration",
    ],
    StemField.PRODUCT_DESIGN: [
        "become a UX designer of apps that people in the regions can use",
        "design digital public services that are easy to use",
        "work as a product designer in an international team",
    ],
}
GOAL_SENTENCES = [
    "In {years} years I want to {goal}.",
    "My goal is to {goal}.",
    "I want to {goal}, and to show other girls from {place} that they can do it too.",
    "My dream is to {goal}.",
    "Step by step, I plan to {goal}.",
]
SCHOOL_GOAL_SENTENCES = [
    "After school I want to study {field} and one day {goal}.",
    "I want to enter university to study {field}, and then {goal}.",
]
BIO_OPENINGS = [
    "{title} at {organisation} with {years} years of experience in {field}.",
    "I have worked in {field} for {years} years; today I am {article} {title_lower} at "
    "{organisation}.",
    "{title} at {organisation}. I have spent {years} years in {field}, from internships to "
    "leading projects.",
]
BIO_CLOSINGS = [
    "I like helping young women take their first steps in STEM.",
    "I grew up in a small town and know how far a mentor's advice can go.",
    "Ask me about interviews, internships and how to keep learning on your own.",
    "I am happy to help you practise your English while we work on your goals.",
    "Every girl who loves science deserves someone in her corner.",
    "I would love to help you turn a big goal into small, doable steps.",
]
MENTEE_MOTIVATIONS = [
    "I want a mentor who can help me choose my path in {field}.",
    "I live in {place}, where few people work in {field}; a mentor would help me plan my "
    "next steps.",
    "I want to practise my English and learn how professionals in {field} really work.",
    "I have a goal but no clear plan. I hope a mentor can help me build a roadmap.",
]
MENTOR_MOTIVATIONS = [
    "I had a mentor when I started in {field}, and I want to give the same to someone else.",
    "I want girls from the regions to see what a career in {field} looks like.",
    "I can offer two evenings a month and my experience in {field}.",
    "Women are still few in {field}; I want to help change that.",
]

ADULT_AGE_WEIGHTS = {
    18: 6, 19: 9, 20: 10, 21: 10, 22: 9, 23: 8, 24: 7, 25: 6, 26: 5, 27: 4, 28: 3, 29: 3, 30: 2,
}  # fmt: skip
SCHOOL_GRADES_BY_AGE = {15: [8, 9], 16: [9, 10], 17: [10, 11], 18: [11]}
AVAILABILITY = list(AvailabilityWindow.values)
SCHOOL_AVAILABILITY = [
    AvailabilityWindow.WEEKDAY_AFTERNOON,
    AvailabilityWindow.WEEKDAY_EVENING,
    AvailabilityWindow.WEEKEND_MORNING,
    AvailabilityWindow.WEEKEND_AFTERNOON,
]
ENGLISH_LEVELS = {"A1": 4, "A2": 16, "B1": 34, "B2": 30, "C1": 14, "C2": 2}
RELATIONS = {
    GuardianConsent.Relation.MOTHER: 60,
    GuardianConsent.Relation.FATHER: 25,
    GuardianConsent.Relation.GUARDIAN: 10,
    GuardianConsent.Relation.OTHER: 5,
}
CONSENT_METHODS = {
    GuardianConsent.Method.SIGNED_FORM: 50,
    GuardianConsent.Method.IN_PERSON: 15,
    GuardianConsent.Method.VIDEO_CALL: 20,
    GuardianConsent.Method.EMAIL: 15,
}
SCREENING_WEIGHTS = {
    Screening.CLEARED: 85,
    Screening.TRAINED: 8,
    Screening.REFERENCES_CHECKED: 5,
    Screening.APPLIED: 2,
}


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _male_surname(surname: str) -> str:
    if surname.endswith(" kyzy"):
        return surname.removesuffix(" kyzy") + " uulu"
    return surname.removesuffix("a")


def _in_sentence(label: str) -> str:
    return label[:1].lower() + label[1:]


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


class _Planner:
    """Every random choice of one plan, in a fixed order from one seeded generator."""

    def __init__(self, *, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.today = today
        self.district_names = {
            code: str(label) for districts in DISTRICTS.values() for code, label in districts
        }
        # Lower-cased for use inside a sentence, acronyms kept: "data science and AI".
        self.field_words = {
            code: _in_sentence(str(StemField(code).label)) for code in StemField.values
        }

    # Small helpers

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def birth_date(self, age: int) -> dt.date:
        # Up to 360 days before her last birthday: she is exactly `age` today.
        return years_before(self.today, age) - dt.timedelta(days=self.rng.randint(0, 360))

    def windows(self, choices: list, low: int, high: int) -> list[str]:
        picked = set(self.rng.sample(list(choices), self.rng.randint(low, high)))
        return [str(window) for window in AVAILABILITY if window in picked]

    def fields(self, weights: dict, low: int, high: int) -> list[str]:
        count = self.rng.randint(low, high)
        chosen: list[str] = []
        while len(chosen) < count:
            code = str(self.weighted(weights))
            if code not in chosen:
                chosen.append(code)
        return chosen

    def place(self, weights: dict) -> tuple[str, str]:
        region = str(self.weighted(weights))
        district = self.rng.choice(DISTRICTS[region])[0]
        return region, district

    @staticmethod
    def settlement(email: str, region: str) -> str:
        """City in the two cities; elsewhere a town or (mostly) a village. Drawn from its
        own generator so that adding it changed none of the other demo values."""
        if region in (Region.BISHKEK, Region.OSH_CITY):
            return MenteeProfile.Settlement.CITY.value
        town = random.Random(f"settlement:{email}").random() < 0.35
        return (MenteeProfile.Settlement.TOWN if town else MenteeProfile.Settlement.VILLAGE).value

    def community(self, region: str) -> str:
        return self.rng.choices(COMMUNITIES, weights=COMMUNITY_WEIGHTS[region])[0]

    def female_name(self, community: str) -> tuple[str, str]:
        """(first name, surname) in a community's tradition."""
        if community == "kyrgyz":
            first = self.rng.choice(KYRGYZ_FIRST)
            if self.rng.random() < 0.2:
                return first, f"{self.rng.choice(KYRGYZ_PATRONYMIC_ROOTS)} kyzy"
            return first, self.rng.choice(KYRGYZ_SURNAMES)
        if community == "russian":
            return self.rng.choice(RUSSIAN_FIRST), self.rng.choice(RUSSIAN_SURNAMES)
        return self.rng.choice(UZBEK_FIRST), self.rng.choice(UZBEK_SURNAMES)

    def male_first_name(self, community: str) -> str:
        pool = {"kyrgyz": KYRGYZ_MALE_FIRST, "russian": RUSSIAN_MALE_FIRST}.get(
            community, UZBEK_MALE_FIRST
        )
        return self.rng.choice(pool)

    def place_name(self, region: str, district: str) -> str:
        if region in (Region.BISHKEK, Region.OSH_CITY):
            return UNIVERSITY_TOWN[region]
        return self.district_names[district]

    # Languages

    def mentee_languages(self, community: str, region: str) -> list[tuple[str, str]]:
        rng = self.rng
        english = self.weighted(ENGLISH_LEVELS)
        if community == "kyrgyz":
            in_city = region in (Region.BISHKEK, Region.OSH_CITY, Region.CHUI)
            russian_levels = (
                {"B1": 15, "B2": 30, "C1": 30, "native": 25}
                if in_city
                else {"A2": 20, "B1": 35, "B2": 30, "C1": 15}
            )
            return [("ky", "native"), ("ru", self.weighted(russian_levels)), ("en", english)]
        if community == "russian":
            skills = [("ru", "native")]
            if rng.random() < 0.7:
                skills.append(("ky", self.weighted({"A1": 35, "A2": 35, "B1": 20, "B2": 10})))
            return [*skills, ("en", english)]
        return [
            ("uz", "native"),
            ("ky", self.weighted({"B1": 30, "B2": 45, "C1": 25})),
            ("ru", self.weighted({"A2": 25, "B1": 45, "B2": 30})),
            ("en", english),
        ]

    def regional_mentor_languages(self, community: str) -> list[tuple[str, str]]:
        english = self.weighted({"B1": 8, "B2": 40, "C1": 40, "C2": 12})
        if community == "kyrgyz":
            russian = self.weighted({"C1": 35, "C2": 30, "native": 35})
            return [("ky", "native"), ("ru", russian), ("en", english)]
        if community == "russian":
            skills = [("ru", "native")]
            if self.rng.random() < 0.5:
                skills.append(("ky", self.weighted({"A2": 40, "B1": 40, "B2": 20})))
            return [*skills, ("en", english)]
        return [("uz", "native"), ("ky", "C1"), ("ru", "C1"), ("en", english)]

    def preferred_language(self, community: str) -> str:
        weights = {
            "kyrgyz": {"ky": 55, "ru": 30, "en": 15},
            "russian": {"ru": 85, "en": 15},
            "uzbek": {"ru": 50, "ky": 40, "en": 10},
        }[community]
        return self.weighted(weights)

    # People

    def mentee(self, email: str, *, minor: bool, status: str) -> PersonPlan:
        rng = self.rng
        region, district = self.place(MENTEE_REGION_WEIGHTS)
        community = self.community(region)
        first, surname = self.female_name(community)
        age = rng.randint(15, ADULT_AGE - 1) if minor else self.weighted(ADULT_AGE_WEIGHTS)
        languages = self.mentee_languages(community, region)
        english = dict(languages)["en"]
        stem_fields = self.fields(MENTEE_FIELD_WEIGHTS, 1, 3)
        education, grade, institution = self.education(age, region, district, stem_fields[0])
        if english in ("A1", "A2"):
            mentor_type = self.weighted(
                {MentorType.REGIONAL: 50, MentorType.ANY: 45, MentorType.INTERNATIONAL: 5}
            )
        else:
            mentor_type = self.weighted(
                {MentorType.ANY: 45, MentorType.INTERNATIONAL: 35, MentorType.REGIONAL: 20}
            )
        school = education == Education.SCHOOL
        profile = MenteePlan(
            education_level=str(education),
            school_grade=grade,
            institution=institution,
            stem_fields=stem_fields,
            career_goal=self.career_goal(
                stem_fields, school=school, place=self.place_name(region, district)
            ),
            preferred_mentor_type=str(mentor_type),
            hours_per_month=rng.choice([2, 3, 4, 4, 4, 5, 6, 6, 8, 10, 12]),
            availability=self.windows(SCHOOL_AVAILABILITY if school else AVAILABILITY, 1, 4),
            settlement=self.settlement(email, region),
        )
        person = PersonPlan(
            email=email,
            full_name=f"{first} {surname}",
            role=Role.MENTEE,
            status=status,
            date_of_birth=self.birth_date(age),
            country=HOME_COUNTRY,
            region=region,
            district=district,
            time_zone="Asia/Bishkek",
            preferred_language=self.preferred_language(community),
            languages=languages,
            joined_days_ago=rng.randint(0, 14) if status == APPLIED else rng.randint(20, 60),
            mentee=profile,
        )
        if minor:
            person.consent = self.consent(surname, community)
        if status == APPLIED:
            person.motivation = rng.choice(MENTEE_MOTIVATIONS).format(
                field=self.field_words[stem_fields[0]],
                place=self.place_name(region, district),
            )
        return person

    def education(
        self, age: int, region: str, district: str, main_field: str
    ) -> tuple[str, int | None, str]:
        rng = self.rng
        if age < ADULT_AGE or (age == ADULT_AGE and rng.random() < 0.3):
            grade = rng.choice(SCHOOL_GRADES_BY_AGE[age])
            if region in (Region.BISHKEK, Region.OSH_CITY):
                school = f"School-gymnasium No. {rng.randint(1, 90)}, {UNIVERSITY_TOWN[region]}"
            else:
                school = (
                    f"Secondary school No. {rng.randint(1, 40)}, {self.district_names[district]}"
                )
            return Education.SCHOOL, grade, school
        if age <= 22:
            level = self.weighted({Education.UNIVERSITY: 90, Education.GRADUATE: 10})
        elif age <= 25:
            level = self.weighted(
                {Education.UNIVERSITY: 25, Education.GRADUATE: 45, Education.EARLY_CAREER: 30}
            )
        else:
            level = self.weighted({Education.GRADUATE: 40, Education.EARLY_CAREER: 60})
        town = "Bishkek" if rng.random() < 0.5 else UNIVERSITY_TOWN[region]
        university = UNIVERSITY_BY_FIELD.get(main_field) or rng.choice(DEFAULT_UNIVERSITIES)
        institution = f"{university}, {town}"
        if level == Education.EARLY_CAREER and rng.random() < 0.3:
            institution = ""
        return level, None, institution

    def career_goal(self, stem_fields: list[str], *, school: bool, place: str) -> str:
        rng = self.rng
        goal = rng.choice(CAREER_GOALS[stem_fields[0]])
        label = self.field_words[stem_fields[0]]
        template = rng.choice(SCHOOL_GOAL_SENTENCES if school else GOAL_SENTENCES)
        text = template.format(goal=goal, field=label, place=place, years=rng.choice([2, 3, 5]))
        others = [self.field_words[code] for code in stem_fields[1:]]
        if len(others) == 1:
            text += f" I am also interested in {others[0]}."
        elif others:
            text += f" I am also interested in {others[0]}, as well as {others[1]}."
        return text

    def consent(self, surname: str, community: str) -> ConsentPlan:
        relation = self.weighted(RELATIONS)
        if relation == GuardianConsent.Relation.FATHER:
            if surname.endswith(" kyzy"):
                # "Asan kyzy" is the daughter of Asan, himself the son of someone else.
                root = surname.removesuffix(" kyzy")
                guardian = f"{root} {self.rng.choice(KYRGYZ_PATRONYMIC_ROOTS)} uulu"
            else:
                guardian = f"{self.male_first_name(community)} {_male_surname(surname)}"
        elif relation == GuardianConsent.Relation.MOTHER and not surname.endswith(" kyzy"):
            guardian = f"{self.female_name(community)[0]} {surname}"
        else:
            guardian = " ".join(self.female_name(community))
        return ConsentPlan(
            guardian_name=guardian,
            relation=str(relation),
            consent_date=self.today - dt.timedelta(days=self.rng.randint(1, 20)),
            method=str(self.weighted(CONSENT_METHODS)),
        )

    def mentor(self, email: str, *, international: bool, status: str) -> PersonPlan:
        rng = self.rng
        age = rng.randint(25, 55)
        if international:
            abroad = rng.choices(ABROAD, weights=[c.weight for c in ABROAD])[0]
            first, surname, languages = self.international_identity(abroad)
            country, region, district, time_zone = abroad.code, "", "", abroad.time_zone
            preferred = "ru" if dict(languages).get("ru") in ("C2", "native") else "en"
        else:
            region, district = self.place(MENTOR_REGION_WEIGHTS)
            community = self.community(region)
            first, surname = self.female_name(community)
            if rng.random() < 0.1:  # some regional mentors are men
                first, surname = self.male_first_name(community), _male_surname(surname)
            languages = self.regional_mentor_languages(community)
            country, time_zone = HOME_COUNTRY, "Asia/Bishkek"
            preferred = self.preferred_language(community)
        stem_fields = self.fields(MENTOR_FIELD_WEIGHTS, 1, 2)
        main = stem_fields[0]
        years = rng.randint(2, max(2, min(30, age - 22)))
        title = rng.choice(JOB_TITLES[main])
        if years >= 8 and rng.random() < 0.5:
            title = f"{rng.choice(['Senior', 'Lead'])} {title[0].lower()}{title[1:]}"
        organisation = rng.choice(ORGANISATIONS[main])
        if status == APPLIED:
            screening, for_minors = Screening.APPLIED, False
        else:
            screening = self.weighted(SCREENING_WEIGHTS)
            for_minors = screening == Screening.CLEARED and rng.random() < CLEARED_FOR_MINORS_SHARE
        profile = MentorPlan(
            organisation=organisation,
            job_title=title,
            stem_fields=stem_fields,
            years_of_experience=years,
            capacity=self.weighted({1: 20, 2: 40, 3: 25, 4: 15}),
            bio=self.bio(title=title, organisation=organisation, years=years, main_field=main),
            availability=self.windows(AVAILABILITY, 1, 4),
            screening_status=str(screening),
            is_cleared_for_minors=for_minors,
        )
        person = PersonPlan(
            email=email,
            full_name=f"{first} {surname}",
            role=Role.MENTOR,
            status=status,
            date_of_birth=self.birth_date(age),
            country=country,
            region=region,
            district=district,
            time_zone=time_zone,
            preferred_language=preferred,
            languages=languages,
            joined_days_ago=rng.randint(0, 14) if status == APPLIED else rng.randint(20, 90),
            mentor=profile,
        )
        if status == APPLIED:
            person.motivation = rng.choice(MENTOR_MOTIVATIONS).format(field=self.field_words[main])
        return person

    def international_identity(
        self, abroad: CountryProfile
    ) -> tuple[str, str, list[tuple[str, str]]]:
        """Name and languages of a mentor abroad: a local woman, or one from Kyrgyzstan."""
        rng = self.rng
        local_languages = dict(abroad.languages)
        if abroad.names is None or rng.random() < DIASPORA_SHARE:
            first, surname = self.female_name("kyrgyz")
            languages = {"ky": "native", "ru": self.weighted({"C2": 50, "native": 50})}
            for code, level in abroad.languages:
                if code not in languages and code != "en":
                    languages[code] = "C1" if level == "native" else level
            languages.setdefault("en", self.weighted({"C1": 60, "C2": 40}))
        else:
            firsts, surnames = NAME_POOLS[abroad.names]
            first, surname = rng.choice(firsts), rng.choice(surnames)
            languages = dict(local_languages)
            languages.setdefault("en", self.weighted({"C1": 60, "C2": 40}))
            if "ru" not in languages and rng.random() < 0.15:
                languages["ru"] = self.weighted({"B1": 60, "B2": 40})
        return first, surname, list(languages.items())

    def bio(self, *, title: str, organisation: str, years: int, main_field: str) -> str:
        opening = self.rng.choice(BIO_OPENINGS).format(
            title=title,
            title_lower=title[0].lower() + title[1:],
            article=_article(title),
            organisation=organisation,
            years=years,
            field=self.field_words[main_field],
        )
        return f"{opening} {self.rng.choice(BIO_CLOSINGS)}"


def _demo_people(today: dt.date) -> list[PersonPlan]:
    """The named login accounts, one per role; staff first (she records consents)."""

    def born(age: int, days: int = 40) -> dt.date:
        return years_before(today, age) - dt.timedelta(days=days)

    def account(email_user: str, **fields) -> PersonPlan:
        defaults = {
            "status": ACCEPTED,
            "country": HOME_COUNTRY,
            "region": Region.BISHKEK.value,
            "district": "leninsky",
            "time_zone": "Asia/Bishkek",
            "preferred_language": "en",
            "joined_days_ago": 60,
            "is_demo_account": True,
        }
        return PersonPlan(email=f"{email_user}@{DEMO_DOMAIN}", **{**defaults, **fields})

    return [
        account(
            "staff",
            full_name="Gulnara Osmonova",
            role=Role.STAFF,
            date_of_birth=born(38),
            languages=[("ky", "native"), ("ru", "native"), ("en", "C1")],
            joined_days_ago=120,
            is_staff=True,
            is_superuser=True,
        ),
        account(
            "mentee",
            full_name="Aizada Toktogulova",
            role=Role.MENTEE,
            date_of_birth=born(21),
            region=Region.NARYN.value,
            district="at_bashy",
            preferred_language="ky",
            languages=[("ky", "native"), ("ru", "B2"), ("en", "B2")],
            mentee=MenteePlan(
                education_level=Education.UNIVERSITY.value,
                school_grade=None,
                institution="Demo State University, Naryn",
                stem_fields=[StemField.DATA_SCIENCE.value, StemField.AGRICULTURE.value],
                career_goal=(
                    "In three years I want to work as a data analyst and use data to help "
                    "farmers in At-Bashy district plan their pastures and harvests."
                ),
                preferred_mentor_type=MentorType.ANY.value,
                settlement=MenteeProfile.Settlement.TOWN.value,
                hours_per_month=6,
                availability=[
                    AvailabilityWindow.WEEKDAY_EVENING.value,
                    AvailabilityWindow.WEEKEND_MORNING.value,
                ],
            ),
        ),
        account(
            "minor",
            full_name="Nuraiym Sadykova",
            role=Role.MENTEE,
            date_of_birth=born(16),
            region=Region.OSH.value,
            district="kara_suu",
            preferred_language="ky",
            languages=[("ky", "native"), ("ru", "B1"), ("en", "B1")],
            mentee=MenteePlan(
                education_level=Education.SCHOOL.value,
                school_grade=10,
                institution="Secondary school No. 7, Kara-Suu district",
                stem_fields=[StemField.BIOLOGY.value, StemField.MEDICINE.value],
                career_goal=(
                    "After school I want to study medicine and become a doctor in my home "
                    "region. I am also curious about biology and genetics."
                ),
                preferred_mentor_type=MentorType.REGIONAL.value,
                settlement=MenteeProfile.Settlement.VILLAGE.value,
                hours_per_month=4,
                availability=[
                    AvailabilityWindow.WEEKDAY_AFTERNOON.value,
                    AvailabilityWindow.WEEKEND_AFTERNOON.value,
                ],
            ),
            consent=ConsentPlan(
                guardian_name="Cholpon Sadykova",
                relation=GuardianConsent.Relation.MOTHER.value,
                consent_date=today - dt.timedelta(days=10),
                method=GuardianConsent.Method.SIGNED_FORM.value,
            ),
        ),
        account(
            "mentor",
            full_name="Dinara Asanova",
            role=Role.MENTOR,
            date_of_birth=born(34),
            district="sverdlovsky",
            preferred_language="ru",
            languages=[("ky", "native"), ("ru", "native"), ("en", "C1")],
            mentor=MentorPlan(
                organisation="Demo AI Lab",
                job_title="Lead data scientist",
                stem_fields=[StemField.DATA_SCIENCE.value, StemField.SOFTWARE.value],
                years_of_experience=11,
                capacity=3,
                bio=(
                    "Lead data scientist at Demo AI Lab with 11 years of experience in data "
                    "science and AI. I grew up in a small town and know how far a mentor's "
                    "advice can go."
                ),
                availability=[
                    AvailabilityWindow.WEEKDAY_EVENING.value,
                    AvailabilityWindow.WEEKEND_MORNING.value,
                ],
                screening_status=Screening.CLEARED.value,
                is_cleared_for_minors=True,
            ),
        ),
        account(
            "international",
            full_name="Hannah Weber",
            role=Role.MENTOR,
            date_of_birth=born(41),
            country="DE",
            region="",
            district="",
            time_zone="Europe/Berlin",
            languages=[("de", "native"), ("en", "C2"), ("ru", "B1")],
            mentor=MentorPlan(
                organisation="Demo Energy Agency",
                job_title="Senior energy engineer",
                stem_fields=[StemField.ENERGY.value, StemField.ENVIRONMENT.value],
                years_of_experience=15,
                capacity=2,
                bio=(
                    "Senior energy engineer at Demo Energy Agency with 15 years of experience "
                    "in solar and small hydropower projects. I am happy to help you practise "
                    "your English while we work on your goals."
                ),
                availability=[
                    AvailabilityWindow.WEEKDAY_MORNING.value,
                    AvailabilityWindow.WEEKEND_MORNING.value,
                ],
                screening_status=Screening.CLEARED.value,
                is_cleared_for_minors=False,
            ),
        ),
        account(
            "jury",
            full_name="Cholpon Bakirova",
            role=Role.JURY,
            date_of_birth=born(47),
            district="oktyabrsky",
            languages=[("ky", "native"), ("ru", "native"), ("en", "B2")],
        ),
        account(
            "partner",
            full_name="Meerim Kasymova",
            role=Role.PARTNER,
            date_of_birth=born(33),
            district="pervomaisky",
            languages=[("ky", "native"), ("ru", "C2"), ("en", "C1")],
        ),
        account(
            "funder",
            full_name="Gulnara Abdyldaeva",
            role=Role.FUNDER,
            date_of_birth=born(44),
            district="sverdlovsky",
            languages=[("ky", "native"), ("ru", "native"), ("en", "C1")],
        ),
    ]


def _shuffled_flags(rng: random.Random, total: int, true_count: int) -> list[bool]:
    flags = [True] * max(0, min(total, true_count)) + [False] * max(0, total - true_count)
    rng.shuffle(flags)
    return flags


def plan_programme(
    *, mentees: int, mentors: int, seed: int, today: dt.date | None = None
) -> ProgrammePlan:
    """Decide every person of the demo programme, without touching the database.

    ``mentees`` and ``mentors`` count the accepted participants, the named demo accounts
    included (two of each); the pending applications come on top."""
    if mentees < 2 or mentors < 2:
        raise ValueError("The demo needs at least 2 mentees and 2 mentors.")
    today = today or timezone.localdate()
    with translation.override("en"):
        planner = _Planner(seed=seed, today=today)
        people = _demo_people(today)
        crowd_mentees = mentees - 2  # the demo mentee and the demo minor
        crowd_mentors = mentors - 2  # the regional and the international demo mentors
        minors = _shuffled_flags(planner.rng, crowd_mentees, round(mentees * MINOR_SHARE) - 1)
        for number, minor in enumerate(minors, start=1):
            email = f"mentee{number:04d}@{DEMO_DOMAIN}"
            people.append(planner.mentee(email, minor=minor, status=ACCEPTED))
        abroad = _shuffled_flags(
            planner.rng, crowd_mentors, round(mentors * INTERNATIONAL_SHARE) - 1
        )
        for number, international in enumerate(abroad, start=1):
            email = f"mentor{number:04d}@{DEMO_DOMAIN}"
            people.append(planner.mentor(email, international=international, status=ACCEPTED))
        pending_minors = _shuffled_flags(planner.rng, PENDING_MENTEES, 2)
        for number, minor in enumerate(pending_minors, start=1):
            email = f"mentee-applicant{number:03d}@{DEMO_DOMAIN}"
            people.append(planner.mentee(email, minor=minor, status=APPLIED))
        pending_abroad = _shuffled_flags(planner.rng, PENDING_MENTORS, 2)
        for number, international in enumerate(pending_abroad, start=1):
            email = f"mentor-applicant{number:03d}@{DEMO_DOMAIN}"
            people.append(planner.mentor(email, international=international, status=APPLIED))
        people += _alumnae(seed=seed, today=today, accepted=mentees)
    return ProgrammePlan(today=today, people=people)


def alumnae_count(accepted: int) -> int:
    """How many alumnae ``_alumnae`` plans for ``accepted`` current mentees."""
    return accepted + round(accepted * PAST_NOT_ACCEPTED_SHARE)


def _alumnae(*, seed: int, today: dt.date, accepted: int) -> list[PersonPlan]:
    """The mentees who applied to the closed cohort 2025: as many accepted as in the
    current cohort, and a quarter more not accepted. Drawn from their own generator,
    so the current cohort's people are the same with or without them."""
    from .demo_impact import PAST_COHORT_STARTS_DAYS_AGO

    planner = _Planner(seed=seed + 2025, today=today)
    minors = _shuffled_flags(planner.rng, accepted, round(accepted * MINOR_SHARE))
    not_accepted = round(accepted * PAST_NOT_ACCEPTED_SHARE)
    people = []
    for number, minor in enumerate(minors + [False] * not_accepted, start=1):
        status = ACCEPTED if number <= accepted else Participation.Status.REJECTED
        email = f"alumna{number:04d}@{DEMO_DOMAIN}"
        person = planner.mentee(email, minor=minor, status=status)
        person.cohort = "past"
        person.joined_days_ago = PAST_COHORT_STARTS_DAYS_AGO + planner.rng.randint(14, 60)
        people.append(person)
    return people


def seed_programme(*, mentees: int, mentors: int, seed: int) -> SeedSummary:
    """Create the demo programme once. If its slug exists already, change nothing and
    report what is there (``created`` is False)."""
    started = time.perf_counter()
    existing = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if existing is not None:
        return _existing_summary(existing, started)
    if User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").exists():
        raise DemoDataError(
            f"Accounts on {DEMO_DOMAIN} exist but the demo programme ({PROGRAMME_SLUG}) does "
            "not: delete those accounts (or the whole database) before seeding again."
        )
    plan = plan_programme(mentees=mentees, mentors=mentors, seed=seed)
    try:
        with transaction.atomic():
            counts = _write_plan(plan)
    except IntegrityError:
        # Another process seeded at the same moment: its programme won the unique slug.
        existing = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
        if existing is None:
            raise
        return _existing_summary(existing, started)
    current = [person for person in plan.people if person.cohort == "current"]
    accepted = [person for person in current if person.status == ACCEPTED]
    cutoff = years_before(plan.today, ADULT_AGE)
    return SeedSummary(
        created=True,
        programme=PROGRAMME_NAME,
        programme_slug=PROGRAMME_SLUG,
        cohort=COHORT_NAME,
        mentees=sum(1 for p in accepted if p.role == Role.MENTEE),
        mentors=sum(1 for p in accepted if p.role == Role.MENTOR),
        international_mentors=sum(
            1 for p in accepted if p.role == Role.MENTOR and p.country != HOME_COUNTRY
        ),
        minors=sum(1 for p in accepted if p.role == Role.MENTEE and p.date_of_birth > cutoff),
        guardian_consents=counts["guardian_consents"],
        pending_mentees=sum(1 for p in current if p.status == APPLIED and p.role == Role.MENTEE),
        pending_mentors=sum(1 for p in current if p.status == APPLIED and p.role == Role.MENTOR),
        users=counts["users"],
        language_skills=counts["language_skills"],
        participations=counts["participations"],
        pilot_mentorships=counts["pilot_mentorships"],
        recording_code=counts["recording_code"],
        seconds=time.perf_counter() - started,
        accounts=list(DEMO_ACCOUNTS),
    )


def _write_plan(plan: ProgrammePlan) -> dict[str, int]:
    today, now = plan.today, timezone.now()
    programme = Programme.objects.create(
        name=PROGRAMME_NAME,
        slug=PROGRAMME_SLUG,
        description=PROGRAMME_DESCRIPTION,
        organisers=PROGRAMME_ORGANISERS,
        funders=PROGRAMME_FUNDERS,
        contact_email=PROGRAMME_CONTACT_EMAIL,
        contact_people=PROGRAMME_CONTACT_PEOPLE,
        is_public=True,
    )
    starts_on = today + dt.timedelta(days=MENTORING_STARTS_IN_DAYS)
    cohort = Cohort.objects.create(
        programme=programme,
        name=COHORT_NAME,
        slug=COHORT_SLUG,
        description=COHORT_DESCRIPTION,
        phase=Cohort.Phase.APPLICATIONS,
        mentoring_language=Language.ENGLISH,
        applications_close_on=today + dt.timedelta(days=APPLICATIONS_CLOSE_IN_DAYS),
        starts_on=starts_on,
        ends_on=_add_months(starts_on, MENTORING_MONTHS),
    )

    # One real hash for the named accounts (Argon2 is slow by design); the crowd cannot
    # sign in at all.
    demo_hash = make_password(DEMO_PASSWORD)
    users = [
        User(
            email=person.email,
            full_name=person.full_name,
            password=demo_hash if person.is_demo_account else make_password(None),
            preferred_language=person.preferred_language,
            date_of_birth=person.date_of_birth,
            country=person.country,
            region=person.region,
            district=person.district,
            time_zone=person.time_zone,
            is_staff=person.is_staff,
            is_superuser=person.is_superuser,
            date_joined=now - dt.timedelta(days=person.joined_days_ago),
        )
        for person in plan.people
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    if any(user.pk is None for user in users):  # a database without INSERT ... RETURNING
        ids = dict(
            User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").values_list("email", "pk")
        )
        for user in users:
            user.pk = ids[user.email]
    staff = users[0]

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=BATCH_SIZE,
    )
    skills = [
        LanguageSkill(user=user, language=language, level=level)
        for user, person in zip(users, plan.people, strict=True)
        for language, level in person.languages
    ]
    LanguageSkill.objects.bulk_create(skills, batch_size=BATCH_SIZE)
    MenteeProfile.objects.bulk_create(
        [
            MenteeProfile(user=user, **vars(person.mentee))
            for user, person in zip(users, plan.people, strict=True)
            if person.mentee is not None
        ],
        batch_size=BATCH_SIZE,
    )
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(user=user, **vars(person.mentor))
            for user, person in zip(users, plan.people, strict=True)
            if person.mentor is not None
        ],
        batch_size=BATCH_SIZE,
    )
    consents = [
        GuardianConsent(mentee=user, recorded_by=staff, **vars(person.consent))
        for user, person in zip(users, plan.people, strict=True)
        if person.consent is not None
    ]
    GuardianConsent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
    past = _create_past_cohort(programme, today)
    participations = []
    for user, person in zip(users, plan.people, strict=True):
        joined = now - dt.timedelta(days=person.joined_days_ago)
        if person.status == ACCEPTED:
            participations.append(
                Participation(
                    user=user,
                    cohort=cohort if person.cohort == "current" else past,
                    role=person.role,
                    status=ACCEPTED,
                    source=Participation.Source.STAFF,
                    decided_by=staff,
                    decided_at=joined,
                    created_at=joined,
                )
            )
        else:
            participations.append(
                Participation(
                    user=user,
                    cohort=cohort if person.cohort == "current" else past,
                    role=person.role,
                    status=person.status,
                    source=Participation.Source.APPLICATION,
                    motivation=person.motivation,
                    created_at=joined,
                )
            )
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
    pilot = _seed_pilot(plan, programme, users)
    _seed_past(plan, past, users)
    return {
        **pilot,
        # Every demo account, the award's voters among them (as a rerun counts them).
        "users": User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").count(),
        "language_skills": len(skills),
        "guardian_consents": len(consents),
        "participations": sum(1 for p in participations if p.cohort == cohort),
    }


def _seed_pilot(plan: ProgrammePlan, programme: Programme, users: list[User]) -> dict[str, int]:
    """The pilot cohort with pairs already mentoring: the named accounts and a few
    adults of the crowd (see ``demo_journey``)."""
    from .demo_journey import CROWD_PAIRS, seed_pilot_cohort

    named = {}
    crowd_mentees, crowd_mentors = [], []
    cutoff = years_before(plan.today, ADULT_AGE)
    for user, person in zip(users, plan.people, strict=True):
        if person.is_demo_account:
            named[person.email.split("@")[0]] = user
        elif person.status != ACCEPTED or person.cohort != "current":
            continue
        elif person.role == Role.MENTEE and person.date_of_birth <= cutoff:
            crowd_mentees.append(user)
        elif person.role == Role.MENTOR and person.country == HOME_COUNTRY:
            crowd_mentors.append(user)
    counts = seed_pilot_cohort(
        programme=programme,
        staff=users[0],
        people=named,
        crowd=crowd_mentees[:CROWD_PAIRS] + crowd_mentors[:2],
        today=plan.today,
    )
    return {**counts, **_seed_learning_and_community(plan, programme, users[0], named)}


def _open_pilot_baseline(pilot: Cohort, staff: User) -> None:
    """The pilot's default surveys, its baseline kept open a week more, so the demo
    mentees find a survey to answer on their dashboard."""
    from stem4all.reports.default_surveys import add_default_surveys
    from stem4all.reports.models import Survey

    add_default_surveys(cohort=pilot, by=staff)
    Survey.objects.filter(cohort=pilot, kind=Survey.Kind.BASELINE).update(
        closes_at=timezone.now() + dt.timedelta(days=7)
    )


def _create_past_cohort(programme: Programme, today: dt.date) -> Cohort:
    from .demo_impact import past_cohort

    return past_cohort(programme, today)


def _seed_past(plan: ProgrammePlan, past: Cohort, users: list[User]) -> None:
    """The closed cohort 2025: its alumnae, most of the current mentors (who mentored
    then too), and everything the pairs did, for the impact report."""
    from .demo_impact import seed_past_cohort

    alumnae, mentors, funder = [], [], None
    for user, person in zip(users, plan.people, strict=True):
        if person.cohort == "past" and person.status == ACCEPTED:
            alumnae.append(user)
        elif person.role == Role.MENTOR and person.status == ACCEPTED:
            mentors.append(user)
        elif person.role == Role.FUNDER:
            funder = user
    seed_past_cohort(
        cohort=past,
        alumnae=alumnae,
        mentors=mentors,
        staff=users[0],
        funder=funder,
        today=plan.today,
    )


def _seed_learning_and_community(plan, programme, staff, named: dict) -> dict:
    """Lectures and trainings, a recording behind an access code, partner practices and
    peer groups, each seeded by its own app."""
    from stem4all.awards.demo import seed_awards
    from stem4all.community.demo import seed_community
    from stem4all.learning.demo import seed_learning
    from stem4all.peergroups.demo import seed_peer_groups
    from stem4all.recordings.demo import seed_recordings

    from .demo_journey import PILOT_SLUG

    pilot = programme.cohorts.get(slug=PILOT_SLUG)
    seed_learning(programme=programme, staff=staff, people=named, today=plan.today)
    code = seed_recordings(cohort=pilot, staff=staff, today=plan.today)
    seed_community(
        programme=programme, staff=staff, partner_user=named["partner"], today=plan.today
    )
    seed_peer_groups(cohort=pilot, people=named, today=plan.today)
    _open_pilot_baseline(pilot, staff)
    seed_awards(programme=programme, staff=staff, people=named, today=plan.today)
    return {"recording_code": code}


def _existing_summary(programme: Programme, started: float) -> SeedSummary:
    from .demo_journey import PILOT_SLUG

    cohort = programme.cohorts.filter(slug=COHORT_SLUG).first() or programme.cohorts.first()
    cutoff = years_before(timezone.localdate(), ADULT_AGE)
    mentee, mentor = Q(role=Role.MENTEE), Q(role=Role.MENTOR)
    accepted, applied = Q(status=ACCEPTED), Q(status=APPLIED)
    counts = Participation.objects.filter(cohort=cohort).aggregate(
        participations=Count("pk"),
        mentees=Count("pk", filter=mentee & accepted),
        mentors=Count("pk", filter=mentor & accepted),
        international=Count("pk", filter=mentor & accepted & ~Q(user__country=HOME_COUNTRY)),
        minors=Count("pk", filter=mentee & accepted & Q(user__date_of_birth__gt=cutoff)),
        pending_mentees=Count("pk", filter=mentee & applied),
        pending_mentors=Count("pk", filter=mentor & applied),
    )
    demo_users = User.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")
    return SeedSummary(
        created=False,
        programme=programme.name,
        programme_slug=programme.slug,
        cohort=cohort.name if cohort else "",
        mentees=counts["mentees"],
        mentors=counts["mentors"],
        international_mentors=counts["international"],
        minors=counts["minors"],
        guardian_consents=GuardianConsent.objects.filter(mentee__in=demo_users).count(),
        pending_mentees=counts["pending_mentees"],
        pending_mentors=counts["pending_mentors"],
        users=demo_users.count(),
        language_skills=LanguageSkill.objects.filter(user__in=demo_users).count(),
        participations=counts["participations"],
        pilot_mentorships=Mentorship.objects.filter(
            cohort__programme=programme, cohort__slug=PILOT_SLUG
        ).count(),
        seconds=time.perf_counter() - started,
        accounts=list(DEMO_ACCOUNTS),
    )
