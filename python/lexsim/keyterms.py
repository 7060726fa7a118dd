"""Key terms: the words an analyst would pick for a document or a group of documents.

:func:`key_terms` scores each term of a document (or of a group's summed counts) by its keyness,
Dunning's log-likelihood G2 of the term's raw count against a background, and ranks only the
over-represented terms. Equal scores are broken by the higher raw count, then by the earlier first
occurrence in the document (never alphabetically). :class:`Background` says what a document is
compared with: the other documents of the corpus, a saved model's counts, or a general
word-frequency table (``wordfreq``) blended with the other documents.
"""

from __future__ import annotations

import functools
import gc
import math
import numbers
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Optional

import numpy as np

from . import _arrow
from ._lazy import scipy_sparse as sp

__all__ = ["Background", "KeyTerm", "key_terms", "term_occurrences"]

#: The analysis parameters a background's table must be analysed with to match a vectorizer.
_ANALYSIS_PARAMS = (
    "lowercase",
    "strip_accents",
    "stop_words",
    "token_pattern",
    "ngram_range",
    "analyzer",
    "normalization",
    "casefold",
    "stemmer",
    "preprocessor",
    "tokenizer",
)

#: Pseudo-tokens of general language the wordfreq background adds to the other documents.
DEFAULT_ALPHA = 100_000.0


class KeyTerm(NamedTuple):
    """One ranked term of a document or group."""

    #: The term (a feature name of the vectorizer).
    term: str
    #: Its keyness (G2, positive) or, with ``scoring='tfidf'``, its TF-IDF weight.
    score: float
    #: Its raw count in the document (summed over a group's members).
    raw_count: int
    #: The position of its first occurrence among the document's terms (from 0; for a group, in
    #: the first member, in member order, that has it).
    first: int


class Occurrences(NamedTuple):
    """What :func:`term_occurrences` returns."""

    #: Raw counts, documents x vocabulary (int64 CSR, sorted column indices).
    counts: sp.csr_matrix
    #: Aligned with ``counts.data``: each term's first position in its document.
    first: np.ndarray
    #: Per document: how many terms the analyzer produced (in the vocabulary or not).
    lengths: np.ndarray


# ------------------------------------------------------------------------------------ occurrences
def _is_lexsim(vectorizer: Any) -> bool:
    from .vectorizers import CountVectorizer, TfidfVectorizer

    return isinstance(vectorizer, (CountVectorizer, TfidfVectorizer))


def term_occurrences(vectorizer: Any, documents: Sequence[Any]) -> Occurrences:
    """Raw counts and first positions of a fitted vectorizer's terms in each document.

    One analysis per document, in the C++ core for a lexsim vectorizer (threads: the vectorizer's
    ``n_jobs``); a position counts the terms the analyzer produces (stop words removed), from 0.

    Parameters
    ----------
    vectorizer : fitted lexsim or scikit-learn vectorizer
        Gives the analysis and the vocabulary.
    documents : sequence of str (or what the vectorizer's ``input`` reads)
        The documents.

    Returns
    -------
    Occurrences
        ``counts`` (CSR, int64), ``first`` (aligned with ``counts.data``) and ``lengths``.

    Examples
    --------
    >>> import lexsim
    >>> vec = lexsim.CountVectorizer().fit(["the cat sat on the mat"])
    >>> occ = lexsim.term_occurrences(vec, ["a mat, the cat, the mat"])
    >>> dict(zip(vec.get_feature_names_out()[occ.counts.indices], zip(occ.counts.data.tolist(), occ.first.tolist())))
    {'cat': (1, 2), 'mat': (2, 0), 'the': (2, 1)}
    """
    if isinstance(documents, (str, bytes)):
        raise TypeError("documents must be a sequence of documents, not a single str or bytes")
    if _is_lexsim(vectorizer):
        engine = vectorizer._with_jobs(vectorizer._fitted_native())
        in_core = vectorizer._engine_native_mode(engine, vectorizer._native_mode())
        docs = vectorizer._documents(documents, native=in_core)
        items = docs if in_core else vectorizer._analyze_all(docs)
        (data, indices, indptr, shape), first, lengths = engine.occurrences(items, not in_core)
        counts = sp.csr_matrix((data, indices, indptr), shape=tuple(shape))
        return Occurrences(counts, np.asarray(first), np.asarray(lengths))
    if not hasattr(vectorizer, "build_analyzer") or not hasattr(vectorizer, "vocabulary_"):
        raise TypeError(
            f"vectorizer must be a fitted lexsim or scikit-learn vectorizer, got {type(vectorizer).__name__}"
        )
    analyze = vectorizer.build_analyzer()
    vocabulary = vectorizer.vocabulary_
    documents = _arrow.as_python(documents)  # a peer's analyzer needs str
    indptr, indices, data, firsts, lengths = [0], [], [], [], []
    for doc in documents:
        seen: dict[int, list] = {}
        terms = analyze(doc)
        for pos, t in enumerate(terms):
            j = vocabulary.get(t)
            if j is None:
                continue
            if j in seen:
                seen[j][0] += 1
            else:
                seen[j] = [1, pos]
        for j in sorted(seen):
            indices.append(j)
            data.append(seen[j][0])
            firsts.append(seen[j][1])
        indptr.append(len(indices))
        lengths.append(len(terms))
    counts = sp.csr_matrix(
        (np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(lengths), len(vocabulary)),
    )
    return Occurrences(counts, np.asarray(firsts, dtype=np.int64), np.asarray(lengths, dtype=np.int64))


# ------------------------------------------------------------------------------------ backgrounds
def _analysis_of(vectorizer: Any) -> dict[str, Any]:
    params = vectorizer.get_params()
    return {k: params[k] for k in _ANALYSIS_PARAMS if k in params}


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(str(v) for v in value)) if isinstance(value, (set, frozenset)) else tuple(value)
    return value


@functools.lru_cache(maxsize=4)
def _wordfreq_table(lang: str, wordlist: str, analysis: tuple) -> tuple[dict[str, float], float]:
    """wordfreq's words mapped through the analysis: term -> probability among the kept terms, and
    the smallest probability of the list (the floor for unseen terms)."""
    try:
        import wordfreq
    except ImportError as e:
        raise ImportError("background='wordfreq' needs the wordfreq package: pip install 'lexsim[wordfreq]'") from e
    from .vectorizers import CountVectorizer

    table = wordfreq.get_frequency_dict(lang, wordlist)
    words = list(table)
    freqs = np.fromiter((table[w] for w in words), dtype=np.float64, count=len(words))
    vec = CountVectorizer(**dict(analysis), n_jobs=-1)
    try:
        W = vec.fit_transform(words)
    except ValueError:  # nothing survives the analysis
        return {}, 0.0
    mass = np.asarray(W.T @ freqs).ravel()
    total = float(mass.sum())
    if total <= 0:
        return {}, 0.0
    names = vec.get_feature_names_out()
    p = mass / total
    return dict(zip(names.tolist(), p.tolist())), float(p[p > 0].min())


class Background:
    """What key terms are compared with: a table of term counts, and whether the corpus's other
    documents count too.

    The reference a document (or group) is scored against has, for each term t,
    ``b_t = rest_t + weight * table_t`` occurrences out of ``B = N_rest + weight * table_total``,
    where ``rest`` is the rest of the corpus (every document but this one, or but the group's
    members) when ``use_rest`` is true, and 0 otherwise. Build one with :meth:`corpus`,
    :meth:`wordfreq`, :meth:`from_model` or :meth:`from_counts`.
    """

    def __init__(
        self,
        table: Optional[Mapping[str, float]],
        total: float,
        *,
        weight: float = 1.0,
        use_rest: bool,
        floor: float = 0.0,
        name: str,
        analysis: Optional[dict] = None,
    ) -> None:
        self.table = dict(table) if table is not None else None
        self.total = float(total)
        self.weight = float(weight)
        self.use_rest = bool(use_rest)
        self.floor = float(floor)
        self.name = name
        self.analysis = analysis

    def __repr__(self) -> str:
        return f"Background({self.name!r})"

    @classmethod
    def corpus(cls) -> Background:
        """The other documents of the corpus (for a group: the documents outside it)."""
        return cls(None, 0.0, use_rest=True, name="the other documents")

    @classmethod
    def wordfreq(
        cls, vectorizer: Any, *, lang: str = "en", wordlist: str = "large", alpha: float = DEFAULT_ALPHA
    ) -> Background:
        """wordfreq's word frequencies, as ``alpha`` pseudo-tokens added to the other documents.

        wordfreq's words go through the vectorizer's own analysis (case, accent folding, stop
        words, token pattern), so ``Erdoğan`` in the table is ``erdogan`` when accents are folded;
        the frequencies are renormalised over the terms that survive. A term wordfreq does not
        list gets the list's smallest frequency. So the reference is
        ``b_t = rest_t + alpha * max(p_t, p_min)`` out of ``N_rest + alpha``.

        Parameters
        ----------
        vectorizer : lexsim or scikit-learn vectorizer
            Its analysis parameters (fitted or not).
        lang, wordlist : str, default='en', 'large'
            Passed to ``wordfreq.get_frequency_dict``.
        alpha : float, default=100000
            How many tokens of general language the table weighs, against the corpus's own.
        """
        if (
            not (isinstance(alpha, numbers.Real) and not isinstance(alpha, bool))
            or not math.isfinite(alpha)
            or alpha <= 0
        ):
            raise ValueError(f"alpha must be a positive finite number, got {alpha!r}")
        analysis = _analysis_of(vectorizer)
        if any(callable(analysis.get(k)) for k in analysis):
            raise ValueError("background='wordfreq' needs a vectorizer without Python callables in its analysis")
        key = tuple(sorted((k, _freeze(v)) for k, v in analysis.items()))
        table, floor = _wordfreq_table(lang, wordlist, key)
        return cls(
            table,
            1.0,
            weight=float(alpha),
            use_rest=True,
            floor=floor,
            name=f"wordfreq '{lang}'{'' if alpha == DEFAULT_ALPHA else f' (alpha {alpha:,.0f})'} + the other documents",
            analysis=analysis,
        )

    @classmethod
    def from_model(cls, model: Any, *, name: Optional[str] = None) -> Background:
        """A saved model's counts (a model file path, or a fitted lexsim vectorizer).

        Uses the model's total term counts when it has them (every model ``lexsim fit`` and
        ``vectorizer.save`` write after a fit holds them, unpruned), else its document frequencies
        (a model whose counts were not kept: a vectorizer restored without them, or with ``idf_``
        set by hand). The other documents of the corpus are not added.

        Parameters
        ----------
        model : str, path-like or fitted lexsim vectorizer
            The model file, or the vectorizer itself.
        name : str, default=None
            How :attr:`name` calls it (default: the path, or the vectorizer's class).
        """
        from ._errors import NotFittedError
        from .model import load

        vec: Any = model if _is_lexsim(model) else load(model)
        vec = getattr(vec, "vectorizer", vec)  # an index file: its vectorizer's counts
        label: Any = (
            name
            if name is not None
            else (os.fspath(model) if isinstance(model, (str, bytes, os.PathLike)) else type(model).__name__)
        )
        if isinstance(label, bytes):
            label = label.decode("utf-8", "replace")
        try:
            counts = vec.corpus_counts_
            table = dict(zip(counts.terms.tolist(), counts.total_counts.tolist()))
            what = "term totals"
        except (NotFittedError, AttributeError, ValueError):
            native = vec._fitted_native()
            table = dict(zip(native.feature_names(), native.document_frequencies()))
            what = "document frequencies"
        total = float(sum(table.values()))
        return cls(table, total, use_rest=False, name=f"model {label} ({what})", analysis=_analysis_of(vec))

    @classmethod
    def from_counts(cls, counts: Mapping[str, float], *, use_rest: bool = False, name: str = "counts") -> Background:
        """Any table of term counts (already analysed terms -> non-negative numbers)."""
        if not isinstance(counts, Mapping):
            raise TypeError(f"counts must be a mapping of terms to numbers, got {type(counts).__name__}")
        values = np.asarray(list(counts.values()), dtype=np.float64)
        if values.size and (not np.all(np.isfinite(values)) or values.min() < 0):
            raise ValueError("counts must be finite non-negative numbers")
        return cls(counts, float(values.sum()), use_rest=use_rest, name=name)

    def column_counts(self, feature_names: Sequence[str]) -> np.ndarray:
        """table_t for each feature (the floor for terms the table lacks)."""
        if self.table is None:
            return np.zeros(len(feature_names))
        get = self.table.get
        floor = self.floor
        return np.fromiter((max(get(t, 0.0), floor) for t in feature_names), dtype=np.float64, count=len(feature_names))


def _background(value: Any, vectorizer: Any) -> Background:
    if isinstance(value, Background):
        return value
    if isinstance(value, str) and value == "corpus":
        return Background.corpus()
    if isinstance(value, str) and value == "wordfreq":
        return Background.wordfreq(vectorizer)
    if _is_lexsim(value) or isinstance(value, (str, bytes, os.PathLike)):
        return Background.from_model(value)
    raise TypeError(
        "background must be 'corpus', 'wordfreq', a model file path, a fitted lexsim vectorizer or a "
        f"lexsim.Background, got {type(value).__name__}"
    )


# ------------------------------------------------------------------------------------ scoring
def g2(a: np.ndarray, c: np.ndarray, b: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Dunning's log-likelihood G2 of ``a`` occurrences in ``c`` against ``b`` in ``e``.

    ``G2 = 2 (a ln(a / E1) + b ln(b / E2))`` with ``E1 = c (a + b) / (c + e)`` and
    ``E2 = e (a + b) / (c + e)``; a zero count contributes nothing.
    """
    a, c, b, e = (np.asarray(x, dtype=np.float64) for x in (a, c, b, e))
    both = a + b
    with np.errstate(divide="ignore", invalid="ignore"):
        E1 = c * both / (c + e)
        E2 = e * both / (c + e)
        t1 = np.where(a > 0, a * np.log(a / E1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / E2), 0.0)
    return np.maximum(2.0 * (t1 + t2), 0.0)


def _groups(groups: Any, n_docs: int) -> list[np.ndarray]:
    if hasattr(groups, "groups") and hasattr(groups, "labels"):  # lexsim.StoryGroups
        groups = [g.members for g in groups]
    if isinstance(groups, (str, bytes)) or not isinstance(groups, (Sequence, np.ndarray)):
        raise TypeError(f"groups must be a sequence of sequences of document positions, got {type(groups).__name__}")
    out = []
    for k, g in enumerate(groups):
        members = np.asarray(getattr(g, "members", g))
        if members.ndim != 1 or (members.size and not np.issubdtype(members.dtype, np.integer)):
            raise TypeError(f"group {k} must be a sequence of document positions (ints)")
        members = members.astype(np.int64)
        if members.size and (members.min() < 0 or members.max() >= n_docs):
            bad = int(members[(members < 0) | (members >= n_docs)][0])
            raise ValueError(f"group {k} names document {bad}, out of range for {n_docs} documents")
        out.append(members)
    return out


def _rank(
    rows: np.ndarray,
    score: np.ndarray,
    count: np.ndarray,
    first: np.ndarray,
    cols: np.ndarray,
    n_rows: int,
    n: int,
    names: np.ndarray,
) -> list:
    """Per row, the n best entries: score down, count down, first position up, column up."""
    order = np.lexsort((cols, first, -count, -score, rows))
    r = rows[order]
    starts = np.searchsorted(r, np.arange(n_rows))
    keep = order[np.arange(len(r)) - starts[r] < n]
    fields = zip(
        names[cols[keep]].tolist(), score[keep].tolist(), count[keep].astype(np.int64).tolist(), first[keep].tolist()
    )
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small tuples: the collector would rescan them again and again
    try:
        items = list(map(KeyTerm._make, fields))
    finally:
        if enabled:
            gc.enable()
    bounds = np.searchsorted(rows[keep], np.arange(n_rows + 1)).tolist()
    return [items[bounds[i] : bounds[i + 1]] for i in range(n_rows)]


def key_terms(
    vectorizer: Any,
    documents: Sequence[Any],
    n: int = 10,
    *,
    scoring: str = "keyness",
    background: Any = "corpus",
    groups: Any = None,
    X: Any = None,
    ids: Optional[Sequence[Any]] = None,
    as_frame: bool = False,
) -> Any:
    """Each document's (or group's) ``n`` key terms, best first.

    With ``scoring='keyness'`` (the default), a term's score is Dunning's log-likelihood

    ``G2 = 2 (a ln(a / E1) + b ln(b / E2))``, ``E1 = c (a + b) / (c + B)``, ``E2 = B (a + b) / (c + B)``

    where ``a`` is its raw count in the document (summed over a group's members), ``c`` the
    document's number of terms (after stop words), and ``b`` out of ``B`` its count in the
    background (see :class:`Background`). Only over-represented terms (``a / c > b / B``) are
    ranked. With ``scoring='tfidf'`` the score is the term's weight in ``X`` (for a group, in the
    mean of its members' L2-normalised rows), as :func:`lexsim.top_terms` ranks them.

    Equal scores go to the higher raw count, then to the earlier first occurrence in the document
    (for a group, in its first member that has the term), then to the lower column.

    With ``background='corpus'`` a corpus of one document, or a group holding every document, has
    nothing to be compared with, so it has no key terms; ``'wordfreq'`` still compares it with
    English.

    Parameters
    ----------
    vectorizer : fitted lexsim or scikit-learn vectorizer
        Gives the analysis and the terms.
    documents : sequence of str
        The documents (those ``X`` was made from, when given).
    n : int, default=10
        Terms per document or group.
    scoring : {'keyness', 'tfidf'}, default='keyness'
    background : 'corpus', 'wordfreq', model path, fitted lexsim vectorizer or Background, default='corpus'
        What documents are compared with: the other documents; wordfreq's English frequencies
        (100,000 pseudo-tokens) plus the other documents; or a saved model's counts.
    groups : StoryGroups or sequence of sequences of int, default=None
        Score each group's summed counts instead of each document (e.g. ``lexsim.group(...)``).
    X : sparse matrix, default=None
        The documents' TF-IDF weights for ``scoring='tfidf'`` (default: ``vectorizer.transform``).
    ids : sequence, default=None
        One id per document (or group), for the ``id`` column of the frame.
    as_frame : bool, default=False
        Return a long pandas DataFrame with columns ``rank, doc`` (or ``group``), ``id`` (when
        ``ids`` is given), ``term, score, count, first``; rank starts at 1.

    Returns
    -------
    list of list of KeyTerm
        One list per document (or group): ``(term, score, raw_count, first)``.

    Examples
    --------
    >>> import lexsim
    >>> docs = ["Putin met Assad in Moscow; Assad thanked Putin", "Erdogan met Putin in Sochi"]
    >>> vec = lexsim.CountVectorizer(stop_words="english").fit(docs)
    >>> [t.term for t in lexsim.key_terms(vec, docs, n=2)[0]]
    ['assad', 'moscow']
    """
    if not (isinstance(n, numbers.Integral) and not isinstance(n, bool)):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n <= 0:
        raise ValueError(f"n must be a positive integer, got {n}")
    if scoring not in ("keyness", "tfidf"):
        raise ValueError(f"scoring must be 'keyness' or 'tfidf', got {scoring!r}")
    occ = term_occurrences(vectorizer, documents)
    names = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    C = occ.counts
    n_docs = C.shape[0]
    F = sp.csr_matrix((occ.first, C.indices, C.indptr), shape=C.shape)
    lengths = occ.lengths.astype(np.float64)
    if groups is not None:
        members = _groups(groups, n_docs)
        n_rows = len(members)
        # Membership matrix: summed counts; first occurrence = (member order, position).
        G = sp.csr_matrix(
            (
                np.ones(sum(len(m) for m in members)),
                np.concatenate(members) if members else [],
                np.cumsum([0] + [len(m) for m in members]),
            ),
            shape=(n_rows, n_docs),
        )
        counts = (G @ C).tocsr()
        counts.sort_indices()
        row_len = np.asarray(G @ lengths).ravel()
        big = int(occ.lengths.max(initial=0)) + 1
        first_rows = []
        for m in members:  # the smallest (order, position) of each column in the group
            best: dict[int, int] = {}
            for order, d in enumerate(m.tolist()):
                b, e = F.indptr[d], F.indptr[d + 1]
                for j, f in zip(F.indices[b:e].tolist(), F.data[b:e].tolist()):
                    v = order * big + f
                    if j not in best or v < best[j]:
                        best[j] = v
            first_rows.append(best)
        rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
        cols = counts.indices
        a = counts.data.astype(np.float64)
        first = np.fromiter(
            (first_rows[r][j] for r, j in zip(rows.tolist(), cols.tolist())), dtype=np.int64, count=len(cols)
        )
    else:
        n_rows = n_docs
        rows = np.repeat(np.arange(n_rows), np.diff(C.indptr))
        cols = C.indices
        a = C.data.astype(np.float64)
        first = occ.first
        row_len = lengths
        members = None
    if scoring == "keyness":
        bg = _background(background, vectorizer)
        if bg.analysis is not None and _is_lexsim(vectorizer):
            mine = _analysis_of(vectorizer)
            differ = [k for k in mine if k in bg.analysis and repr(_freeze(mine[k])) != repr(_freeze(bg.analysis[k]))]
            if differ:
                warnings.warn(
                    f"the background {bg.name} was analysed differently ({differ[0]}={bg.analysis[differ[0]]!r}, "
                    f"here {mine[differ[0]]!r}): its terms may not match",
                    UserWarning,
                    stacklevel=2,
                )
        c = row_len[rows]
        table = bg.column_counts(names.tolist())[cols] * bg.weight
        b, e = table, np.full(len(cols), bg.weight * bg.total)
        if bg.use_rest:
            totals = np.asarray(C.sum(axis=0)).ravel().astype(np.float64)
            b = b + totals[cols] - a
            e = e + float(lengths.sum()) - c
        score = g2(a, c, b, e)
        keep = a * e > b * c
    else:
        if X is None:
            X = vectorizer.transform(documents)
        X = sp.csr_matrix(X, dtype=np.float64)
        if X.shape != C.shape:
            raise ValueError(f"X has shape {X.shape}, but the documents and vectorizer give {C.shape}")
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        U = sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ X
        if members is not None:
            sizes = np.array([max(len(m), 1) for m in members], dtype=np.float64)
            U = sp.diags(1.0 / sizes) @ (G @ U) if n_rows else U[:0]
        U = sp.csr_matrix(U)
        weights = np.asarray(U[rows, cols]).ravel() if len(rows) else np.zeros(0)
        score = weights
        keep = score > 0
    ranked = _rank(rows[keep], score[keep], a[keep], first[keep], cols[keep], n_rows, n, names)
    if ids is not None and len(ids) != n_rows:
        raise ValueError(f"ids has {len(ids)} entries for {n_rows} {'groups' if groups is not None else 'documents'}")
    if not as_frame:
        return ranked
    from ._similarity_args import _pandas

    unit = "group" if groups is not None else "doc"
    records = []
    for r, terms in enumerate(ranked):
        for k, t in enumerate(terms, 1):
            rec: dict[str, Any] = {"rank": k, unit: r}
            if ids is not None:
                rec["id"] = ids[r]
            rec.update(term=t.term, score=t.score, count=t.raw_count, first=t.first)
            records.append(rec)
    columns = ["rank", unit] + (["id"] if ids is not None else []) + ["term", "score", "count", "first"]
    return _pandas().DataFrame(records, columns=columns)
