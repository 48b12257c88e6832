from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    url: str
    params: dict
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        from .texts import notification_title

        return notification_title(obj)

    @staticmethod
    def resolve_text(obj) -> str:
        from .texts import notification_text

        return notification_text(obj)


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkedOut(Schema):
    marked: int
