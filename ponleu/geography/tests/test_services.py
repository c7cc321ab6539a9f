import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ponleu.geography import selectors, services
from ponleu.geography.models import AdminUnit, code_range

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def gazetteer(django_db_setup, django_db_blocker):
    """The whole gazetteer, loaded once for this module (about 16,000 rows) and removed after."""
    with django_db_blocker.unblock():
        result = services.gazetteer_load()
    yield result
    with django_db_blocker.unblock():
        for level in ("village", "commune", "district", "province"):
            AdminUnit.objects.filter(level=level).delete()


def test_load_gives_the_official_counts_and_is_idempotent(gazetteer):
    expected = {"province": 25, "district": 210, "commune": 1652, "village": 14578}
    assert gazetteer.counts == expected
    assert gazetteer.created + gazetteer.unchanged + gazetteer.updated == sum(expected.values())
    again = services.gazetteer_load()
    assert again.counts == expected
    assert (again.created, again.updated, again.unchanged) == (0, 0, sum(expected.values()))
    assert AdminUnit.objects.count() == sum(expected.values())


def test_every_unit_hangs_under_its_parent_code(gazetteer):
    orphans = [
        u.code for u in AdminUnit.objects.exclude(level="province") if not u.code.startswith(u.parent_id)
    ]
    assert orphans == []


def test_subtree_of_a_district_is_one_query(gazetteer):
    with CaptureQueriesContext(connection) as queries:
        units = list(AdminUnit.objects.within("0201").values_list("code", flat=True))
    assert len(queries) == 1
    assert units[0] == "0201"
    assert all(code.startswith("0201") for code in units)
    # Banan (0201): the district, its communes and villages, none of Thma Koul's (0202).
    assert (
        AdminUnit.objects.within("0201").filter(level="commune").count()
        == AdminUnit.objects.filter(parent_id="0201").count()
    )
    assert not any(code.startswith("0202") for code in units)


def test_subtree_of_battambang_matches_the_provenance_counts(gazetteer):
    battambang = AdminUnit.objects.within("02")
    assert battambang.filter(level="district").count() == 14
    assert battambang.filter(level="commune").count() == 103
    assert battambang.filter(level="village").count() == 844


def test_code_range_is_half_open():
    assert code_range("0201") == ("0201", "0202")
    assert code_range("09") == ("09", "0:")  # ':' sorts right after '9'
    with pytest.raises(ValueError, match="NCDD"):
        code_range("KH02")


@pytest.mark.parametrize(
    ("raw", "code"), [("KH0201", "0201"), ("201", "0201"), ("02010101", "02010101"), ("2", "02")]
)
def test_codes_from_other_systems_are_normalised(raw, code):
    assert services.normalise_code(raw) == code


def test_labels_read_village_to_province(gazetteer):
    unit = selectors.unit_get("02010101")
    assert selectors.unit_label(unit, "en") == "Thmei, Kantueu Muoy, Banan, Battambang"
    assert selectors.unit_label(unit, "km").startswith("ថ្មី")


def test_village_search_accepts_khmer_latin_and_khmer_digits(gazetteer):
    communes = {u.code for u in selectors.units_search(query="Kantueu", level="commune")}
    assert "020101" in communes
    thmei = {u.code for u in selectors.units_search(query="thmei", limit=500)}
    assert "02010101" in thmei
    # Khmer digits fold to ASCII: "តាអ៊ិន១" is found by typing "តាអ៊ិន1" too.
    typed_ascii = {u.code for u in selectors.units_search(query="តាអ៊ិន1")}
    typed_khmer = {u.code for u in selectors.units_search(query="តាអ៊ិន១")}
    assert "01021201" in typed_ascii
    assert typed_ascii == typed_khmer
    khmer = {u.code for u in selectors.units_search(query="ថ្មី", limit=2000)}
    assert "02010101" in khmer


def test_retired_units_are_kept_inactive(gazetteer, tmp_path):
    source = services.GAZETTEER_CSV.read_text(encoding="utf-8").splitlines()
    trimmed = [
        line for line in source if ",02010102," not in line and not line.startswith("village,02010102")
    ]
    path = tmp_path / "gazetteer.csv"
    path.write_text("\n".join(trimmed) + "\n", encoding="utf-8")
    result = services.gazetteer_load(path)
    assert result.retired == 1
    assert AdminUnit.objects.get(code="02010102").is_active is False
