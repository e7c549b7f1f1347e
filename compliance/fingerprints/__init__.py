"""Fingerprints shared by both wings: text normalisation, simhash, image hashes and metadata, the Hamming index (pure)."""
