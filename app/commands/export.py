"""`pasteup export` (print or proof PDF) and `pasteup preflight`.

Exit status: 0 written / clean, 1 preflight found errors (print export then refuses
unless --force), 2 bad input (one line on stderr, nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.work import Work, add_store, page_work
from app.errors import PasteupError

if TYPE_CHECKING:
    from argparse import Namespace

    from app.compose.layout import PageLayout
    from app.model import PageDocument

# ReportLab, Pillow and the composer are imported when a command runs, not when the
# parser is built: every `pasteup` command builds the parser, and they cost 0.4 s.


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help="输出印刷或校样 PDF (write the print or proof PDF)"
    )
    export.add_argument("page", type=Path)
    export.add_argument("-o", "--output", type=Path, required=True, help="PDF to write")
    export.add_argument("--proof", action="store_true", help="校样 PDF (RGB, 文本映射, 校次+1)")
    export.add_argument("--pdfx", choices=("4", "1a"), default="4", help="PDF/X level (default 4)")
    export.add_argument("--profile", type=Path, help="印厂 CMYK ICC 配置文件 (printer's profile)")
    export.add_argument("--marks", action="store_true", help="裁切线、套准线与版面信息")
    export.add_argument("--watermark", default="", help="校样水印文字 (proof watermark)")
    export.add_argument(
        "--no-answers",
        dest="answers",
        action="store_false",
        help="不在校样上标出上一轮的处理结果 (leave out last round's decisions)",
    )
    export.add_argument(
        "--force", action="store_true", help="预检有错误也输出 (write despite errors)"
    )
    export.add_argument("--words", type=Path, help="词表: banned or confused words (UTF-8)")
    export.add_argument("--lang", choices=("zh", "en"), default="zh")
    add_store(export, by=True)
    export.set_defaults(func=run_export)

    check = subparsers.add_parser("preflight", help="印前预检 (check the page for print)")
    check.add_argument("page", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable findings")
    check.add_argument("--profile", type=Path, help="印厂 CMYK ICC 配置文件 (printer's profile)")
    check.add_argument("--words", type=Path, help="词表: banned or confused words (UTF-8)")
    check.add_argument("--lang", choices=("zh", "en"), default="zh")
    add_store(check)
    check.set_defaults(func=run_preflight)


def compose_document(document: PageDocument) -> PageLayout:
    """The page as the composition engine sets it (the display list both renderers draw)."""
    from app.compose.edition import compose_page

    return compose_page(document)


def run_preflight(args) -> int:
    from app.export.preflight import describe, findings_json, has_errors
    from app.publish import print_check

    with page_work(args.page, args.store) as work:
        document = work.document
        _check_profile(args.profile)
        findings = print_check(document, compose_document(document), args.profile, _words(args))
    if args.json:
        print(findings_json(findings))
    else:
        for finding in findings:
            print(describe(finding, args.lang))
        if not findings:
            print("预检通过 (preflight clean)" if args.lang == "zh" else "preflight clean")
    return 1 if has_errors(findings) else 0


def run_export(args) -> int:
    with page_work(args.page, args.store, args.by) as work:
        return _export(work, args)


def _export(work: Work, args: Namespace) -> int:
    from app.model.save import refuse_overwrite
    from app.publish import export_print, prefetch_pictures, print_check, unusable

    document = work.document
    refuse_overwrite(args.output, document.input_files())
    _check_profile(args.profile)
    # photos decode in a thread from here on, beside the imports and composition below
    pictures = None if args.proof else prefetch_pictures(document, args.profile)
    from app.export.preflight import describe, has_errors

    layout = compose_document(document)
    if args.proof:
        return _export_proof(work, layout, args)
    from app.export.fonts import subset_page_fonts

    subset_page_fonts(layout)  # while the photos finish converting
    assert pictures is not None  # made for every print export above
    pictures.join()
    findings = print_check(document, layout, args.profile, _words(args))
    for finding in unusable(findings):
        raise PasteupError(f"{args.page}: {describe(finding, args.lang)}")
    if has_errors(findings) and not args.force:
        for finding in findings:
            if finding.severity == "error":
                print(describe(finding, args.lang), file=sys.stderr)
        print(
            f"{args.output}: 预检有错误，未输出；改正后重试或加 --force "
            "(preflight errors: nothing written; fix them or use --force)",
            file=sys.stderr,
        )
        return 1
    export_print(
        document, layout, args.output, pdfx=args.pdfx, profile=args.profile, marks=args.marks
    )
    print(f"{args.output}: PDF/X-{args.pdfx} {_summary(findings, args.lang)}")
    return 0


def _export_proof(work: Work, layout: PageLayout, args: Namespace) -> int:
    from app.publish import ProofSettings, export_proof

    document = work.document
    settings = ProofSettings(profile=args.profile, watermark=args.watermark, answers=args.answers)
    proof_round = export_proof(document, layout, args.output, settings)
    work.save()  # the new round is recorded only once its proof exists
    print(f"{args.output}: 第{proof_round.number}轮校样 (proof round {proof_round.number})")
    from app.proof.rounds import overset_after_corrections

    for block, chars in overset_after_corrections(document, layout):
        print(f"pasteup: {block}: 采纳校对修改后超排 {chars} 字 (overset by {chars} characters "
              "after accepted corrections)", file=sys.stderr)  # fmt: skip
    return 0


def _check_profile(profile: Path | None) -> None:
    """A profile that cannot be the output intent is named as such before any photo is
    converted with it (else the photo would be blamed)."""
    if profile is not None:
        from app.export.iccprofile import read_print_profile

        read_print_profile(profile)


def _words(args) -> tuple:
    from app.export.wordlist import read_word_list

    return read_word_list(args.words) if args.words else ()


def _summary(findings, language: str) -> str:
    warnings = sum(1 for f in findings if f.severity == "warning")
    errors = sum(1 for f in findings if f.severity == "error")
    if language == "zh":
        return f"（预检：{errors} 个错误，{warnings} 个警告）"
    return f"(preflight: {errors} errors, {warnings} warnings)"
