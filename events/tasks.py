"""Celery tasks of events: thin, safe to run twice."""

from celery import shared_task

from events.reminders import reminders_record, survival_reminders_record


# Beat runs it every minute; a second or late run records nothing twice (events/reminders.py).
@shared_task(name="events.record_reminders", ignore_result=True)
def record_reminders() -> int:
    return reminders_record()


# Beat runs it every hour; a survival check is asked for once per event and label (events/reminders.py).
@shared_task(name="events.record_survival_reminders", ignore_result=True)
def record_survival_reminders() -> int:
    return survival_reminders_record()
