"""Smoke test of an installed lexsim, for an environment that has only lexsim, numpy and scipy.

tests/python/test_wheel.py runs it in a fresh venv holding the repaired wheel, and cibuildwheel's
test-command (pyproject.toml) runs it on every wheel it builds. It touches each compiled dependency:
the C++ core, utf8proc (accent stripping, case folding) and libstemmer. Checks are explicit (not
assert) so that ``python -O`` can't skip them; any failure exits non-zero with a message.
"""

from __future__ import annotations

import importlib.metadata
import pathlib
import sys

import numpy as np

import lexsim


def check(ok: bool, what: str) -> None:
    if not ok:
        sys.exit(f"wheel smoke test failed: {what}")


def main() -> None:
    version = lexsim.__version__
    dist_version = importlib.metadata.version("lexsim")
    check(
        version == dist_version == lexsim._core.__version__,
        f"versions differ: lexsim {version}, metadata {dist_version}, _core {lexsim._core.__version__}",
    )

    docs = [
        "Erdoğan met Putin in Sochi to discuss Idlib.",
        "Erdogan and Putin discussed the Idlib ceasefire.",
        "The central bank held rates steady.",
        "Rates stay steady, the central bank said.",
    ]
    # utf8proc: both spellings become one feature, and full case folding turns "STRASSE" and
    # "Straße" into one term.
    vec = lexsim.TfidfVectorizer(strip_accents="unicode")
    X = vec.fit_transform(docs)
    names = vec.get_feature_names_out().tolist()
    check("erdogan" in names and "erdoğan" not in names, f"accents were not stripped: {names}")
    folded = lexsim.CountVectorizer(casefold=True).fit(["Straße", "STRASSE"]).get_feature_names_out().tolist()
    check(folded == ["strasse"], f"case folding gave {folded}")

    # The C++ top_k against a dense reference computed here with numpy.
    nn = lexsim.top_k(X, k=1)
    dense = X.toarray()
    sims = dense @ dense.T
    np.fill_diagonal(sims, -np.inf)
    got = [int(nn.indices[nn.indptr[i]]) for i in range(len(docs))]
    check(got == sims.argmax(axis=1).tolist(), f"top_k gave {got}, numpy {sims.argmax(axis=1).tolist()}")

    # libstemmer
    check("english" in lexsim.stemmers(), f"stemmers() = {lexsim.stemmers()}")
    stems = lexsim.CountVectorizer(stemmer="english").fit(["running runs run"]).get_feature_names_out().tolist()
    check(stems == ["run"], f"stemmer='english' gave {stems}")

    print(f"lexsim {version} from {pathlib.Path(lexsim.__file__).parent}: ok")


if __name__ == "__main__":
    main()
