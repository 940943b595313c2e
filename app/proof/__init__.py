"""Proofing: annotations from any PDF viewer back onto the page (docs/proofing.md).

pdfread (annotations + text map from the PDF, within `limits`) → marks (what was meant;
`notes` reads 改为… as an instruction) → pinning (which characters) → importer (into the
page document; `damage` tells a proof a re-writer damaged) → corrections (accept/reject/
reply) → rounds (一校/二校/三校, 付印, diffs) → answer (核红 annotations on the next proof).
"""
