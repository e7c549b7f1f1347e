"""The attribution wing: which copy came from which original, and whether its credit is there and true."""
