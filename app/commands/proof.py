"""`pasteup proof …`: import annotated proofs, decide corrections, rounds, sign-off, diffs.

PAGE is a page file, or with `--store URL` EDITION/PAGE of an edition in the team store
(app.commands.work): the marks, the stories corrected and the sign-off are saved there, under
the locks a proofreader or text editor would hold."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.work import BY_HELP, add_store, page_work
from app.errors import PasteupError

if TYPE_CHECKING:
    from app.proof import corrections as corr

# The model and app.proof (pikepdf) are imported when a command runs, not when the parser is
# built: every `pasteup` command builds the parser.


def register(subparsers) -> None:
    proof = subparsers.add_parser("proof", help="校对：读入批注、处理意见、付印 (proofing)")
    sub = proof.add_subparsers(dest="proof_command", required=True, metavar="ACTION")

    imp = sub.add_parser("import", help="读入校样 PDF 上的批注 (import an annotated proof)")
    imp.add_argument("page", type=Path)
    imp.add_argument("pdf", type=Path)
    imp.add_argument(
        "--json", action="store_true", help="one JSON object per correction, every field"
    )
    add_store(imp, by=True)
    imp.set_defaults(func=run_import)

    listing = sub.add_parser("list", help="列出校对意见 (list corrections)")
    listing.add_argument("page", type=Path)
    listing.add_argument("--round", type=int)
    listing.add_argument("--author")
    listing.add_argument("--json", action="store_true")
    add_store(listing)
    listing.set_defaults(func=run_list)

    acc = sub.add_parser("accept", help="采纳并改正文 (apply corrections)")
    acc.add_argument("page", type=Path)
    acc.add_argument("ids", nargs="*", metavar="ID")
    acc.add_argument("--all", action="store_true", help="every open correction")
    acc.add_argument(
        "--reviewed",
        action="store_true",
        help="已人工核对：连同待核对的一并采纳 (apply named marks held for review)",
    )
    acc.add_argument("--by", default="", help=BY_HELP)
    add_store(acc)
    acc.set_defaults(func=run_accept)

    rej = sub.add_parser("reject", help="不采纳，保留原文 (reject, keep the text)")
    rej.add_argument("page", type=Path)
    rej.add_argument("ids", nargs="+", metavar="ID")
    rej.add_argument("--why", required=True, help="理由 (reason)")
    rej.add_argument("--by", default="", help=BY_HELP)
    add_store(rej)
    rej.set_defaults(func=run_reject)

    rep = sub.add_parser("reply", help="回复校对意见 (reply to a correction)")
    rep.add_argument("page", type=Path)
    rep.add_argument("id", metavar="ID")
    rep.add_argument("text")
    rep.add_argument("--by", default="", help=BY_HELP)
    add_store(rep)
    rep.set_defaults(func=run_reply)

    status = sub.add_parser("status", help="各校次与处理情况 (rounds and counts)")
    status.add_argument("page", type=Path)
    status.add_argument("--json", action="store_true")
    add_store(status)
    status.set_defaults(func=run_status)

    signoff = sub.add_parser("signoff", help="付印签发 (sign the page off for print)")
    signoff.add_argument("page", type=Path)
    signoff.add_argument("--by", default="", help=BY_HELP)
    add_store(signoff)
    signoff.set_defaults(func=run_signoff)

    diff = sub.add_parser("diff", help="两校次之间的改动 (changes between rounds)")
    diff.add_argument("page", type=Path)
    diff.add_argument("--from", dest="old", type=int, required=True)
    diff.add_argument("--to", dest="new", type=int, required=True)
    diff.add_argument("--json", action="store_true")
    add_store(diff)
    diff.set_defaults(func=run_diff)


def _dump(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def run_import(args) -> int:
    from app.model.files import read_regular
    from app.model.limits import MAX_PROOF_BYTES
    from app.proof import corrections as corr
    from app.proof.importer import import_proof
    from app.proof.rounds import round_name

    data = read_regular(args.pdf, MAX_PROOF_BYTES)  # not a FIFO, a device or a folder
    with page_work(args.page, args.store, args.by) as work:
        work.lock_marks()
        document = work.document
        report = import_proof(document, data, str(args.pdf))
        work.save()
    for problem in report.problems:
        print(f"pasteup: {args.pdf}: 第 {problem.page} 页 {problem.where}: {problem.message} "
              f"— 已跳过 (skipped)", file=sys.stderr)  # fmt: skip
    if report.damage:
        print(f"pasteup: {args.pdf}: 校样经其他程序改写已受损 (the proof was damaged by a "
              f"re-writer): {report.damage.reason}", file=sys.stderr)  # fmt: skip
    if args.json:
        _dump([_annotation_json(c) for c in report.corrections])
    else:
        version = "旧版本校样 (proof of an older version)" if report.older_version else "当前版本"
        print(f"{args.pdf}: {round_name(report.proof_round)}, {version}: "
              f"{len(report.corrections)} 条批注, 新增 {report.added}, 更新 {report.updated}")  # fmt: skip
        for line in _summary(report.corrections):
            print(line)
        for view in corr.views(document):
            if view.correction.id in {c.id for c in report.corrections}:
                print(_view_line(view))
    return 1 if report.problems else 0


_ACTIONS = {"delete": "删除", "insert": "插入", "replace": "替换", "comment": "批注"}


def _summary(corrections) -> list[str]:
    """One line per proofreader: how many of each action, and how many are held for review."""
    lines = []
    for author in dict.fromkeys(c.author for c in corrections):
        own = [c for c in corrections if c.author == author]
        counts = [f"{_ACTIONS[a]} {a} {n}" for a in _ACTIONS
                  if (n := sum(1 for c in own if c.action == a))]  # fmt: skip
        held = sum(1 for c in own if c.held and c.action != "comment")
        lines.append(f"  {author or '?'}: " + ", ".join(counts)
                     + (f"; 待人工核对 held for review {held}" if held else ""))  # fmt: skip
    return lines


def _annotation_json(c) -> dict:
    """Every field of a stored correction; `start`/`end`/`text` are null when not pinned."""
    return {
        "id": c.id,
        "type": c.type,
        "author": c.author,
        "created": c.created,
        "modified": c.modified,
        "contents": c.contents,
        "page": c.page,
        "block": c.block or None,
        "story": c.story or None,
        "start": c.start if c.pinned else None,
        "end": c.end if c.pinned else None,
        "text": c.text if c.pinned else None,
        "before": c.before,
        "after": c.after,
        "action": c.action,
        "replacement": c.replacement,
        "round": c.round,
        "state": c.state,
        "pinned": c.pinned,
        "reason": c.unpinned_reason,
        "review": c.review,
        "held": c.held and c.action != "comment",
        "why": c.why,
        "decided_by": c.decided_by,
        "decided_at": c.decided_at,
        "viewer_state": c.viewer_state,
        "replies": [
            {"author": r.author, "date": r.date, "text": r.text, "origin": r.origin}
            for r in c.replies
        ],
    }


def _view_line(view: corr.CorrectionView) -> str:
    c = view.correction
    where = f"{c.story}:{c.start}" if c.pinned else f"未定位 not pinned: {c.unpinned_reason}"
    if c.review and c.state == "open":
        where += f"  待人工核对 held for review: {c.review}"
    context = f"…{view.before}【{view.marked}】{view.after}…" if c.pinned else ""
    note = f"  «{c.contents}»" if c.contents and c.action != "comment" else ""
    return f"  {c.id}  [{c.state}] {c.author or '?'}  {view.proposal}{note}  {where}  {context}"


def run_list(args) -> int:
    from app.proof import corrections as corr

    with page_work(args.page, args.store) as work:
        document = work.document
    views = corr.views(document, round=args.round, author=args.author)
    if args.json:
        _dump([{**_annotation_json(v.correction), "proposal": v.proposal} for v in views])
        return 0
    current = None
    for view in views:
        group = (view.round_name, view.correction.author)
        if group != current:
            current = group
            print(f"{view.round_name} · {view.correction.author or '?'}")
        print(_view_line(view))
    return 0


def run_accept(args) -> int:
    from app.proof import corrections as corr

    if args.all == bool(args.ids):
        raise PasteupError("请给出编号或 --all (give IDs or --all, not both)")
    if args.all and args.reviewed:
        raise PasteupError("--reviewed 只用于逐条编号 (--reviewed needs IDs, not --all)")
    with page_work(args.page, args.store, args.by) as work:
        work.lock_text()  # the stories corrected, as a text editor holds them
        document = work.document
        ids = corr.open_ids(document, held=False) if args.all else args.ids
        before = _overset(document)
        outcome = corr.accept(document, ids, by=work.by, reviewed=args.reviewed)
        work.save()
    _report_overset(before, _overset(document), "采纳后 after accepting")
    if args.all and (
        held := len(corr.open_ids(document)) - len(corr.open_ids(document, held=False))
    ):
        print(f"待人工核对，未采纳 (held for review, not applied): {held}")
    return _report(outcome, "已采纳 applied")


def _overset(document) -> dict[str, int]:
    """Characters that do not fit, per block, as the page composes now."""
    from app.commands.export import compose_document
    from app.proof.rounds import overset_blocks

    return dict(overset_blocks(compose_document(document)))


def _report_overset(before: dict[str, int], after: dict[str, int], when: str) -> None:
    """Say on stderr which blocks accepted corrections pushed (further) out of their frames."""
    for block, chars in after.items():
        if chars > before.get(block, 0):
            print(f"pasteup: {block}: {when}超排 {chars} 字 (overset by {chars} characters "
                  f"{when.split(' ', 1)[1]}; was {before.get(block, 0)})", file=sys.stderr)  # fmt: skip


def run_reject(args) -> int:
    from app.proof import corrections as corr

    with page_work(args.page, args.store, args.by) as work:
        work.lock_marks()
        outcome = corr.reject(work.document, args.ids, args.why, by=work.by)
        work.save()
    return _report(outcome, "已拒绝 rejected")


def _report(outcome: corr.Outcome, verb: str) -> int:
    for key in outcome.done:
        print(f"{key}: {verb}")
    for key, reason in outcome.failed:
        print(f"pasteup: {key}: {reason}", file=sys.stderr)
    return 1 if outcome.failed else 0


def run_reply(args) -> int:
    from app.proof import corrections as corr

    with page_work(args.page, args.store, args.by) as work:
        work.lock_marks()
        c = corr.reply(work.document, args.id, args.text, by=work.by)
        work.save()
    print(f"{c.id}: 已回复 (replied), {len(c.replies)} 条")
    return 0


def run_status(args) -> int:
    from app.proof.rounds import proof_status, round_name

    with page_work(args.page, args.store) as work:
        status = proof_status(work.document)
    if args.json:
        _dump({
            "rounds": [{"number": r.number, "name": round_name(r.number), "started": r.started,
                        "version": r.document_hash} for r in status.rounds],
            "proofreaders": [{"round": c.round, "author": c.author, "open": c.open,
                              "applied": c.applied, "rejected": c.rejected} for c in status.counts],
            "open": status.open,
            "unpinned_open": status.unpinned_open,
            "held_open": status.held_open,
            "changed_since_last_round": status.changed_since_last_round,
            "signed_off": None if status.signed_off is None else {
                "by": status.signed_off.by, "at": status.signed_off.at,
                "round": status.signed_off.round},
        })  # fmt: skip
        return 0
    if not status.rounds:
        print("尚未出校样 (no proof round yet)")
    for r in status.rounds:
        print(f"{round_name(r.number)} (round {r.number})  {r.started}  版本 {r.document_hash}")
        for c in (c for c in status.counts if c.round == r.number):
            print(f"  {c.author or '?':<12} 待处理 open {c.open:>3}  已采纳 applied {c.applied:>3}"
                  f"  已拒绝 rejected {c.rejected:>3}")  # fmt: skip
    if status.changed_since_last_round:
        print("最后一次校样后版面已改动 (changed since the last proof)")
    if status.signed_off:
        s = status.signed_off
        print(f"已付印 signed off: {s.by} {s.at} ({round_name(s.round)})")
    else:
        print(f"待处理意见 open: {status.open}" + (
            f" (其中未定位 not pinned: {status.unpinned_open})" if status.unpinned_open else "")
            + (f" (待人工核对 held for review: {status.held_open})" if status.held_open else ""))  # fmt: skip
    return 0


def run_signoff(args) -> int:
    from app.commands.export import compose_document
    from app.proof.rounds import round_name, sign_off

    with page_work(args.page, args.store, args.by) as work:
        work.lock_page()  # the page signed off does not change under the sign-off
        document = work.document
        signed = sign_off(document, work.by, layout=compose_document(document))
        work.save()
    print(f"付印 signed off: {round_name(signed.round)}, {signed.by}, {signed.at}")
    return 0


def run_diff(args) -> int:
    from app.proof import corrections as corr
    from app.proof.rounds import round_diff, round_name

    with page_work(args.page, args.store) as work:
        diff = round_diff(work.document, args.old, args.new)
    if args.json:
        _dump({
            "from": diff.old.number, "to": diff.new.number,
            "stories": [{"story": s.story, "added": s.added, "removed": s.removed,
                         "changes": [{"kind": c.kind, "old_start": c.old_start, "old": c.old_text,
                                      "new_start": c.new_start, "new": c.new_text}
                                     for c in s.changes]} for s in diff.stories],
            "regions": [{"block": block, "rect_pt": [v / 64 for v in rect]}
                        for block, rect in diff.regions],
        })  # fmt: skip
        return 0
    print(f"{round_name(diff.old.number)} → {round_name(diff.new.number)}")
    if not diff.stories:
        print("  文字无改动 (no text changes)")
    for s in diff.stories:
        if s.added or s.removed:
            print(f"  {s.story}: {'新增稿件 added' if s.added else '已撤稿 removed'}")
            continue
        print(f"  {s.story}: {len(s.changes)} 处")
        for c in s.changes:
            print(f"    @{c.old_start}: 「{corr.shown(c.old_text)}」→「{corr.shown(c.new_text)}」")
    for block, (x, y, w, h) in diff.regions:
        print(
            f"  区域 region {block}: x {x / 64:.1f} y {y / 64:.1f} w {w / 64:.1f} h {h / 64:.1f} pt"
        )
    return 0
