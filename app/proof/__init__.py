"""Proofing: annotations from any PDF viewer back onto the page (docs/proofing.md).

pdfread (annotations + text map from the PDF) → marks (what was meant) → pinning (which
characters) → importer (into the page document) → corrections (accept/reject/reply) →
rounds (一校/二校/三校, 付印, diffs) → answer (核红 annotations on the next proof).
"""
