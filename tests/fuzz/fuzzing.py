"""One fuzz case end to end: an input of one of the five kinds put in place in a work folder,
the commands a user would run on it, and the judgement (harness.py) of every outcome.

Shared by the CI tests (test_fuzz.py, hypothesis-driven) and the long campaign (campaign.py).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import edition_mutators
from edition_mutators import edition_input, materialise, seed_edition, snapshot
from harness import Harness, Outcome
from mutators import (
    LAYOUT,
    SAMPLE,
    layout_input,
    page_input,
    proof_input,
    seed_layout,
    seed_page,
    story_input,
)

KINDS = ("page", "layout", "story", "proof", "edition")
CORPUS = Path(__file__).with_name("corpus")
SUFFIX = {"page": ".json", "layout": ".toml", "story": ".txt", "proof": ".pdf", "edition": ".json"}


class Fuzzer:
    """Work folders for each kind, set up once; `run` puts an input in place and runs it."""

    def __init__(self, work: Path, harness: Harness) -> None:
        self.work = work
        self.harness = harness
        self.page_seed = seed_page()
        self.layout_seed = seed_layout()
        self.edition_seed = seed_edition()
        for kind in KINDS:
            folder = work / kind
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(SAMPLE / "photo-placeholder.jpg", folder)
        layout_page = {**self.page_seed, "layout": "fuzz"}
        (work / "layout" / "page.json").write_text(json.dumps(layout_page, ensure_ascii=False))
        shutil.copy(LAYOUT, work / "layout" / "fuzz.toml")
        self.proof_page = work / "proof" / "page.json"
        self.proof_page.write_text(json.dumps(self.page_seed, ensure_ascii=False))
        made = harness.run(
            ["export", self.proof_page, "--proof", "-o", "proof.pdf"], work / "proof"
        )
        assert made.kind == "ok", made
        self.proof = (work / "proof" / "proof.pdf").read_bytes()
        self.proof_page_bytes = self.proof_page.read_bytes()

    def make(self, kind: str, rnd: random.Random) -> bytes:
        if kind == "page":
            return page_input(rnd, self.page_seed)
        if kind == "layout":
            return layout_input(rnd, self.layout_seed)
        if kind == "story":
            return story_input(rnd)
        if kind == "edition":
            return edition_input(rnd, self.edition_seed)
        return proof_input(rnd, self.proof)

    def run(self, kind: str, data: bytes, choice: int = 0) -> list[Outcome]:
        """The outcomes of the commands run on `data`; `choice` picks the follow-up command."""
        folder = self.work / kind
        run = self.harness.run
        if kind == "edition":
            return self.run_edition(data)
        if kind == "page":
            page = folder / "page.json"
            page.write_bytes(data)
            first = run(["validate", page], folder)
            if first.kind != "ok":
                return [first]
            follow = (["compose", page], ["preflight", page], ["export", page, "-o", "out.pdf"],
                      ["info", page])[choice % 4]  # fmt: skip
            return [first, run(follow, folder)]
        if kind == "layout":
            (folder / "fuzz.toml").write_bytes(data)
            first = run(["validate", "page.json"], folder)
            return [first] if first.kind != "ok" else [first, run(["compose", "page.json"], folder)]
        if kind == "story":
            story = folder / "story.txt"
            story.write_bytes(data)
            first = run(["import-story", story, "--json"], folder)
            if first.kind != "ok" or choice % 3:
                return [first]
            return [first, run(["fit", story, "--width", "13字"], folder)]
        self.proof_page.write_bytes(self.proof_page_bytes)
        self.proof_page.with_name("page.json.bak").unlink(missing_ok=True)
        (folder / "marked.pdf").write_bytes(data)
        outcome = run(["proof", "import", self.proof_page, "marked.pdf"], folder)
        return [outcome, self.page_kept(folder)]

    def run_edition(self, data: bytes) -> list[Outcome]:
        """`edition status` on the folder, then the input's command, each followed by a look at
        the folder and beside it: a refused or read-only command changed nothing, a writing one
        only the edition's JSON files (and the plant folder), and a folder that opened still
        opens."""
        root = self.work / "edition"
        folder, plant = root / "ed", root / "plant"
        materialise(data, folder)
        shutil.rmtree(plant, ignore_errors=True)
        before = snapshot(root, skip=plant.name)
        first = self.harness.run(["edition", "status", folder, "--json"], root)
        outcomes = [first, _kept(before, snapshot(root, skip=plant.name), first, writes=False)]
        if first.kind != "ok":
            return outcomes
        index, argv = edition_mutators.command(data, folder, plant)
        outcome = self.harness.run(argv, root)
        writes = index not in edition_mutators.READ_ONLY
        after = snapshot(root, skip=plant.name)
        outcomes += [outcome, _kept(before, after, outcome, writes=writes)]
        again = self.harness.run(["edition", "status", folder, "--json"], root)
        if again.kind != "ok":
            detail = f"after {' '.join(argv[:2])}: {again.detail}"
            outcomes.append(Outcome("lost-page", again.code, detail))
        return outcomes

    def page_kept(self, folder: Path) -> Outcome:
        """A save after a proof import left a page (and backup) that still loads."""
        for name in ("page.json", "page.json.bak"):
            if (folder / name).exists():
                check = self.harness.run(["validate", name], folder)
                if check.kind != "ok":
                    return Outcome("lost-page", check.code, f"{name}: {check.detail}")
        return Outcome("ok", 0)


def _kept(before: dict, after: dict, outcome: Outcome, *, writes: bool) -> Outcome:
    """Whether a command left the user's folder as it may: untouched when it only reads or
    was refused; otherwise nothing but its JSON files (and their .bak) written, nothing gone."""
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    allowed = writes and outcome.kind in ("ok", "findings")
    wrong = [
        k
        for k in changed
        if not allowed
        or k not in after
        or not k.startswith("ed/")
        or not k.endswith((".json", ".json.bak"))
    ]
    if wrong:
        return Outcome("overwrote", outcome.code, f"{outcome.kind}: changed {wrong[:5]}")
    return Outcome("ok", 0)


def keep(kind: str, data: bytes) -> Path:
    """Save a failing input to the regression corpus (corpus/KIND/)."""
    folder = CORPUS / kind
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (hashlib.sha1(data).hexdigest()[:12] + SUFFIX[kind])
    path.write_bytes(data)
    return path
