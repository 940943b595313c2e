"""Working through an outage: the server stops while someone works; their edits wait in the
local journal and are saved when it is back — or kept as a conflict copy if someone else saved
the record meanwhile. A server of its own, so the other tests' server stays up."""

import pytest
from test_store import edit_story

from app.model.editionfile import read_edition
from app.model.store import SaveConflict
from app.model.store.checkout import Offline
from app.model.store.postgres import PostgresStore
from tools.pgcluster import Cluster


@pytest.fixture(scope="module")
def server():
    with Cluster() as running:
        with PostgresStore(running.url) as store:
            store.init()
        yield running


def test_edits_made_while_the_server_is_down_are_saved_afterwards(server, edition_dir, tmp_path):
    with PostgresStore(server.url) as store, PostgresStore(server.url) as other:
        store.push(read_edition(edition_dir), "outage", "admin")
        checkout = store.open("outage", tmp_path / "w")
        theirs = other.open("outage", tmp_path / "o")
        server.halt()
        try:
            edit_story(checkout.edition, "renda", "断线时一")
            with pytest.raises(Offline, match="journal"):
                checkout.save("story", "renda", "李编辑")
            edit_story(checkout.edition, "renda", "断线时二")
            with pytest.raises(Offline):
                checkout.save("story", "renda", "李编辑")
            edit_story(checkout.edition, "lead", "断线时")
            with pytest.raises(Offline):
                checkout.save("story", "lead", "李编辑")
            assert checkout.pending() == [("story", "lead"), ("story", "renda")]
            with pytest.raises(Offline):
                checkout.sync()  # still down: the journal stays
        finally:
            server.start()
        edit_story(theirs.edition, "lead", "别人先存")  # someone saved the lead meanwhile
        assert theirs.save("story", "lead", "王编辑") == 2
        results = checkout.sync()
        assert results[("story", "renda")] == 2
        assert isinstance(results[("story", "lead")], SaveConflict)
        assert checkout.pending() == []
        text = store.version("outage", "story", "renda", 2)["paragraphs"][-1]["text"]
        assert text.endswith("断线时一断线时二")
        copy = int(results[("story", "lead")].copy.lstrip("#"))
        kept = store.conn.execute(
            "SELECT body FROM pasteup_conflict WHERE id = %s", (copy,)
        ).fetchone()[0]
        assert kept["paragraphs"][-1]["text"].endswith("断线时")
