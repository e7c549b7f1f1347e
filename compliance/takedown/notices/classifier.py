"""A small learned reader of what a letter asks for (kind and remedy), trained on the labelled letters to operators.

The hand-written rules recognise the cues they were written for and fall back to a default (`notice`/`remove`, or
`other`/`none` when nothing fired) on wording they never saw; on letters never read before, those defaults were
wrong about half the time (issue 8). Character 3- to 5-grams inside words carry across wording and across the
languages letters arrive in. Each letter is the set of its hashed n-grams (present or not), after folding away
what says nothing about the request: URLs, e-mail addresses, digits and the names and hosts of the service the
letter was sent to. The model is a multinomial logistic regression with an L2 penalty over the joint classes
`kind/remedy`. Weights ship in `classifier.npz` beside this module (hashed: no word of a letter is in the file);
`python benchmarks/notice_operator.py --train` writes them from the labelled letters, `--forward` measures how the
method does on each batch of letters before it was trained on it.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from compliance.takedown.notices.service import NO_SERVICE, Service

BUCKETS = 1 << 13
NGRAMS = (3, 4, 5)
HEAD = 20000  # characters read: the request is in the opening of a letter, not in a quoted appendix
C = 10.0  # inverse L2 weight on the summed loss (scikit-learn's C); 1 to 100 gave the same forward figures
MODEL_FILE = Path(__file__).with_name("classifier.npz")

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT = re.compile(r"\d")

Floats = npt.NDArray[np.float64]


def normalise(text: str, service: Service = NO_SERVICE) -> str:
    """Case folded; URLs, addresses and digits folded to one marker word each, the addressee's names and hosts too."""
    text = text[:HEAD]
    text = _URL.sub(" url ", text)
    text = _EMAIL.sub(" email ", text)
    for name in (*service.names, *service.domains()):
        if name:
            text = re.sub(re.escape(name), " operator ", text, flags=re.IGNORECASE)
    return " ".join(_DIGIT.sub("0", text.casefold()).split())


def features(text: str, service: Service = NO_SERVICE) -> npt.NDArray[np.int64]:
    """The sorted hashed ids of the character n-grams inside each word (padded with a space either side)."""
    ids: set[int] = set()
    for word in set(normalise(text, service).split()):
        padded = f" {word} "
        for n in NGRAMS:
            if len(padded) <= n:
                ids.add(zlib.crc32(padded.encode()) % BUCKETS)
                break
            for i in range(len(padded) - n + 1):
                ids.add(zlib.crc32(padded[i : i + n].encode()) % BUCKETS)
    return np.array(sorted(ids), dtype=np.int64)


def _vector(ids: npt.NDArray[np.int64]) -> Floats:
    row = np.zeros(BUCKETS)
    row[ids] = 1.0
    return row


@dataclass(frozen=True)
class Classifier:
    """Weights (buckets x classes) and biases of the joint classes `kind/remedy`."""

    classes: tuple[str, ...]
    weights: Floats
    bias: Floats

    def probabilities(
        self, text: str, service: Service = NO_SERVICE
    ) -> dict[str, float]:
        ids = features(text, service)
        logits = self.bias + self.weights[ids].sum(axis=0)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        return {c: float(x) for c, x in zip(self.classes, p)}

    def predict(self, text: str, service: Service = NO_SERVICE) -> tuple[str, str]:
        """The likeliest (kind, remedy)."""
        probs = self.probabilities(text, service)
        kind, remedy = max(probs, key=lambda c: probs[c]).split("/")
        return kind, remedy


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    service: Service = NO_SERVICE,
    *,
    c: float = C,
) -> Classifier:
    """Fit on letters and their `kind/remedy` labels: summed cross-entropy + |W|^2 / 2c, biases unpenalised.

    Few letters, many features: W lies in the span of the letters' vectors (the representer theorem), so with the
    thin SVD X = U S V^T the problem is one over Z = V^T W with the letters' n coordinates U S, solved by Newton's
    method (deterministic; a few dozen steps)."""
    classes = tuple(sorted(set(labels)))
    x = np.stack([_vector(features(t, service)) for t in texts])
    y = np.zeros((len(texts), len(classes)))
    y[np.arange(len(texts)), [classes.index(label) for label in labels]] = 1.0
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    g = np.hstack(
        [u * s, np.ones((len(texts), 1))]
    )  # the letters' coordinates and a column for the biases
    z = _newton(g, y, 1.0 / c)
    return Classifier(classes, vt.T @ z[:-1], z[-1])


def _objective(g: Floats, y: Floats, z: Floats, ridge: Floats) -> tuple[float, Floats]:
    logits = g @ z
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return float(-(y * log_p).sum() + 0.5 * (ridge[:, None] * z * z).sum()), np.exp(
        log_p
    )


def _newton(g: Floats, y: Floats, penalty: float, steps: int = 100) -> Floats:
    """Minimise the penalised multinomial log-loss over Z (rows: coordinates, then biases; columns: classes)."""
    m, k = g.shape[1], y.shape[1]
    ridge = np.full(m, penalty)
    ridge[-1] = 0.0
    z = np.zeros((m, k))
    value, p = _objective(g, y, z, ridge)
    for _ in range(steps):
        grad = g.T @ (p - y) + ridge[:, None] * z
        if np.abs(grad).max() < 1e-8:
            break
        hessian = np.empty((k, m, k, m))
        for a in range(k):
            for b in range(k):
                weight = p[:, a] * ((a == b) - p[:, b])
                hessian[a, :, b, :] = g.T @ (g * weight[:, None])
        flat = hessian.reshape(k * m, k * m) + np.diag(
            np.tile(ridge, k) + 1e-9
        )  # 1e-9: the softmax's free shift
        direction = np.linalg.solve(flat, grad.T.reshape(-1)).reshape(k, m).T
        t = 1.0
        while True:
            candidate, p_candidate = _objective(g, y, z - t * direction, ridge)
            if (
                candidate <= value - 1e-4 * t * float((grad * direction).sum())
                or t < 1e-8
            ):
                break
            t /= 2
        z, value, p = z - t * direction, candidate, p_candidate
    return z


def save(classifier: Classifier, path: Path, **meta: Any) -> None:
    """Write the weights as float32 (what the predictor needs) with the facts of their training beside them."""
    np.savez_compressed(
        path,
        classes=np.array(classifier.classes),
        weights=classifier.weights.astype(np.float32),
        bias=classifier.bias,
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )


@lru_cache(maxsize=4)
def load(path: Path = MODEL_FILE) -> Classifier | None:
    """The shipped model, or None when the file is absent (the rules then decide alone)."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        return Classifier(
            tuple(str(c) for c in data["classes"]),
            data["weights"].astype(np.float64),
            data["bias"].astype(np.float64),
        )


def facts(path: Path = MODEL_FILE) -> dict[str, Any]:
    """What the shipped weights were trained on (letters, the training set's SHA-256, buckets, c)."""
    with np.load(path, allow_pickle=False) as data:
        loaded: dict[str, Any] = json.loads(str(data["meta"]))
    return loaded
