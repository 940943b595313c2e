"""`pasteup edition …`: the night's edition — plan, jumps, compose, delivery to the plant, status.

Exit status as everywhere: 0 done, 1 the job ran but found errors (preflight refused pages),
2 bad input (one line on stderr naming the file and the problem; nothing written).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.work import BY_HELP, Work, add_store, edition_work
from app.errors import PasteupError

if TYPE_CHECKING:
    from argparse import Namespace

    from app.compose.layout import Finding
    from app.delivery import Delivered
    from app.model.edition import Edition

# The model, composer and writers are imported when a command runs: every `pasteup` command
# builds the parser. The commands with `--store` work on an edition in the team store as on its
# folder (app.commands.work): EDITION is then its name there.


def register(subparsers) -> None:
    edition = subparsers.add_parser("edition", help="版期：版面计划、转版、传版 (the edition)")
    sub = edition.add_subparsers(dest="edition_command", required=True, metavar="COMMAND")

    new = sub.add_parser("new", help="按版面计划新建一期 (a new edition from a plan)")
    new.add_argument("folder", type=Path)
    new.add_argument("--paper", required=True, help="报名")
    new.add_argument("--date", required=True, help="出版日期 YYYY-MM-DD")
    new.add_argument("--pages", required=True, type=int, help="版数")
    new.add_argument("--layout", default="broadsheet-8col", help="版式 (layout)")
    new.add_argument("--issue", default="", help="期号, e.g. 第12345期")
    new.add_argument("--names", default="", help="版名, comma-separated: 要闻,综合,…")
    new.add_argument("--mono", default="", help="黑白版的版序, comma-separated: 2,3")
    new.add_argument(
        "--sections", default="", help="按叠编号 (section numbering): A:8,B:4 → A01…A08, B01…B04"
    )
    new.set_defaults(func=run_new)

    add = sub.add_parser("add", help="把单版文件并入本期 (adopt a format-1 page)")
    add.add_argument("folder", type=Path)
    add.add_argument("page", type=Path)
    add.add_argument("--at", type=int, help="版序 (plan position, 1 = first)")
    add.set_defaults(func=run_add)

    upgrade = sub.add_parser("upgrade", help="单版文件升级为一期 (a page as a one-page edition)")
    upgrade.add_argument("page", type=Path)
    upgrade.add_argument("folder", type=Path)
    upgrade.set_defaults(func=run_upgrade)

    move = sub.add_parser("move", help="调整版序 (move a page in the plan)")
    move.add_argument("folder", type=Path)
    move.add_argument("page", help="版次或页面编号 (page number or id)")
    move.add_argument("--to", type=int, required=True, help="新版序 (new position)")
    add_store(move, by=True)
    move.set_defaults(func=run_move)

    remove = sub.add_parser("remove", help="撤版 (remove a page from the plan)")
    remove.add_argument("folder", type=Path)
    remove.add_argument("page")
    add_store(remove, by=True)
    remove.set_defaults(func=run_remove)

    ad = sub.add_parser("book-ad", help="订广告位 (book an ad slot on a page)")
    ad.add_argument("folder", type=Path)
    ad.add_argument("page", help="版次 (page number or id)")
    ad.add_argument("file", help="广告文件，相对版期目录 (the ad's image, relative to the folder)")
    ad.add_argument("--advertiser", default="")
    ad.add_argument("--size", required=True, help="栏×行, e.g. 4x24 (columns × body lines)")
    ad.add_argument("--at", required=True, help="起始栏,行, e.g. 4,80 (first column, first line)")
    ad.add_argument("--id", default="", help="广告编号 (default ad1, ad2 …)")
    ad.add_argument("--placeholder", action="store_true", help="占位 (a stand-in, not the ad)")
    ad.set_defaults(func=run_book_ad)

    info = sub.add_parser("info", help="版面计划 (the plan: pages, stories, jumps, ads)")
    info.add_argument("folder", type=Path)
    info.add_argument("--json", action="store_true")
    add_store(info)
    info.set_defaults(func=run_info)

    compose = sub.add_parser("compose", help="排版 (compose every page, or one)")
    compose.add_argument("folder", type=Path)
    compose.add_argument("--page", help="只排这一版 (only this page)")
    compose.add_argument("--json", action="store_true", help="per page, as `compose --json`")
    add_store(compose)
    compose.set_defaults(func=run_compose)

    export = sub.add_parser("export", help="传版：每版一个 PDF 及清单 (one PDF per page)")
    export.add_argument("folder", type=Path)
    export.add_argument("-o", "--output", type=Path, required=True, help="输出目录 (folder)")
    export.add_argument("--proof", action="store_true", help="校样 PDF (proofs)")
    export.add_argument("--pages", default="", help="只输出这些版, e.g. 1,3 (default all)")
    export.add_argument("--force", action="store_true", help="预检有错误也输出")
    export.add_argument("--json", action="store_true", help="print the manifest")
    export.add_argument("--pdfx", choices=("4", "1a"), default="4")
    export.add_argument("--profile", type=Path, help="印厂 CMYK ICC 配置文件")
    export.add_argument("--pattern", default="", help="文件名, e.g. {date}-{number}.pdf")
    export.add_argument("--jobs", type=int, default=0, help="并行进程数 (default: cores)")
    add_store(export, by=True)
    export.set_defaults(func=run_export)

    route = sub.add_parser("route", help="校样属于哪一版 (the page file a marked proof is of)")
    route.add_argument("folder", type=Path)
    route.add_argument("proof", type=Path)
    add_store(route)
    route.set_defaults(func=run_route)

    status = sub.add_parser("status", help="各版进度 (where each page stands)")
    status.add_argument("folder", type=Path)
    status.add_argument("page", nargs="?", help="改这一版的进度 (set this page's stage)")
    status.add_argument("--set", dest="stage", help="排版中/一校/二校/三校")
    status.add_argument("--by", default="", help=BY_HELP)
    status.add_argument("--json", action="store_true")
    add_store(status)
    status.set_defaults(func=run_status)

    signoff = sub.add_parser("signoff", help="签版 (sign a page off)")
    signoff.add_argument("folder", type=Path)
    signoff.add_argument("page")
    signoff.add_argument("--by", default="", help=BY_HELP)
    add_store(signoff)
    signoff.set_defaults(func=run_signoff)

    from app.commands.store import register_edition  # push, pull, history, restore

    register_edition(sub)


# -- plan --------------------------------------------------------------------------------------
def _plan(args):
    from app.model.plan import PlannedPage

    if args.pages < 1:
        raise PasteupError(f"--pages {args.pages}: 至少一版 (at least one page)")
    names = [n.strip() for n in args.names.split(",")] if args.names else []
    mono = {int(n) for n in args.mono.split(",") if n.strip().isdigit()}
    letters: list[str] = []
    for part in filter(None, (p.strip() for p in args.sections.split(","))):
        letter, _, count = part.partition(":")
        if not letter.isalpha() or not count.isdigit():
            raise PasteupError(f"--sections {args.sections}: expected e.g. A:8,B:4")
        letters += [letter.upper()] * int(count)
    if letters and len(letters) != args.pages:
        raise PasteupError(f"--sections {args.sections}: {len(letters)} 版 ≠ --pages {args.pages}")
    return [
        PlannedPage(
            name=names[i] if i < len(names) else "",
            color=(i + 1) not in mono,
            layout=args.layout,
            section=letters[i] if letters else "",
        )
        for i in range(args.pages)
    ]


def run_new(args) -> int:
    from app.model.editionfile import EDITION_FILE, save_edition
    from app.model.plan import new_edition

    if (args.folder / EDITION_FILE).exists():
        raise PasteupError(f"{args.folder}: 已有一期 (an edition exists here; nothing changed)")
    edition = new_edition(args.folder, args.paper, args.date, _plan(args), issue=args.issue)
    save_edition(edition, args.folder)
    print(f"{args.folder}: {len(edition.pages)} 版 ({', '.join(p.number for p in edition.pages)})")
    return 0


def run_add(args) -> int:
    from app.model import read_document
    from app.model.editionfile import read_edition, save_edition
    from app.model.plan import adopt_page

    edition = read_edition(args.folder)
    document = read_document(args.page)
    page, renames = adopt_page(edition, document, args.at)
    save_edition(edition)
    for old, new in renames:
        print(f"改名 renamed: {old} → {new}")
    print(f"{args.page} → 第{page.number}版 ({page.id}.json)")
    return 0


def run_upgrade(args) -> int:
    from app.model import read_document
    from app.model.editionfile import EDITION_FILE, save_edition
    from app.model.plan import upgrade_page

    if (args.folder / EDITION_FILE).exists():
        raise PasteupError(f"{args.folder}: 已有一期 (an edition exists here; nothing changed)")
    edition = upgrade_page(read_document(args.page), args.folder)
    save_edition(edition)
    print(f"{args.page} → {args.folder} (原文件保留 the page file is kept)")
    return 0


def run_move(args) -> int:
    with edition_work(args.folder, args.store, args.by) as work:
        work.lock("plan")
        edition = work.edition
        page = edition.move(args.page, args.to)
        work.save()
    print(
        f"{page.id}: → 第{page.number}版; "
        + " ".join(f"{p.number}:{p.name}" for p in edition.pages)
    )
    return 0


def run_remove(args) -> int:
    with edition_work(args.folder, args.store, args.by) as work:
        work.lock("plan")
        page = work.edition.remove(args.page)
        work.save()
    print(f"撤版 removed {page.id} ({page.name}); 页面文件保留 (its file is kept)")
    return 0


def run_book_ad(args) -> int:
    from app.model.editionfile import read_edition, save_plan
    from app.model.plan import book_ad, parse_slot

    edition = read_edition(args.folder)
    col, line, cols, lines = slot = parse_slot(args.size, args.at)
    ad = book_ad(edition, args.page, args.file, slot, args.advertiser,
                 ad_id=args.id, placeholder=args.placeholder)  # fmt: skip
    save_plan(edition)
    note = (
        ""
        if (args.folder / args.file).is_file()
        else "（广告文件尚未到 the file is not there yet）"
    )
    print(f"{ad.id}: 第{edition.page(ad.page).number}版 {cols}栏×{lines}行 at {col},{line} {note}")
    return 0


# -- reading -----------------------------------------------------------------------------------
def edition_info(edition) -> dict:
    """The plan as data: pages in order, their blocks and stories, jumps and ads."""
    pages = {p.id: p for p in edition.pages}
    return {
        "folder": str(edition.path),
        "paper": edition.paper,
        "date": edition.date,
        "weekday": edition.weekday(),
        "issue": edition.issue,
        "pages": [
            {
                "number": page.number,
                "id": page.id,
                "name": page.name,
                "color": page.color,
                "stage": page.stage,
                "blocks": [b.id for b in page.document.blocks],
                "stories": list(page.document.stories),
                "ads": [ad.id for ad in edition.ads if ad.page == page.id],
            }
            for page in edition.pages
        ],
        "jumps": [
            {
                "story": story,
                "from": pages[a.page].number,
                "to": pages[b.page].number,
                "from_block": a.block,
                "to_block": b.block,
            }
            for story, links in edition.chains().items()
            for a, b in itertools.pairwise(links)
            if a.page != b.page
        ],
        "ads": [
            {
                "id": ad.id,
                "page": pages[ad.page].number,
                "advertiser": ad.advertiser,
                "file": ad.file,
                "placeholder": ad.placeholder,
                "frame": _frame_json(ad.frame),
                "file_exists": ((edition.path or Path(".")) / ad.file).is_file(),
            }
            for ad in edition.ads
        ],
    }


def _frame_json(frame) -> dict:
    from app.model.blocks import GridFrame

    if isinstance(frame, GridFrame):
        return {"col": frame.col, "cols": frame.span, "line": frame.line, "lines": frame.depth}
    return {"x": frame.x, "y": frame.y, "w": frame.w, "h": frame.h}


def run_info(args) -> int:
    with edition_work(args.folder, args.store) as work:
        info = edition_info(work.edition)
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    print(f"{info['paper']} {info['date']} {info['weekday']} {info['issue']}")
    for page in info["pages"]:
        colour = "彩" if page["color"] else "黑"
        print(f"第{page['number']}版 {page['name']:<4} {colour} {page['stage']:<4} "
              f"{len(page['blocks'])} 块 稿件: {', '.join(page['stories'])}")  # fmt: skip
    for jump in info["jumps"]:
        print(f"转版 {jump['story']}: 第{jump['from']}版 → 第{jump['to']}版")
    for ad in info["ads"]:
        note = "（占位）" if ad["placeholder"] else ""
        print(f"广告 {ad['id']}: 第{ad['page']}版 {ad['advertiser']} {ad['file']}{note}")
    return 0


def run_compose(args) -> int:
    from app.commands.compose import layout_json
    from app.compose.edition import EditionComposer

    with edition_work(args.folder, args.store) as work:
        edition = work.edition
        wanted = [edition.page(args.page).id] if args.page else None
        layouts = EditionComposer().compose(edition, wanted)
    errors = False
    pages = []
    for page_id, layout in zip(layouts.ids, layouts.pages, strict=True):
        page = edition.page(page_id)
        errors |= any(f.severity == "error" for f in layout.findings)
        if args.json:
            pages.append({"number": page.number, "id": page.id, "name": page.name,
                          **layout_json(page.document, layout)})  # fmt: skip
        else:
            lines = len(layout.lines)
            bad = sum(1 for f in layout.findings if f.severity == "error")
            print(f"第{page.number}版 {page.name}: {lines} 行, {bad} 个错误")
    if args.json:
        print(json.dumps({"folder": str(args.folder), "pages": pages}, ensure_ascii=False))
    return 1 if errors else 0


# -- delivery ----------------------------------------------------------------------------------
# Why pages were not written, by what refused them: what to do differs (app.delivery.refusals).
REFUSED = {
    "errors": ("预检有错误，改正后重试或加 --force", "preflight errors: fix them or use --force"),
    "never": (
        "有不能付印的占位图或广告，换上正式文件",
        "placeholders or ads that cannot print: replace them",
    ),
    "pdfx4": (
        "广告只能输出 PDF/X-4，改用 --pdfx 4 或请广告公司输出 PDF/X-1a",
        "an ad allows PDF/X-4 only: export with --pdfx 4 or ask for a PDF/X-1a ad",
    ),
}


def run_export(args) -> int:
    from app.export.preflight import describe

    with edition_work(args.folder, args.store, args.by) as work:
        entries, refusals = _deliver(work, args)
    if args.json:
        print((args.output / "manifest.json").read_text("utf-8"), end="")
    refused = [e for e in entries if e.state == "refused"]
    for entry in entries:
        if not args.json:
            print(f"第{entry.number}版 {entry.file}: {entry.state}")
        for finding in refusals[entry.id]:
            print(f"第{entry.number}版 {describe(finding)}", file=sys.stderr)
    if refused:
        why = {_reason(f) for f in itertools.chain.from_iterable(refusals.values())}
        reasons = [text for key, text in REFUSED.items() if key in why]
        print(
            f"{args.output}: {len(refused)} 版未输出：{'；'.join(zh for zh, _ in reasons)} "
            f"({'; '.join(en for _, en in reasons)}; those pages not written)",
            file=sys.stderr,
        )
        return 1
    return 0


def _reason(finding: Finding) -> str:
    """Which of REFUSED a finding that refused a page is."""
    from app.delivery import NEVER_PRINTED
    from app.export.adcheck import PDFX4_ONLY

    if finding.code in PDFX4_ONLY:
        return "pdfx4"
    return "never" if finding.code in NEVER_PRINTED else "errors"


def _deliver(work: Work, args: Namespace) -> tuple[list[Delivered], dict[str, list[Finding]]]:
    """Compose, preflight and deliver the pages; record the new proof rounds and stages. The
    findings that refused each page (none: it was written) come with the entries."""
    from app.compose.edition import EditionComposer
    from app.delivery import DeliveryOptions, deliver, refusals
    from app.export.preflight import PreflightOptions, preflight
    from app.publish import ProofSettings

    edition = work.edition
    wanted = None
    if args.pages:
        wanted = [edition.page(key.strip()).id for key in args.pages.split(",") if key.strip()]
    layouts = EditionComposer().compose(edition, wanted)
    findings = {}
    for page_id, layout in zip(layouts.ids, layouts.pages, strict=True):
        document = edition.page(page_id).document
        checks = PreflightOptions(ink_limit=document.layout.max_ink, profile=args.profile)
        findings[page_id] = preflight(layout, checks)
    options = DeliveryOptions(
        proof=args.proof,
        force=args.force,
        pdfx=args.pdfx,
        profile=args.profile,
        pattern=args.pattern,
        jobs=args.jobs,
        proof_settings=ProofSettings(profile=args.profile),
    )
    entries = deliver(edition, layouts, args.output, options, findings)
    _advance(edition, entries, args.proof, work.by)
    work.save()  # the new proof rounds and stages, recorded once their PDFs exist
    return entries, {page_id: refusals(found, options) for page_id, found in findings.items()}


def _advance(edition: Edition, entries: list[Delivered], proof: bool, by: str) -> None:
    """Stages follow the delivery: a proof round moves a page to 一校/二校/三校, print of a
    signed-off page to 已付印."""
    from app.model.edition import STAGES, StatusChange
    from app.proof.rounds import now_iso

    for entry in entries:
        page = edition.page(entry.id)
        if proof and entry.proof_round:
            stage = STAGES[min(entry.proof_round, 3)]
            if page.stage != stage and page.stage not in STAGES[4:]:
                page.history.append(StatusChange(stage, by, now_iso()))
        elif not proof and entry.state != "refused" and page.stage == "签版":
            page.history.append(StatusChange("已付印", by, now_iso()))


def run_route(args) -> int:
    """Print the page a proof belongs to, by the page identity its text map carries, so
    `pasteup proof import "$(pasteup edition route DIR P.pdf)" P.pdf` files its marks: its file,
    or with `--store` EDITION/PAGE (what `proof import --store` takes)."""
    from app.compose.textmap import load_textmap
    from app.proof.pdfread import read_proof_pdf
    from app.proof.rounds import page_key

    proof = read_proof_pdf(args.proof)
    if proof.textmap is None:
        raise PasteupError(f"{args.proof}: 不是 Pasteup 校样 (no text map: not a Pasteup proof)")
    key = load_textmap(proof.textmap, str(args.proof)).page
    with edition_work(args.folder, args.store) as work:
        pages = work.edition.pages
    for page in pages:
        if page_key(page.document) == key:
            print(f"{args.folder}/{page.id}" if args.store else page.document.path)
            return 0
    raise PasteupError(
        f"{args.proof}: 本期没有这一版 (the proof is of no page of this edition: {key})"
    )


# -- status ------------------------------------------------------------------------------------
def run_status(args) -> int:
    from app.model.edition import STAGES, StatusChange
    from app.proof.rounds import now_iso, proof_status

    if args.page and args.stage not in STAGES[:4]:
        raise PasteupError(
            f"--set {args.stage}: 可设为 {'/'.join(STAGES[:4])}；签版用 signoff (use signoff)"
        )
    with edition_work(args.folder, args.store, args.by) as work:
        edition = work.edition
        if args.page:
            page = edition.page(args.page)
            page.history.append(StatusChange(args.stage, work.by, now_iso()))
            work.save()
    rows = []
    for page in edition.pages:
        last = page.history[-1] if page.history else None
        state = proof_status(page.document)
        rows.append({"number": page.number, "id": page.id, "name": page.name,
                     "stage": page.stage, "by": last.by if last else "",
                     "at": last.at if last else "", "open_corrections": state.open})  # fmt: skip
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for row in rows:
        who = f" {row['by']} {row['at']}".rstrip() if row["at"] else ""
        print(f"第{row['number']}版 {row['name']:<4} {row['stage']}{who}  待处理意见 "
              f"{row['open_corrections']}")  # fmt: skip
    return 0


def run_signoff(args) -> int:
    from app.compose.edition import EditionComposer
    from app.export.preflight import PreflightOptions, describe, preflight
    from app.model.edition import StatusChange
    from app.proof.rounds import sign_off

    with edition_work(args.folder, args.store, args.by) as work:
        page = work.edition.page(args.page)
        work.lock("page", page.id)  # the page signed off does not change under the sign-off
        layout = EditionComposer().compose(work.edition, [page.id]).pages[0]
        document = page.document
        errors = [
            f
            for f in preflight(layout, PreflightOptions(ink_limit=document.layout.max_ink))
            if f.severity == "error"
        ]
        if errors:
            raise PasteupError(
                f"{document.path}: 无法签版：预检有 {len(errors)} 个错误 (cannot sign off: "
                f"preflight errors), {describe(errors[0])}"
            )
        signed = sign_off(document, work.by)  # refuses open corrections, an unproofed version
        page.history.append(StatusChange("签版", work.by, signed.at))
        work.save()
    print(f"第{page.number}版 签版 signed off: {signed.by} {signed.at}")
    return 0
