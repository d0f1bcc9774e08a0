"""The open-data page says exactly which fields of each fact the feed publishes, and why."""

from html.parser import HTMLParser

import pytest

from ledger.public import declared_forms


class PublishedTable(HTMLParser):
    """The rows of the page's table of published fields: (type, [fields], when)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[list[str]]] = []
        self.in_table = self.in_cell = False
        self.cell: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in ("td", "th"):
            self.in_cell, self.cell = True, []

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_table = False
        elif self.in_cell and tag in ("td", "th"):
            self.in_cell = False
            self.rows[-1].append(self.cell)

    def handle_data(self, data):
        if self.in_cell and data.strip(" ,"):
            self.cell.append(data.strip(" ,"))


@pytest.mark.django_db
def test_the_page_lists_every_fact_type_with_exactly_the_fields_the_feed_publishes(client):
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = PublishedTable()
    table.feed(page)

    rows = {cells[0][0]: cells[1] for cells in table.rows[1:]}
    assert rows == {name: list(form.fields) or ["—"] for name, form in declared_forms().items()}
    assert rows["VolunteerCheckedIn"] == ["event_id", "volunteer_pseudonym", "method", "age_band", "checked_in_at"]
    assert rows["EventProposed"] == ["—"]
    assert "the same in every fact of one event" in page
    assert "opaque id" not in page
