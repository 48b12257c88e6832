import datetime as dt

from ninja import Schema


class LectureOut(Schema):
    id: int
    programme_id: int
    title: str
    speaker_name: str
    speaker_kind: str
    topic: str
    stem_field: str
    language: str
    duration_minutes: int
    is_published: bool
    is_saved: bool = False
    watched_at: dt.datetime | None = None


class MaterialOut(Schema):
    id: int
    title: str
    url: str
    download_url: str


class LectureDetailOut(LectureOut):
    summary: str
    recording_url: str
    materials: list[MaterialOut]


class SavedIn(Schema):
    saved: bool = True


class WatchedIn(Schema):
    watched: bool = True


class ProgressOut(Schema):
    lecture_id: int
    saved: bool
    watched_at: dt.datetime | None


class TrainingOut(Schema):
    id: int
    programme_id: int
    cohort_id: int | None
    title: str
    trainer_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    duration_minutes: int
    venue: str
    capacity: int
    seats_taken: int
    is_published: bool
    my_status: str | None = None


class RegistrationOut(Schema):
    id: int
    training_id: int
    status: str
    position: int | None
    attended: bool
    attended_at: dt.datetime | None


class TrainingDetailOut(TrainingOut):
    description: str
    online_link: str
    my_registration: RegistrationOut | None = None


class CheckInIn(Schema):
    code: str


class CertificateOut(Schema):
    code: str
    programme_id: int
    programme_name: str
    name: str
    trainings_count: int
    issued_at: dt.datetime
    pdf_url: str
    verify_url: str
