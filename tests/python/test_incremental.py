"""partial_fit, merge and out-of-core fits: exactly what one fit on all the documents gives.

Every way of fitting on parts (partial_fit part by part, fit then partial_fit, a tree of merges of
pickled parts as a distributed reduction does it, fit / fit_transform / transform on a generator in
small batches) is compared with one lexsim fit on the whole corpus, exactly, and that fit with
scikit-learn's, for many configurations and partitionings.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import types
import weakref

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import read_news_seeds, read_sentences
from sklearn.feature_extraction import text as sk

import lexsim


def words(doc: str) -> list[str]:
    """A callable analyzer (module level, so that vectorizers using it pickle)."""
    return [w.strip(".,;:!?\"'()").lower() for w in doc.split() if len(w) > 2]


FIXED = ["the", "film", "zebra", "putin", "erdoğan", "syria", "of", "and", "never seen"]

# (name, parameters): each is checked with TfidfVectorizer, and with CountVectorizer unless it sets
# a TF-IDF parameter.
CONFIGS = [
    ("defaults", {}),
    ("min_df, max_df as ints", {"min_df": 3, "max_df": 300}),
    ("min_df, max_df as proportions", {"min_df": 0.001, "max_df": 0.3}),
    ("max_features with ties at the cut", {"max_features": 500}),
    ("ngram_range (1, 2)", {"ngram_range": (1, 2), "min_df": 2}),
    ("char_wb", {"analyzer": "char_wb", "ngram_range": (2, 3)}),
    ("binary, max_features", {"binary": True, "max_features": 800}),
    ("sublinear_tf, l1", {"sublinear_tf": True, "norm": "l1"}),
    ("use_idf False", {"use_idf": False}),
    ("smooth_idf False", {"smooth_idf": False}),
    ("fixed vocabulary", {"vocabulary": FIXED}),
    ("stop words, accents", {"stop_words": "english", "strip_accents": "unicode"}),
    ("callable analyzer", {"analyzer": words, "min_df": 2}),
    ("float32", {"dtype": np.float32, "min_df": 2}),
]
COUNT_PARAMS = {"sublinear_tf", "norm", "use_idf", "smooth_idf"}


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return read_sentences()[:6000] + read_news_seeds()[1]


@pytest.fixture(scope="module")
def unseen() -> list[str]:
    return read_sentences()[6000:6500]


def partitionings(n: int) -> list[list[tuple[int, int]]]:
    """2 halves; 3 uneven parts; 7 parts, three of them empty."""
    return [
        [(0, n // 2), (n // 2, n)],
        [(0, 10), (10, n * 2 // 3), (n * 2 // 3, n)],
        [(0, 0), (0, 1), (1, n // 5), (n // 5, n // 5), (n // 5, n // 2), (n // 2, n - 3), (n - 3, n)],
    ]


def assert_same_matrix(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit: the arithmetic is the same


def assert_same_fit(got, want, docs: list[str], unseen: list[str]) -> None:
    assert got.get_feature_names_out().tolist() == want.get_feature_names_out().tolist()
    if getattr(want, "use_idf", False):
        assert got.idf_.dtype == want.idf_.dtype
        assert np.array_equal(got.idf_, want.idf_)
    a, b = got.corpus_counts_, want.corpus_counts_
    assert a.terms.tolist() == b.terms.tolist()
    assert np.array_equal(a.document_frequencies, b.document_frequencies)
    assert np.array_equal(a.total_counts, b.total_counts)
    assert a.n_documents == b.n_documents
    assert_same_matrix(got.transform(docs), want.transform(docs))
    assert_same_matrix(got.transform(unseen), want.transform(unseen))


def merge_tree(parts: list) -> object:
    """Pairwise merges of pickled parts, as a tree reduction over workers does them."""
    parts = [pickle.loads(pickle.dumps(p)) for p in parts]
    while len(parts) > 1:
        merged = [parts[i].merge(parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        if len(parts) % 2:
            merged.append(parts[-1])
        parts = [pickle.loads(pickle.dumps(p)) for p in merged]
    return parts[0]


def check_against_sklearn(vec, params: dict, cls_name: str, docs: list[str]) -> None:
    params = {k: v for k, v in params.items() if k != "n_jobs"}
    if "max_features" in params:
        # scikit-learn cuts max_features with an unstable argsort, so among terms tied at the cut
        # its choice is arbitrary; lexsim's is the highest total counts, ties in code-point order.
        # The expected terms come from scikit-learn's unpruned-by-max_features counts, the
        # matrix from scikit-learn with those terms as its vocabulary.
        rest = {k: v for k, v in params.items() if k != "max_features"}
        counts = sk.CountVectorizer(**{k: v for k, v in rest.items() if k in sk.CountVectorizer().get_params()})
        totals = np.asarray(counts.fit_transform(docs).sum(axis=0)).ravel()
        names = counts.get_feature_names_out().tolist()
        chosen = sorted(
            sorted(range(len(names)), key=lambda j: (-totals[j], names[j]))[: params["max_features"]],
            key=lambda j: names[j],
        )
        expected = [names[j] for j in chosen]
        assert vec.get_feature_names_out().tolist() == expected
        reference = getattr(sk, cls_name)(**rest, vocabulary=expected)
    else:
        reference = getattr(sk, cls_name)(**params)
    X_ref = reference.fit_transform(docs)
    assert vec.get_feature_names_out().tolist() == reference.get_feature_names_out().tolist()
    X = vec.transform(docs)
    if cls_name == "CountVectorizer":
        assert (X != X_ref).nnz == 0
    else:
        if vec.use_idf:
            np.testing.assert_allclose(
                vec.idf_, reference.idf_, rtol=0, atol=1e-12 if vec.idf_.dtype == np.float64 else 1e-5
            )
        assert abs(X - X_ref).max() <= (1e-12 if X.dtype == np.float64 else 1e-6)


CASES = [("TfidfVectorizer", name, params) for name, params in CONFIGS] + [
    ("CountVectorizer", name, {**params, "dtype": np.int32} if "dtype" in params else params)
    for name, params in CONFIGS
    if not COUNT_PARAMS & set(params)
]


@pytest.mark.parametrize("cls_name, name, params", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_way_of_fitting_on_parts_equals_one_fit(cls_name, name, params, corpus, unseen, monkeypatch) -> None:
    cls = getattr(lexsim, cls_name)
    whole = cls(**params).fit(corpus)
    check_against_sklearn(whole, params, cls_name, corpus)
    X = cls(**params).fit_transform(corpus)
    assert_same_matrix(X, whole.transform(corpus))
    monkeypatch.setattr(cls, "_batch_bytes", 20_000)  # iterators come in many batches
    for ranges in partitionings(len(corpus)):
        parts = [corpus[b:e] for b, e in ranges]
        for n_jobs in (1, 2):
            p = {**params, "n_jobs": n_jobs}
            sequential = cls(**p)
            for part in parts:
                assert sequential.partial_fit(part) is sequential
            assert_same_fit(sequential, whole, corpus, unseen)

            if len(parts[0]) > 100:
                then = cls(**p).fit(parts[0])
                for part in parts[1:]:
                    then.partial_fit(part)
                assert_same_fit(then, whole, corpus, unseen)

            merged = merge_tree([cls(**p).partial_fit(part) for part in parts])
            assert_same_fit(merged, whole, corpus, unseen)

            streamed = cls(**p).fit(d for d in corpus)
            assert_same_fit(streamed, whole, corpus, unseen)
            partial_streams = cls(**p)
            for part in parts:
                partial_streams.partial_fit(iter(part))
            assert_same_fit(partial_streams, whole, corpus, unseen)

            one_pass = cls(**p)
            assert_same_matrix(one_pass.fit_transform(d for d in corpus), X)
            assert_same_fit(one_pass, whole, corpus, unseen)
            assert_same_matrix(whole.transform(iter(unseen)), whole.transform(unseen))


def test_changing_pruning_between_partial_fits_refits_the_same_counts(corpus) -> None:
    v = lexsim.TfidfVectorizer().partial_fit(corpus[:3000])
    v.set_params(min_df=3, max_features=400, sublinear_tf=True, n_jobs=2)
    v.partial_fit(corpus[3000:])
    want = lexsim.TfidfVectorizer(min_df=3, max_features=400, sublinear_tf=True).fit(corpus)
    assert v.get_feature_names_out().tolist() == want.get_feature_names_out().tolist()
    assert np.array_equal(v.idf_, want.idf_)
    assert_same_matrix(v.transform(corpus), want.transform(corpus))
    v.set_params(lowercase=False)
    with pytest.raises(ValueError, match="'lowercase' changed"):
        v.partial_fit(["More Text"])
    with pytest.raises(ValueError, match="'lowercase' changed"):
        lexsim.TfidfVectorizer(min_df=3, max_features=400, sublinear_tf=True, lowercase=False).merge(v)


def test_merge_refuses_what_does_not_add_up(corpus) -> None:
    a = lexsim.TfidfVectorizer().fit(corpus[:100])
    with pytest.raises(TypeError, match="CountVectorizer into a TfidfVectorizer"):
        a.merge(lexsim.CountVectorizer().fit(corpus[:100]))
    with pytest.raises(lexsim.NotFittedError, match="not fitted"):
        a.merge(lexsim.TfidfVectorizer())
    for name, value in [
        ("min_df", 2),
        ("max_df", 0.5),
        ("max_features", 10),
        ("binary", True),
        ("ngram_range", (1, 2)),
        ("analyzer", "char"),
        ("lowercase", False),
        ("stop_words", "english"),
        ("norm", "l1"),
        ("use_idf", False),
        ("smooth_idf", False),
        ("sublinear_tf", True),
        ("dtype", np.float32),
        ("token_pattern", r"(?u)\b\w+\b"),
        ("analyzer", words),
        ("vocabulary", FIXED),
    ]:
        other = lexsim.TfidfVectorizer(**{name: value}).fit(corpus[100:200])
        with pytest.raises(ValueError, match=f"different parameters: {name}="):
            a.merge(other)
    before = a.get_feature_names_out().tolist()
    assert a.get_feature_names_out().tolist() == before  # the refusals changed nothing
    b = lexsim.TfidfVectorizer(n_jobs=2).fit(corpus[100:200])  # threads change no result
    b_names = b.get_feature_names_out().tolist()
    a.merge(b)
    assert b.get_feature_names_out().tolist() == b_names  # other is unchanged
    assert (
        a.get_feature_names_out().tolist()
        == lexsim.TfidfVectorizer().fit(corpus[:200]).get_feature_names_out().tolist()
    )
    # Merging into a new vectorizer takes the other's counts; merging a vectorizer with itself doubles them.
    c = lexsim.TfidfVectorizer().merge(a)
    assert np.array_equal(c.idf_, a.idf_)
    assert c.merge(c).corpus_counts_.n_documents == 400


def _without_section(model: bytes, tag: bytes) -> bytes:
    """Model bytes with one section taken out (header, sections, CRC-32 as lexsim/model_io.hpp says)."""
    import struct
    import zlib

    body, at, out = model[:-4], 20, [model[:20]]
    while at < len(body):
        length = struct.unpack_from("<Q", body, at + 8)[0]
        if body[at : at + 4] != tag:
            out.append(body[at : at + 16 + length])
        at += 16 + length
    data = bytearray(b"".join(out))
    data[12:20] = struct.pack("<Q", len(data) + 4)
    return bytes(data) + struct.pack("<I", zlib.crc32(data))


def test_restored_without_counts_cannot_be_added_to(corpus) -> None:
    from lexsim.model import deserialize, serialize

    v = lexsim.TfidfVectorizer().fit(corpus[:50])
    restored = deserialize(_without_section(serialize(v), b"TCNT"))  # a model file without its counts
    assert np.array_equal(restored.idf_, v.idf_)
    with pytest.raises(ValueError, match="restored without them"):
        restored.partial_fit(corpus[50:60])
    with pytest.raises(ValueError, match="restored without them"):
        lexsim.TfidfVectorizer().merge(restored)
    with pytest.raises(lexsim.NotFittedError, match="no corpus counts"):
        _ = restored.corpus_counts_


def test_partial_fit_with_nothing_left_keeps_counts_and_is_not_fitted() -> None:
    v = lexsim.CountVectorizer(min_df=2)
    v.partial_fit(["alpha beta", "gamma"])
    assert not v.__sklearn_is_fitted__()
    assert v.corpus_counts_.n_documents == 2
    with pytest.raises(lexsim.NotFittedError, match="After pruning, no terms remain.*2 documents"):
        v.transform(["alpha"])
    with pytest.raises(lexsim.NotFittedError):
        _ = v.vocabulary_
    restored = pickle.loads(pickle.dumps(v))  # an unfitted state with counts ships too
    restored.partial_fit(["alpha delta"])
    assert restored.get_feature_names_out().tolist() == ["alpha"]
    empty = lexsim.TfidfVectorizer().partial_fit([])
    with pytest.raises(lexsim.NotFittedError, match="empty vocabulary"):
        empty.transform(["x"])
    assert empty.merge(lexsim.TfidfVectorizer().partial_fit(["some words"])).get_feature_names_out().tolist() == [
        "some",
        "words",
    ]
    # fit keeps scikit-learn's behaviour: it raises, and the earlier fit stays.
    f = lexsim.CountVectorizer(min_df=2).fit(["alpha alpha", "alpha"])
    with pytest.raises(ValueError, match="no terms remain"):
        f.fit(["one", "two"])
    assert f.get_feature_names_out().tolist() == ["alpha"]


def test_pickles_grow_with_the_vocabulary_not_the_documents(corpus) -> None:
    base = corpus[:2000]
    small = pickle.dumps(lexsim.TfidfVectorizer().fit(base))
    big = pickle.dumps(lexsim.TfidfVectorizer().fit(base * 20))
    assert abs(len(big) - len(small)) <= 16
    # min_df as a proportion prunes the same terms of base repeated 10 or 20 times.
    v, v20 = lexsim.TfidfVectorizer(min_df=0.002), lexsim.TfidfVectorizer(min_df=0.002)
    for _ in range(10):
        v.partial_fit(base)
        v20.partial_fit(base).partial_fit(base)
    assert v.get_feature_names_out().tolist() == v20.get_feature_names_out().tolist()
    assert abs(len(pickle.dumps(v)) - len(pickle.dumps(v20))) <= 16
    # The pickle holds the unpruned counts: a pruned fit restores them all and can go on.
    restored = pickle.loads(pickle.dumps(v))
    assert len(restored.corpus_counts_.terms) > len(restored.get_feature_names_out())
    restored.partial_fit(corpus[2000:2100])
    v.partial_fit(corpus[2000:2100])
    assert np.array_equal(restored.idf_, v.idf_)


def test_a_hand_set_idf_survives_pickling(corpus) -> None:
    v = lexsim.TfidfVectorizer().fit(corpus[:100])
    idf = v.idf_ * 2
    v.idf_ = idf
    assert np.array_equal(pickle.loads(pickle.dumps(v)).idf_, idf)


class Doc(str):
    """A str that can be watched with a weak reference."""


def test_an_iterator_is_read_in_batches_and_once(monkeypatch) -> None:
    texts = read_sentences()[:5000]
    monkeypatch.setattr(lexsim.TfidfVectorizer, "_batch_bytes", 30_000)
    alive: list[weakref.ref] = []
    most_alive = 0
    pulled = 0

    def documents():
        nonlocal most_alive, pulled
        for t in texts:
            most_alive = max(most_alive, sum(r() is not None for r in alive[-2000:]))
            d = Doc(t)
            alive.append(weakref.ref(d))
            pulled += 1
            yield d

    X = lexsim.TfidfVectorizer().fit_transform(documents())
    assert pulled == len(texts)  # one pass over a one-shot iterator
    assert_same_matrix(X, lexsim.TfidfVectorizer().fit_transform(texts))
    # At most the batch being filled and the one being counted were alive: a batch of 30 kB is a
    # few hundred of these sentences, far fewer than the 2,000 watched.
    per_batch = 30_000 // min(map(len, texts[:1000]))
    assert 0 < most_alive <= 2 * per_batch + 2
    assert most_alive < 2000


def test_iterator_errors_name_the_document_in_the_whole_input(monkeypatch) -> None:
    monkeypatch.setattr(lexsim.CountVectorizer, "_batch_bytes", 200)
    docs = ["some words here"] * 40
    with pytest.raises(TypeError, match="document 33 is int"):
        lexsim.CountVectorizer().fit(iter(docs[:33] + [7]))
    with pytest.raises(ValueError, match="np.nan is an invalid document.*document 20"):
        lexsim.CountVectorizer().fit(iter(docs[:20] + [float("nan")]))
    with pytest.raises(lexsim.UnicodeError, match="document 35") as info:
        lexsim.CountVectorizer().fit(iter(docs[:35] + [b"bad \xff byte"]))
    assert info.value.document == 35 and info.value.byte_offset == 4

    def failing():
        yield from docs
        raise RuntimeError("the source broke")

    v = lexsim.CountVectorizer().fit(["kept words"])
    with pytest.raises(RuntimeError, match="the source broke"):
        v.fit_transform(failing())
    assert v.get_feature_names_out().tolist() == ["kept", "words"]  # unchanged
    with pytest.raises(ValueError, match="empty vocabulary"):
        lexsim.CountVectorizer().fit(iter([]))


def test_iterators_with_file_names_encodings_and_callables(tmp_path, monkeypatch) -> None:
    names, articles = read_news_seeds()
    monkeypatch.setattr(lexsim.CountVectorizer, "_batch_bytes", 3_000)
    paths = []
    for name, text in zip(names, articles):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    for params in ({}, {"tokenizer": str.split, "token_pattern": None}, {"analyzer": words}):
        want = lexsim.CountVectorizer(**params).fit_transform(articles)
        got = lexsim.CountVectorizer(input="filename", **params).fit_transform(iter(paths))
        assert_same_matrix(got, want)
        assert_same_matrix(lexsim.CountVectorizer(input="filename", **params).fit_transform(paths), want)  # a list too
    latin = [a.encode("latin-1", "replace") for a in articles]
    want = lexsim.CountVectorizer(encoding="latin-1").fit_transform(latin)
    assert_same_matrix(lexsim.CountVectorizer(encoding="latin-1").fit_transform(iter(latin)), want)


def test_iter_corpus_feeds_a_fit(tmp_path) -> None:
    from lexsim.corpus import iter_corpus, read_corpus

    path = tmp_path / "corpus.jsonl"
    texts = read_sentences()[:3000]
    import json

    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8")
    want = lexsim.TfidfVectorizer(min_df=2).fit_transform(read_corpus(path)[1])
    assert_same_matrix(lexsim.TfidfVectorizer(min_df=2).fit_transform(iter_corpus(path)), want)
    assert_same_matrix(lexsim.TfidfVectorizer(min_df=2).fit(iter_corpus(path)).transform(iter_corpus(path)), want)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery to self is POSIX")
@pytest.mark.parametrize("method", ["fit", "partial_fit", "fit_transform", "transform"])
def test_ctrl_c_stops_a_fit_on_an_iterator_and_changes_nothing(method: str) -> None:
    base = read_sentences()
    v = lexsim.TfidfVectorizer().fit(base[:1000])
    names, idf, n = v.get_feature_names_out().tolist(), v.idf_.copy(), v.corpus_counts_.n_documents

    def many():
        for _ in range(60):  # far more than 0.3 s of work
            yield from base

    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        getattr(v, method)(many())
    timer.join()
    assert v.get_feature_names_out().tolist() == names
    assert np.array_equal(v.idf_, idf)
    assert v.corpus_counts_.n_documents == n
    assert v.transform(base[:3]).shape == (3, len(names))


def test_copies_of_a_callable_count_as_the_same_parameter(corpus) -> None:
    # cloudpickle (Dask's) pickles lambdas and functions of __main__ by value: every worker then
    # has its own copy of the function, which must still merge.
    copy = types.FunctionType(words.__code__, words.__globals__, words.__name__, words.__defaults__, words.__closure__)
    copy.__qualname__ = words.__qualname__
    assert copy is not words
    a = lexsim.CountVectorizer(analyzer=words).fit(corpus[:100])
    b = lexsim.CountVectorizer(analyzer=copy).fit(corpus[100:200])
    a.merge(b)
    assert (
        a.get_feature_names_out().tolist()
        == lexsim.CountVectorizer(analyzer=words).fit(corpus[:200]).get_feature_names_out().tolist()
    )

    def other(doc: str) -> list[str]:
        return doc.split()

    def make(n: int):
        return lambda doc: doc.split()[:n]

    with pytest.raises(ValueError, match="different parameters: analyzer="):
        a.merge(lexsim.CountVectorizer(analyzer=other).fit(corpus[:10]))
    with pytest.raises(ValueError, match="different parameters: analyzer="):  # same code, other captured value
        lexsim.CountVectorizer(analyzer=make(3)).fit(corpus[:10]).merge(
            lexsim.CountVectorizer(analyzer=make(4)).fit(corpus[:10])
        )
    lexsim.CountVectorizer(analyzer=make(3)).fit(corpus[:10]).merge(
        lexsim.CountVectorizer(analyzer=make(3)).fit(corpus[10:20])
    )


def test_a_loaded_model_file_goes_on_exactly_and_a_hand_set_idf_is_not_silently_refitted(tmp_path, corpus) -> None:
    from lexsim.model import load_model, save_model

    v = lexsim.TfidfVectorizer(min_df=2).fit(corpus[:200])
    save_model(v, tmp_path / "m.lexsim")
    loaded = load_model(tmp_path / "m.lexsim")
    # The model file holds the unpruned counts: adding documents is exact.
    whole = lexsim.TfidfVectorizer(min_df=2).fit(corpus[:300])
    loaded.partial_fit(corpus[200:300])
    assert loaded.get_feature_names_out().tolist() == whole.get_feature_names_out().tolist()
    assert loaded.idf_.tobytes() == whole.idf_.tobytes()
    other = load_model(tmp_path / "m.lexsim").merge(lexsim.TfidfVectorizer(min_df=2).fit(corpus[200:300]))
    assert (other.transform(corpus[:300]) != whole.transform(corpus[:300])).nnz == 0
    v.idf_ = v.idf_ * 2
    with pytest.raises(ValueError, match="set by hand"):
        v.partial_fit(corpus[200:300])
    restored = pickle.loads(pickle.dumps(v))
    with pytest.raises(ValueError, match="set by hand"):
        restored.partial_fit(corpus[200:300])
    v.fit(corpus[:10])
    v.partial_fit(corpus[10:20])  # a fit computes the idf again
