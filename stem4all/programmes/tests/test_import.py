"""Staff import participants into a cohort from CSV and XLSX files: all rows or none."""

import datetime as dt
import html
import io
import zipfile

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stem4all.accounts.models import LanguageSkill, User
from stem4all.accounts.tests.factories import UserFactory
from stem4all.programmes import importing, services
from stem4all.programmes.models import Participation

HEADER = "email,full_name,role,date_of_birth,country,region,district,preferred_language,languages"
MENTEE_ROW = "asel@example.org,Asel Bekova,mentee,2007-03-01,KG,naryn,at_bashy,ky,ky:native; en:B1"
MENTOR_ROW = "maria@example.org,Maria Schulz,mentor,,DE,,,en,en:C2; de:native"
RACE_MESSAGE = (
    "Someone added some of these people to the platform or to this cohort while the file "
    "was being imported, so nothing was imported. Check the file again and repeat the import."
)


def csv_file(*rows, header=HEADER, name="people.csv"):
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, name="people.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def run(cohort, staff, upload, *, dry_run=False):
    return services.import_participants(
        cohort=cohort, uploaded_file=upload, dry_run=dry_run, staff=staff
    )


def imported_emails(cohort):
    return set(
        Participation.objects.filter(cohort=cohort, source=Participation.Source.IMPORT).values_list(
            "user__email", flat=True
        )
    )


def import_url(cohort):
    return reverse("programmes:import_participants", args=[cohort.pk])


# The service ------------------------------------------------------------------------------


def test_a_valid_csv_imports_every_row(cohort, staff):
    report = run(cohort, staff, csv_file(MENTEE_ROW, MENTOR_ROW))

    assert report.errors == []
    assert report.imported
    assert (report.rows_read, report.to_create, report.existing_users_reused) == (2, 2, 0)
    asel = User.objects.get(email="asel@example.org")
    assert (asel.full_name, asel.date_of_birth) == ("Asel Bekova", dt.date(2007, 3, 1))
    assert (asel.country, asel.region, asel.district) == ("KG", "naryn", "at_bashy")
    assert asel.preferred_language == "ky"
    assert set(asel.languages.values_list("language", "level")) == {
        ("ky", "native"),
        ("en", "B1"),
    }
    maria = User.objects.get(email="maria@example.org")
    assert (maria.country, maria.region, maria.district, maria.date_of_birth) == (
        "DE",
        "",
        "",
        None,
    )
    participations = Participation.objects.filter(cohort=cohort, user__in=[asel, maria])
    assert {p.role for p in participations} == {"mentee", "mentor"}
    for participation in participations:
        assert participation.status == Participation.Status.ACCEPTED
        assert participation.source == Participation.Source.IMPORT
        assert participation.decided_by == staff
        assert participation.decided_at is not None


def test_new_people_get_an_unusable_password_and_an_unverified_primary_address(cohort, staff):
    run(cohort, staff, csv_file(MENTEE_ROW))

    asel = User.objects.get(email="asel@example.org")
    assert not asel.has_usable_password()
    address = EmailAddress.objects.get(user=asel)
    assert (address.email, address.primary, address.verified) == ("asel@example.org", True, False)


def test_empty_columns_take_their_defaults(cohort, staff):
    report = run(cohort, staff, csv_file("jyldyz@example.org,Jyldyz Asanova,jury,,,,,,"))

    assert report.imported
    jyldyz = User.objects.get(email="jyldyz@example.org")
    assert (jyldyz.country, jyldyz.preferred_language, jyldyz.region) == ("KG", "en", "")
    assert not jyldyz.languages.exists()


def test_a_dry_run_imports_nothing(cohort, staff):
    report = run(cohort, staff, csv_file(MENTEE_ROW, MENTOR_ROW), dry_run=True)

    assert report.is_valid and report.dry_run
    assert not report.imported
    assert (report.rows_read, report.to_create) == (2, 2)
    assert not User.objects.filter(email__in=["asel@example.org", "maria@example.org"]).exists()
    assert imported_emails(cohort) == set()


def test_one_bad_row_imports_nothing_and_names_its_line(cohort, staff):
    bad = "bad@example.org,Bad Date,mentee,2031-02-30,KG,,,en,"

    report = run(cohort, staff, csv_file(MENTEE_ROW, bad, MENTOR_ROW))

    assert not report.imported
    assert report.errors == ["Line 3: date_of_birth '2031-02-30' is not a date (use YYYY-MM-DD)"]
    assert not User.objects.filter(email__in=["asel@example.org", "maria@example.org"]).exists()
    assert imported_emails(cohort) == set()


BAD_ROWS = [
    pytest.param(
        ",No Email,mentee,2007-03-01,,,,,",
        "Line 2: email is empty",
        id="an empty email",
    ),
    pytest.param(
        "not-an-email,Bad Email,mentee,2007-03-01,,,,,",
        "Line 2: email 'not-an-email' is not a valid e-mail address",
        id="an invalid email",
    ),
    pytest.param(
        "a@example.org,,mentee,2007-03-01,,,,,",
        "Line 2: full_name is empty",
        id="an empty full name",
    ),
    pytest.param(
        f"a@example.org,{'N' * 151},mentor,,,,,,",
        "Line 2: full_name is longer than 150 characters",
        id="a full name too long",
    ),
    pytest.param(
        "a@example.org,No Role,,2007-03-01,,,,,",
        "Line 2: role is empty (use one of: mentee, mentor, staff, jury, partner, funder)",
        id="an empty role",
    ),
    pytest.param(
        "a@example.org,Wrong Role,student,2007-03-01,,,,,",
        "Line 2: role 'student' is not one of: mentee, mentor, staff, jury, partner, funder",
        id="an unknown role",
    ),
    pytest.param(
        "a@example.org,Dotted Date,mentee,15.04.2008,,,,,",
        "Line 2: date_of_birth '15.04.2008' is not a date (use YYYY-MM-DD)",
        id="a date in another format",
    ),
    pytest.param(
        "a@example.org,Future Date,mentee,2999-01-01,,,,,",
        "Line 2: date_of_birth '2999-01-01' is in the future",
        id="a date of birth in the future",
    ),
    pytest.param(
        "a@example.org,Old Date,mentor,1850-01-01,,,,,",
        "Line 2: date_of_birth '1850-01-01' is before 1900",
        id="a date of birth before 1900",
    ),
    pytest.param(
        "a@example.org,No Birthday,mentee,,KG,naryn,,,",
        "Line 2: date_of_birth is required for a mentee (use YYYY-MM-DD)",
        id="a mentee without a date of birth",
    ),
    pytest.param(
        "a@example.org,Wrong Country,mentor,,Kyrgyzstan,,,,",
        "Line 2: country 'KYRGYZSTAN' is not a known country code "
        "(for example KG, KZ or DE; XX for any other country)",
        id="an unknown country",
    ),
    pytest.param(
        "a@example.org,Abroad,mentor,,DE,bishkek,,,",
        "Line 2: region and district must be empty for someone living outside Kyrgyzstan "
        "(country DE)",
        id="a region for someone abroad",
    ),
    pytest.param(
        "a@example.org,Wrong Region,mentor,,KG,bishkek_city,,,",
        "Line 2: region 'bishkek_city' is not a known region code",
        id="an unknown region",
    ),
    pytest.param(
        "a@example.org,Wrong District,mentor,,KG,naryn,atbashy,,",
        "Line 2: district 'atbashy' is not a known district code",
        id="an unknown district",
    ),
    pytest.param(
        "a@example.org,Other District,mentor,,KG,naryn,leninsky,,",
        "Line 2: district 'leninsky' is not in region 'naryn'",
        id="a district of another region",
    ),
    pytest.param(
        "a@example.org,No Region,mentor,,KG,,at_bashy,,",
        "Line 2: district 'at_bashy' needs its region, naryn",
        id="a district without its region",
    ),
    pytest.param(
        "a@example.org,German Site,mentor,,,,,de,",
        "Line 2: preferred_language 'de' is not one of: en, ru, ky",
        id="a site language that does not exist",
    ),
    pytest.param(
        "a@example.org,No Colon,mentor,,,,,,ky native",
        "Line 2: languages item 'ky native' is not language:level (for example ky:native)",
        id="a language without a level",
    ),
    pytest.param(
        "a@example.org,Unknown Language,mentor,,,,,,xx:B2",
        "Line 2: language 'xx' in languages is not one of: ky, ru, en, uz, kk, tr, de, fr, zh, "
        "ja, ko",
        id="an unknown language",
    ),
    pytest.param(
        "a@example.org,Unknown Level,mentor,,,,,,en:B3",
        "Line 2: level 'B3' in languages is not one of: A1, A2, B1, B2, C1, C2, native",
        id="an unknown level",
    ),
    pytest.param(
        'a@example.org,Twice,mentor,,,,,,"en:B2, en:C1"',
        "Line 2: language 'en' appears twice in languages",
        id="a language given twice",
    ),
]


@pytest.mark.parametrize("row,message", BAD_ROWS)
def test_a_bad_row_is_refused_with_its_line_and_what_is_wrong(cohort, staff, row, message):
    report = run(cohort, staff, csv_file(row))

    assert report.errors == [message]
    assert not report.imported
    assert imported_emails(cohort) == set()


def test_every_bad_row_is_reported_at_once_in_line_order(cohort, staff):
    rows = [
        MENTEE_ROW,
        "b@example.org,Two Problems,student,tomorrow,,,,,",
        MENTOR_ROW,
        "c@example.org,Bad Country,mentor,,QQ,,,,",
    ]

    report = run(cohort, staff, csv_file(*rows))

    assert report.errors == [
        "Line 3: role 'student' is not one of: mentee, mentor, staff, jury, partner, funder",
        "Line 3: date_of_birth 'tomorrow' is not a date (use YYYY-MM-DD)",
        "Line 5: country 'QQ' is not a known country code "
        "(for example KG, KZ or DE; XX for any other country)",
    ]
    assert imported_emails(cohort) == set()


def test_codes_are_read_in_any_case(cohort, staff):
    row = (
        "Asel@Example.ORG,  Asel   Bekova ,MENTEE,2007-03-01,kg,NARYN,At_Bashy,KY,KY:Native; en:b1"
    )

    report = run(cohort, staff, csv_file(row))

    assert report.imported
    asel = User.objects.get(email="asel@example.org")
    assert (asel.full_name, asel.region, asel.district) == ("Asel Bekova", "naryn", "at_bashy")
    assert set(asel.languages.values_list("language", "level")) == {("ky", "native"), ("en", "B1")}


def test_duplicate_emails_in_the_file_are_refused(cohort, staff):
    again = "ASEL@example.org,Asel Again,mentor,,DE,,,en,"

    report = run(cohort, staff, csv_file(MENTEE_ROW, MENTOR_ROW, again))

    assert report.errors == ["Line 4: email 'asel@example.org' already appears on line 2"]
    assert imported_emails(cohort) == set()


def test_someone_already_in_the_cohort_in_the_same_role_is_refused(cohort, staff, mentee):
    row = "Mentee@example.org,Aizada Testova,mentee,2000-01-01,,,,,"

    report = run(cohort, staff, csv_file(MENTOR_ROW, row))

    assert report.errors == [
        "Line 3: mentee@example.org already takes part in this cohort as mentee"
    ]
    assert imported_emails(cohort) == set()


def test_someone_already_in_the_cohort_can_be_added_in_another_role(cohort, staff, mentee):
    report = run(cohort, staff, csv_file("mentee@example.org,Aizada Testova,jury,,,,,,"))

    assert report.imported
    assert set(
        Participation.objects.filter(user=mentee, cohort=cohort).values_list("role", flat=True)
    ) == {"mentee", "jury"}


def test_an_existing_user_is_reused_and_her_details_are_kept(cohort, staff, stranger):
    users_before = User.objects.count()
    row = "STRANGER@Example.org,A New Name,mentor,1990-05-05,DE,,,ru,de:native"

    report = run(cohort, staff, csv_file(row, MENTEE_ROW))

    assert report.imported
    assert (report.to_create, report.existing_users_reused) == (1, 1)
    assert User.objects.count() == users_before + 1
    stranger.refresh_from_db()
    assert (stranger.full_name, stranger.country, stranger.preferred_language) == (
        "Test Stranger",
        "KG",
        "en",
    )
    assert not LanguageSkill.objects.filter(user=stranger).exists()
    assert list(EmailAddress.objects.filter(user=stranger).values_list("verified", flat=True)) == [
        True
    ]
    participation = Participation.objects.get(user=stranger, cohort=cohort)
    assert (participation.role, participation.status) == ("mentor", "accepted")


def test_a_deactivated_account_is_refused(cohort, staff):
    UserFactory(email="gone@example.org", is_active=False)

    report = run(cohort, staff, csv_file("gone@example.org,Gone Person,mentor,,,,,,"))

    assert report.errors == [
        "Line 2: the account of gone@example.org is deactivated; reactivate it before importing her"
    ]


def test_column_names_are_read_in_any_case_and_trimmed(cohort, staff):
    upload = csv_file("aida@example.org,Aida Ulanova,mentor", header=" Email ,FULL_NAME, Role ")

    report = run(cohort, staff, upload)

    assert report.imported
    assert imported_emails(cohort) == {"aida@example.org"}


def test_unknown_columns_are_named(cohort, staff):
    upload = csv_file("a@example.org,A,mentor,x,y", header="email,full_name,role,phone,School")

    report = run(cohort, staff, upload)

    assert report.errors == [
        "Line 1: unknown columns: phone, School. The known columns are: email, full_name, role, "
        "date_of_birth, country, region, district, preferred_language, languages."
    ]


def test_missing_required_columns_are_named(cohort, staff):
    report = run(cohort, staff, csv_file("a@example.org", header="email"))

    assert report.errors == ["Line 1: required columns are missing: full_name, role."]


def test_a_column_given_twice_is_refused(cohort, staff):
    upload = csv_file("a@example.org,A,mentor,B", header="email,full_name,role,Full Name")

    report = run(cohort, staff, upload)

    assert report.errors == ["Line 1: the column full_name appears more than once."]


def test_a_value_in_a_column_without_a_name_is_refused(cohort, staff):
    upload = csv_file("a@example.org,A,mentor,,stray", header="email,full_name,role,,")

    report = run(cohort, staff, upload)

    assert report.errors == ["Line 2: column E has a value but no name in the header row"]


def test_empty_rows_are_skipped_and_keep_their_line_numbers(cohort, staff):
    upload = csv_file(MENTEE_ROW, "", ",,,,,,,,", "x@example.org,Bad Role,pupil,,,,,,")

    report = run(cohort, staff, upload)

    assert report.rows_read == 2
    assert report.errors == [
        "Line 5: role 'pupil' is not one of: mentee, mentor, staff, jury, partner, funder"
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        pytest.param(b"", "The file is empty", id="an empty file"),
        pytest.param(HEADER.encode(), "The file has no participants below", id="only a header"),
        pytest.param(b"\n" + HEADER.encode(), "Line 1 is empty", id="a blank first line"),
    ],
)
def test_a_file_without_participants_is_refused(cohort, staff, content, message):
    report = run(cohort, staff, SimpleUploadedFile("people.csv", content))

    assert len(report.errors) == 1 and report.errors[0].startswith(message)
    assert not report.imported


def test_a_semicolon_csv_with_a_byte_order_mark_is_read(cohort, staff):
    text = (
        "\ufeffemail;full_name;role;date_of_birth;region;district;languages\r\n"
        'asel@example.org;Асель Бекова;mentee;2007-03-01;naryn;at_bashy;"ky:native; ru:B2"\r\n'
        "nurai@example.org;Нурай Өмүрбекова;mentor;;chui;sokuluk;ky:native, ru:C1\r\n"
    )

    report = run(cohort, staff, SimpleUploadedFile("people.csv", text.encode("utf-8")))

    assert report.errors == []
    assert report.imported
    assert User.objects.get(email="nurai@example.org").full_name == "Нурай Өмүрбекова"
    assert set(
        LanguageSkill.objects.filter(user__email="asel@example.org").values_list(
            "language", "level"
        )
    ) == {("ky", "native"), ("ru", "B2")}


def test_the_separator_line_excel_writes_is_understood(cohort, staff):
    text = "sep=;\nemail;full_name;role\nbermet@example.org;Bermet Ala;partner\n"

    report = run(cohort, staff, SimpleUploadedFile("people.csv", text.encode("utf-8")))

    assert report.imported
    assert imported_emails(cohort) == {"bermet@example.org"}


def _zip_without_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _workbook_with_a_broken_sheet():
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["email", "full_name", "role"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>oops"
            target.writestr(member, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,message",
    [
        pytest.param("people.pdf", b"%PDF-1.4 ...", "Upload a .csv or an .xlsx file", id="a pdf"),
        pytest.param("people", b"email,full_name,role\n", "Upload a .csv", id="no extension"),
        pytest.param(
            "people.xlsx",
            b"email,full_name,role\na@example.org,A,mentor\n",
            "This .xlsx file is not an Excel workbook",
            id="a csv named xlsx",
        ),
        pytest.param(
            "people.xlsx",
            _zip_without_a_workbook(),
            "This .xlsx file is not an Excel workbook",
            id="a zip that is no workbook",
        ),
        pytest.param(
            "people.xlsx",
            _workbook_with_a_broken_sheet(),
            "This .xlsx file is not an Excel workbook",
            id="a workbook with a damaged sheet",
        ),
        pytest.param(
            "people.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "Old Excel files (.xls) cannot be read",
            id="an old xls workbook",
        ),
        pytest.param(
            "people.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This .csv file does not contain plain text",
            id="a binary file named csv",
        ),
        pytest.param(
            "people.csv",
            "email,full_name,role\nа@example.org,Айгүл,mentee\n".encode("utf-16"),
            "This .csv file does not contain plain text",
            id="a utf-16 csv",
        ),
        pytest.param(
            "people.csv",
            "email,full_name,role\nb@example.org,Бермет,mentor\n".encode("cp1251"),
            "This .csv file is not in the UTF-8 encoding",
            id="a windows-1251 csv",
        ),
        pytest.param(
            "people.csv",
            xlsx_bytes([["email", "full_name", "role"]]),
            "This file is an Excel workbook with a .csv name",
            id="an xlsx named csv",
        ),
    ],
)
def test_wrong_file_type_gets_a_clear_message(cohort, staff, name, content, message):
    report = run(cohort, staff, SimpleUploadedFile(name, content))

    assert len(report.errors) == 1
    assert report.errors[0].startswith(message)
    assert not report.imported


def test_a_file_over_5_mb_is_refused(cohort, staff):
    content = (HEADER + "\n").encode() + b" " * (5 * 1024 * 1024)

    report = run(cohort, staff, SimpleUploadedFile("people.csv", content))

    assert report.errors == [
        "The file is larger than 5 MB. Split it into smaller files and import them one after "
        "the other."
    ]


def test_a_workbook_that_unpacks_to_too_much_is_refused(cohort, staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (importing.MAX_UNPACKED_BYTES + 1))

    report = run(cohort, staff, SimpleUploadedFile("bomb.xlsx", buffer.getvalue()))

    assert report.errors[0].startswith("The file is larger than 5 MB")


def test_more_than_5000_rows_are_refused(cohort, staff):
    rows = [f"p{n}@example.org,Person {n},mentor,,,,,," for n in range(5001)]

    report = run(cohort, staff, csv_file(*rows))

    assert report.errors == [
        "The file has more than 5000 rows of participants. Split it into files of at most 5000 "
        "rows and import them one after the other."
    ]


def test_5000_rows_are_checked_in_a_dry_run(cohort, staff):
    rows = [f"p{n}@example.org,Person {n},mentor,,,,,,en:B2" for n in range(5000)]

    report = run(cohort, staff, csv_file(*rows), dry_run=True)

    assert report.is_valid
    assert (report.rows_read, report.to_create) == (5000, 5000)


def test_a_valid_xlsx_imports_every_row(cohort, staff):
    upload = xlsx_file(
        [
            ["Email", "Full_Name", "Role", "Date_of_birth", "Country", "Region", "District"],
            ["asel@example.org", "Asel Bekova", "mentee", dt.date(2007, 3, 1), "KG", "naryn", None],
            [
                "kanykei@example.org",
                "Kanykei Osmonova",
                "mentee",
                "2006-11-30",
                None,
                "osh",
                "alai",
            ],
            ["maria@example.org", "Maria Schulz", "mentor", None, "DE", None, None],
        ]
    )

    report = run(cohort, staff, upload)

    assert report.errors == []
    assert report.imported
    assert imported_emails(cohort) == {
        "asel@example.org",
        "kanykei@example.org",
        "maria@example.org",
    }
    assert User.objects.get(email="asel@example.org").date_of_birth == dt.date(2007, 3, 1)
    assert User.objects.get(email="kanykei@example.org").district == "alai"


def test_xlsx_rows_are_numbered_as_in_the_spreadsheet(cohort, staff):
    upload = xlsx_file(
        [
            ["email", "full_name", "role", "date_of_birth"],
            ["asel@example.org", "Asel Bekova", "mentee", dt.datetime(2007, 3, 1)],
            [None, None, None, None],
            ["b@example.org", "Bad Birthday", "mentee", 20070301],
        ]
    )

    report = run(cohort, staff, upload)

    assert report.errors == ["Line 4: date_of_birth '20070301' is not a date (use YYYY-MM-DD)"]


@pytest.mark.parametrize(
    "patched",
    [
        pytest.param("taken_places", id="her place in the cohort taken meanwhile"),
        pytest.param("find_accounts", id="her account created meanwhile"),
    ],
)
def test_a_concurrent_duplicate_rolls_back_the_whole_import(
    cohort, staff, mentee, monkeypatch, patched
):
    # The checks see the database as it was before a colleague's import committed: only
    # the unique constraints can catch what she added meanwhile.
    nothing_found = {"taken_places": set(), "find_accounts": {}}[patched]
    monkeypatch.setattr(importing, patched, lambda *args, **kwargs: nothing_found)
    row = "mentee@example.org,Aizada Testova,mentee,2000-01-01,,,,,"

    report = run(cohort, staff, csv_file(MENTOR_ROW, row))

    assert report.errors == [RACE_MESSAGE]
    assert not report.imported
    assert not User.objects.filter(email="maria@example.org").exists()
    assert Participation.objects.filter(user=mentee, cohort=cohort).count() == 1


def test_the_example_on_the_page_is_a_valid_file(cohort, staff):
    upload = SimpleUploadedFile("example.csv", importing.EXAMPLE_CSV.encode("utf-8"))

    report = run(cohort, staff, upload, dry_run=True)

    assert report.errors == []
    assert report.rows_read == 2


def test_importing_200_rows_takes_a_bounded_number_of_queries(
    cohort, staff, django_assert_max_num_queries
):
    rows = [
        f"p{n}@example.org,Person {n},mentee,2005-01-01,KG,chui,sokuluk,ru,ru:native; en:B1"
        for n in range(200)
    ]
    upload = csv_file(*rows)

    with django_assert_max_num_queries(12):
        report = run(cohort, staff, upload)

    assert report.imported
    assert Participation.objects.filter(cohort=cohort, source="import").count() == 200
    assert LanguageSkill.objects.filter(user__email__startswith="p").count() == 400


# The page ---------------------------------------------------------------------------------


def test_staff_of_another_programme_cannot_import(cohort, staff, other_staff, login):
    client = login(other_staff)

    assert client.get(import_url(cohort)).status_code == 403
    response = client.post(import_url(cohort), {"file": csv_file(MENTEE_ROW)})
    assert response.status_code == 403
    assert imported_emails(cohort) == set()


def test_a_mentee_cannot_import(cohort, mentee, login):
    client = login(mentee)

    assert client.get(import_url(cohort)).status_code == 403
    assert client.post(import_url(cohort), {"file": csv_file(MENTEE_ROW)}).status_code == 403
    assert imported_emails(cohort) == set()


def test_the_page_explains_the_columns_with_an_example(cohort, staff, login):
    response = login(staff).get(import_url(cohort))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'enctype="multipart/form-data"' in page
    assert importing.EXAMPLE_CSV.splitlines()[1] in page
    assert "<h1>Import participants</h1>" in page
    assert "preferred_language" in page and "at_bashy" in page


def test_staff_import_a_file_through_the_page(cohort, staff, login):
    client = login(staff)

    response = client.post(import_url(cohort), {"file": csv_file(MENTEE_ROW, MENTOR_ROW)})

    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:staff_cohort", args=[cohort.pk])
    assert imported_emails(cohort) == {"asel@example.org", "maria@example.org"}
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Imported 2 participants into" in page
    assert "New accounts: 2; existing accounts reused: 0." in page


def test_a_dry_run_through_the_page_says_all_rows_are_valid(cohort, staff, login):
    response = login(staff).post(
        import_url(cohort), {"file": csv_file(MENTEE_ROW, MENTOR_ROW), "dry_run": "on"}
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "All 2 rows are valid; untick 'Only check the file' to import." in page
    assert 'type="file"' in page
    assert imported_emails(cohort) == set()


def test_bad_rows_through_the_page_are_listed_with_their_lines(cohort, staff, login):
    bad = "bad@example.org,Bad Date,mentee,2031-02-30,KG,,,en,"

    response = login(staff).post(import_url(cohort), {"file": csv_file(MENTEE_ROW, bad)})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'role="alert"' in page
    assert "<li>Line 3: date_of_birth '2031-02-30' is not a date (use YYYY-MM-DD)</li>" in page
    assert "Nothing was imported" in page
    assert imported_emails(cohort) == set()


def test_the_page_asks_for_a_file(cohort, staff, login):
    response = login(staff).post(import_url(cohort), {"dry_run": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None
