"""Adversarial notice inputs, shared by the hostile-letter tests and `benchmarks/notice_adversarial.py`."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

VOCAB = ("photo copyright owner please remove https://x.example/a infringing material located at signed by contact "
         "information at [private] email: tel 555 1234 address: 12 Main St. good faith belief perjury accurate "
         "authorized to act Sincerely, John Smith mistake consent to jurisdiction service of process our original "
         "work the copyrighted code I, name: article 16 illegal because bona fide accurate complete ** __ <b> > ? : "
         "- 1. what files should be taken down? www.x.com/b repo called a/b").split()


def adversarial_inputs(n: int) -> Iterator[tuple[str, str, bytes]]:
    """(kind, file name, bytes) of about n characters each."""
    rng = random.Random(n)
    letter = ("I am the owner of the photo and I have a good faith belief that the use is not authorized. " * n)[:n]
    yield "one-line-letter", "letter.txt", letter.encode()
    yield "random-words-one-line", "words.txt", " ".join(rng.choice(VOCAB) for _ in range(n // 5))[:n].encode()
    yield "random-words-lines", "lines.txt", "\n".join(" ".join(rng.choice(VOCAB) for _ in range(8))
                                                        for _ in range(n // 50))[:n].encode()
    for name, unit in (("a-space", "a "), ("digits", "1 "), ("long-word", "a"), ("newlines", "\n"),
                       ("private", "[private"), ("stars", "*"), ("angle", "<"), ("tabs", "\t "), ("caps", "Abc "),
                       ("dots", ". "), ("colons", "contact: "), ("emails", "a.b@c.d "), ("at", "x AT y "),
                       ("questions", "What files should be taken down?\n"), ("urls-glued", "https://a.b/c"),
                       ("brackets", "[x]("), ("parens", "("), ("percent", "%2"), ("quotes", "\"'")):
        run = (unit * (n // len(unit) + 1))[:n]
        yield name, f"{name}.txt", f"Please remove my photo.\n{run}\nSincerely, Jo Smith".encode()
    yield "url-list", "urls.txt", ("Please remove:\n" + "\n".join(
        f"https://www.site.example/p/{i}" for i in range(n // 30))).encode()
    count = n // 30
    yield "json-urls", "many.json", json.dumps({"body": "Please remove the infringing copies.",
                                                "infringing_urls": [f"https://www.site.example/p/{i}"
                                                                    for i in range(count)]}).encode()
