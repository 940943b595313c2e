"""Proof rounds and corrections as saved in the page document.

The proofing package (app/proof) owns the behaviour; this module only holds the
data and its JSON codec so the page document can carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.model.fields import Where, as_dict, as_list


@dataclass(frozen=True, slots=True)
class ProofState:
    rounds: tuple[dict, ...] = ()
    corrections: tuple[dict, ...] = ()
    signed_off: dict = field(default_factory=dict)


def proof_from_json(value: Any, where: Where) -> ProofState:
    data = as_dict(value, where, ("rounds", "corrections", "signed_off"))
    return ProofState(
        rounds=tuple(
            as_list(
                data.get("rounds", []),
                where.key("rounds"),
                lambda v, w: dict(as_dict(v, w, v.keys() if isinstance(v, dict) else ())),
            )
        ),
        corrections=tuple(
            as_list(
                data.get("corrections", []),
                where.key("corrections"),
                lambda v, w: dict(as_dict(v, w, v.keys() if isinstance(v, dict) else ())),
            )
        ),
        signed_off=dict(
            as_dict(
                data.get("signed_off", {}),
                where.key("signed_off"),
                data.get("signed_off", {}).keys()
                if isinstance(data.get("signed_off", {}), dict)
                else (),
            )
        ),
    )


def proof_to_json(state: ProofState) -> dict:
    out: dict[str, Any] = {"rounds": list(state.rounds), "corrections": list(state.corrections)}
    if state.signed_off:
        out["signed_off"] = state.signed_off
    return out
