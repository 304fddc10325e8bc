from __future__ import annotations

import lzma
import tempfile
from pathlib import Path
from typing import ClassVar

from django.conf import settings

from fawang.regions.importer import import_regions
from fawang.regions.models import Region
from fawang.test import BaseTestCase

SIMING = "350203"


def narrow_data_dir(target: Path, prefix: str) -> Path:
    """The shipped data with the 620k-row village list cut down to one subtree, so the test runs in a second.

    Everything else (provinces, cities, counties, towns, census) is the real file, linked.
    """
    source = Path(settings.DATA_DIR)
    (target / "divisions").mkdir()
    (target / "census").mkdir()
    for name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv"):
        (target / "divisions" / name).symlink_to(source / "divisions" / name)
    for path in (source / "census").glob("*.csv"):
        (target / "census" / path.name).symlink_to(path)
    with (
        lzma.open(source / "divisions" / "villages.csv.xz", "rt", encoding="utf-8", newline="") as src,
        lzma.open(target / "divisions" / "villages.csv.xz", "wt", encoding="utf-8", newline="") as dst,
    ):
        dst.write(next(src))
        dst.writelines(line for line in src if line.startswith(prefix))
    return target


class ImportRegionsTestCase(BaseTestCase):
    _tmp: ClassVar[tempfile.TemporaryDirectory[str]]
    data_dir: ClassVar[Path]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._tmp = tempfile.TemporaryDirectory()
        cls.data_dir = narrow_data_dir(Path(cls._tmp.name), SIMING)

    @classmethod
    def tearDownClass(cls) -> None:
        cls._tmp.cleanup()
        super().tearDownClass()

    def test_import_of_a_narrow_subtree_is_idempotent(self) -> None:
        # The session database already holds 厦门市; a corrupted row must be put right by the upsert.
        Region.objects.filter(code=SIMING).update(name="错误名称", population=1)
        before = Region.objects.count()

        first = import_regions(["35"], data_dir=self.data_dir, only_under=[SIMING])
        after_first = Region.objects.count()
        second = import_regions(["35"], data_dir=self.data_dir, only_under=[SIMING])

        # Every province, city and county of China; towns and villages of 思明区 only.
        expected = {1: 31, 2: 342, 3: 2978, 4: 10, 5: 99}
        self.assertEqual(first.by_level, expected)
        self.assertEqual(second.by_level, expected)
        self.assertEqual(first.total, sum(expected.values()))
        self.assertEqual(after_first, before)  # nothing of 思明区 was missing, nothing was added twice
        self.assertEqual(Region.objects.count(), after_first)
        self.assertFalse(Region.objects.filter(level=Region.Level.TOWN, code__startswith="3505").exists())

        siming = Region.objects.get(code=SIMING)
        self.assertEqual(siming.name, "思明区")
        self.assertEqual(siming.population, 1073315)  # 第七次全国人口普查
        self.assertEqual(siming.full_name, "福建省厦门市思明区")
        village = Region.objects.get(code="350203001001")
        self.assertEqual(village.full_name, "福建省厦门市思明区厦港街道鸿山社区居委会")
        self.assertEqual(village.parent_id, "350203001")
        self.assertEqual(village.level, Region.Level.VILLAGE)

    def test_placeholder_levels_are_left_out_of_full_names(self) -> None:
        import_regions(["35"], data_dir=self.data_dir, only_under=[SIMING])
        self.assertEqual(Region.objects.get(code="1101").full_name, "北京市")  # 市辖区
        self.assertEqual(Region.objects.get(code="110101").full_name, "北京市东城区")
