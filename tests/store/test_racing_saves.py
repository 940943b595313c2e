"""1,000 saves of one story racing from several processes: every save either becomes the next
version (on top of the one it started from) or is refused with its changes kept — none lost,
none overwritten."""

import json
import subprocess
import sys
from pathlib import Path

from app.model.editionfile import read_edition
from app.model.store.postgres import PostgresStore

ROOT = Path(__file__).resolve().parents[2]
PROCESSES, SAVES = 4, 250

RACER = """
import json, sys
from app.model.store import SaveConflict
from app.model.store.postgres import PostgresStore

url, me, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = []
with PostgresStore(url) as store:
    for i in range(count):
        tag = f"[{me}.{i}]"
        base, body = store.conn.execute(
            "SELECT version, body FROM pasteup_record WHERE edition = 'race' AND kind = 'story' "
            "AND key = 'renda'"
        ).fetchone()
        store.conn.commit()
        body["paragraphs"][-1]["text"] += tag
        try:
            out.append({"tag": tag, "version": store.save("race", "story", "renda", body, base, me)})
        except SaveConflict as refused:
            out.append({"tag": tag, "copy": int(refused.copy.lstrip("#"))})
print(json.dumps(out))
"""


def test_a_thousand_racing_saves_lose_nothing(db, edition_dir):
    with PostgresStore(db) as store:
        store.push(read_edition(edition_dir), "race", "admin")
        first = store.version("race", "story", "renda", 1)["paragraphs"][-1]["text"]
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, db, f"p{n}", str(SAVES)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    results = [json.loads(r.communicate(timeout=300)[0]) for r in racers]
    assert all(r.returncode == 0 for r in racers)
    attempts = [a for result in results for a in result]
    assert len(attempts) == PROCESSES * SAVES
    won = {a["version"]: a["tag"] for a in attempts if "version" in a}
    lost = {a["copy"]: a["tag"] for a in attempts if "copy" in a}
    assert len(won) + len(lost) == len(attempts)  # no two saves got one version
    assert won and lost  # they did race
    with PostgresStore(db) as store:
        history = store.history("race", "story", "renda")
        assert [v.version for v in history] == list(range(1, len(won) + 2))
        rows = store.conn.execute(
            "SELECT version, body FROM pasteup_version WHERE edition = 'race' AND kind = 'story' "
            "AND key = 'renda' ORDER BY version"
        ).fetchall()
        # Each version is the one before plus exactly its own saver's change.
        text = first
        for version, body in rows[1:]:
            text += won[version]
            assert body["paragraphs"][-1]["text"] == text
        copies = store.conn.execute(
            "SELECT id, body FROM pasteup_conflict WHERE edition = 'race'"
        ).fetchall()
    assert {i for i, _ in copies} == set(lost)
    for copy, body in copies:
        assert body["paragraphs"][-1]["text"].endswith(lost[copy])
