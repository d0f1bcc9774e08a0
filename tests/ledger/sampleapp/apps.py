from django.apps import AppConfig


class LedgerSampleConfig(AppConfig):
    """A tiny domain for the ledger's tests: the ledger itself knows no fact types."""

    name = "tests.ledger.sampleapp"
    label = "ledger_sample"
    default_auto_field = "django.db.models.BigAutoField"
