"""The questions the window asks: file choices, confirmations, proof-round prompts."""
