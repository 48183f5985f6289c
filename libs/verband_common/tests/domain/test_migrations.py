"""Migration file naming: NNNN_lower_snake.sql, unique numbers, in order."""

from pathlib import Path

import pytest

from verband_common.migrations import PLUMBING, MigrationError, migration_files

ROOT = Path(__file__).resolve().parents[4]


def folder_with(tmp_path, *names):
    for name in names:
        (tmp_path / name).write_text("SELECT 1;")
    return tmp_path


def test_files_come_back_in_order_and_other_files_are_ignored(tmp_path):
    folder = folder_with(
        tmp_path, "0002_offers.sql", "0010_more.sql", "0001_networks.sql", "README.md", "notes.txt"
    )
    assert [p.name for p in migration_files(folder)] == [
        "0001_networks.sql",
        "0002_offers.sql",
        "0010_more.sql",
    ]


def test_an_empty_folder_has_no_migrations(tmp_path):
    assert migration_files(tmp_path) == []


@pytest.mark.parametrize(
    "name",
    [
        "1_init.sql",
        "0001-init.sql",
        "0001_Init.sql",
        "0001_.sql",
        "0001_init table.sql",
        "00001_init.sql",
        "init.sql",
    ],
)
def test_a_badly_named_migration_is_refused(tmp_path, name):
    with pytest.raises(MigrationError, match="NNNN_lower_snake.sql"):
        migration_files(folder_with(tmp_path, name))


def test_two_migrations_with_one_number_are_refused(tmp_path):
    with pytest.raises(MigrationError, match="share a number"):
        migration_files(folder_with(tmp_path, "0001_networks.sql", "0001_offers.sql"))


@pytest.mark.parametrize(
    "folder", [PLUMBING, *sorted((ROOT / "services").glob("*/*/migrations"))], ids=str
)
def test_the_repositorys_own_migrations_follow_the_rules(folder):
    assert migration_files(folder)
