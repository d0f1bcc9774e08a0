"""Projection tables of the sample domain."""

from django.db import models


class SampleTotal(models.Model):
    """Async projection: the amount tallied per counter, and by how many facts."""

    counter = models.CharField(max_length=50, primary_key=True)
    amount = models.BigIntegerField(default=0)
    facts = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.counter}: {self.amount}"


class SampleStreamTally(models.Model):
    """Inline projection: the amount tallied per stream, and the stream's last version."""

    stream = models.CharField(max_length=200, primary_key=True)
    amount = models.BigIntegerField(default=0)
    version = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.stream}@{self.version}: {self.amount}"
