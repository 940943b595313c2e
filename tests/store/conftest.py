"""A real PostgreSQL server for the team-store tests: one throw-away cluster per session, and a
fresh database (schema applied) per test."""

import itertools
import shutil
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from tools.pgcluster import Cluster  # noqa: E402

SAMPLE = ROOT / "assets" / "samples" / "edition"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def cluster():
    with Cluster() as running:
        yield running


@pytest.fixture
def db(cluster) -> str:
    """The URL of a new, empty database on the session's server, its schema made by db init."""
    name = f"t{next(_numbers)}"
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # a name made here, not input
    url = cluster.url.rsplit("/", 1)[0] + "/" + name
    from app.model.store.postgres import PostgresStore

    with PostgresStore(url) as store:
        store.init()
    return url


@pytest.fixture
def edition_dir(tmp_path) -> Path:
    folder = tmp_path / "edition"
    shutil.copytree(SAMPLE, folder)
    return folder
