"""`stem4all expire_proposals`: expire proposals whose mentor did not answer in time,
and re-match their mentees. Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stem4all.matching.services import expire_overdue_proposals


class Command(BaseCommand):
    help = "Expire proposals past their answer date and re-match their mentees."

    def handle(self, *args, **options):
        count = expire_overdue_proposals()
        self.stdout.write(_("Expired proposals: %(count)s") % {"count": count})
