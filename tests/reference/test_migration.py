"""Reference 0002 gives every region a country without moving a row: the table, its rows (an admin's
edits included) and the foreign keys that point to it stay, and every existing region is Kazakhstan's."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from reference.models import Region
from volunteers.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reference", "0001_initial")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor


def foreign_keys_to_regions() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {
            (table, ",".join(constraint["columns"]))
            for table in tables
            for constraint in connection.introspection.get_constraints(cursor, table).values()
            if constraint["foreign_key"] and constraint["foreign_key"][0] == "campaigns_region"
        }


def test_every_kazakh_region_and_every_foreign_key_to_it_survive_the_migration():
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "reference"]
    keys_before = foreign_keys_to_regions()
    assert ("events_event", "region_id") in keys_before and ("volunteers_organisation", "region_id") in keys_before

    # Given the regions as they were before countries, one of them edited by an admin and one referred to
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("reference", "Region")
    assert {f.name for f in old._meta.get_fields() if f.concrete} == {
        "code", "kind", "name_kk", "name_ru", "name_en", "centre_en", "population"
    }  # fmt: skip
    rows_before = sorted(
        old.objects.values_list("code", "kind", "name_kk", "name_ru", "name_en", "centre_en", "population")
    )
    assert len(rows_before) == 20
    old.objects.filter(code="KZ-62").update(population=222_333, name_en="Ulytau Region (edited)")
    organisation = Organisation.objects.create(name_en="Green Ulytau", kind="ngo", region_id="KZ-62")

    # When reference migrates forward
    migrate(latest)

    # Then the same 20 rows are there, each Kazakhstan's, the admin's edit kept
    rows_after = sorted(
        Region.objects.values_list("code", "kind", "name_kk", "name_ru", "name_en", "centre_en", "population")
    )
    edited = {row[0]: row for row in rows_before} | {
        "KZ-62": next(row for row in rows_before if row[0] == "KZ-62")[:4]
        + ("Ulytau Region (edited)", "Jezkazgan", 222_333)
    }
    assert rows_after == sorted(edited.values())
    assert set(Region.objects.values_list("country_id", flat=True)) == {"KZ"}
    assert Region.objects.get(code="KZ-62").country.time_zone == "Asia/Almaty"
    # and whatever pointed to a region still does, under a foreign key that still holds
    assert Organisation.objects.get(pk=organisation.pk).region.country_id == "KZ"
    assert foreign_keys_to_regions() == keys_before
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name_en="Nowhere", kind="ngo", region_id="KZ-99")
