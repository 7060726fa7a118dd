"""SearchIndex that persists and travels: pickles (to other processes too), saves and loads through
the model-file format (read or mapped), grows with add() exactly as a fresh build, and refuses
damaged, truncated and crafted index files with the reason and byte offset."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pickle
import struct
import threading
import zlib

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import HARD_UNICODE, read_news_seeds, read_sentences

import lexsim
from lexsim import _core
from lexsim.model import MAGIC, deserialize, serialize

METHODS = ["lucene", "robertson", "atire", "bm25l", "bm25+"]
SCORINGS = [("cosine", None)] + [("bm25", m) for m in METHODS]
QUERIES = [
    "Erdogan Putin talks",
    "grain corridor Odesa",
    "central bank rates inflation",
    "Türkiye Syria border",
    "the",
    "zzzunknown kremlin",
    "",
]


@pytest.fixture(scope="module")
def texts() -> list:
    return read_news_seeds()[1] + read_sentences()[:1500] + HARD_UNICODE


def build(vec, docs, scoring, method, **kw):
    if scoring == "cosine":
        return lexsim.SearchIndex(vec, vec.transform(docs), **kw)
    return lexsim.SearchIndex(vec, documents=docs, scoring="bm25", method=method, k1=1.3, b=0.7, delta=0.6, **kw)


def hits(index, queries=QUERIES, k=8):
    """Every result as (doc, score bits) with the unknown terms: equality is bit for bit."""
    out = []
    for h in index.search_batch(queries, k=k):
        out.append(([(d, struct.pack("<d", s)) for d, s in h], h.unknown_terms))
    return out


def same_index(a, b) -> None:
    assert a.n_documents == b.n_documents
    assert (a.scoring, a.method, a.k1, a.b, a.delta) == (b.scoring, b.method, b.k1, b.b, b.delta)
    assert a._index.dtype == b._index.dtype
    assert hits(a) == hits(b)
    assert bytes(a._index.serialize()) == bytes(b._index.serialize())  # the same postings, counts, idf


# A module-level tokenizer: a vectorizer using it pickles (by reference) but cannot be saved.
def split_tokens(text: str) -> list:
    return text.lower().split()


def search_in_worker(index, queries):
    return hits(index, queries)


# ----------------------------------------------------------------------------- pickling
@pytest.mark.parametrize("scoring,method", SCORINGS)
def test_pickles_search_bit_for_bit(texts, scoring, method) -> None:
    for vec in (
        lexsim.TfidfVectorizer(stop_words="english", strip_accents="unicode"),
        lexsim.CountVectorizer(dtype=np.float32),
    ):
        vec.fit(texts)
        index = build(vec, texts, scoring, method, n_jobs=2)
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(index, protocol=protocol))
            assert type(back.vectorizer) is type(vec)
            assert back._n_jobs == 2
            same_index(back, index)
            assert not back.mapped


def test_indexes_over_vectorizers_lexsim_cannot_save_still_pickle(texts, tmp_path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

    sk = SkTfidf().fit(texts[:300])
    callable_tokens = lexsim.TfidfVectorizer(tokenizer=split_tokens, token_pattern=None).fit(texts[:300])
    hashing = lexsim.HashingVectorizer(n_features=2**12)
    for vec, why in (
        (sk, "sklearn.feature_extraction.text.TfidfVectorizer"),
        (callable_tokens, "'tokenizer' is a Python callable"),
        (hashing, "lexsim.hashing.HashingVectorizer"),
    ):
        index = lexsim.SearchIndex(vec, vec.transform(texts[:300]))
        back = pickle.loads(pickle.dumps(index))
        assert hits(back) == hits(index)
        path = tmp_path / "index.lexsim"
        with pytest.raises(ValueError, match="cannot save this SearchIndex") as e:
            index.save(path)
        assert why in str(e.value) and "pickle the index instead" in str(e.value)
        assert os.listdir(tmp_path) == []  # nothing written, no temporary file left


def test_a_real_process_pool_searches_the_same(texts) -> None:
    vec = lexsim.TfidfVectorizer(stop_words="english").fit(texts)
    indexes = [build(vec, texts, "cosine", None), build(vec, texts, "bm25", "bm25+")]
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: everything goes through pickle
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        results = list(pool.map(search_in_worker, indexes, [QUERIES] * len(indexes)))
    assert results == [hits(ix) for ix in indexes]


def test_joblib_loky_workers_search_the_same(texts) -> None:
    joblib = pytest.importorskip("joblib")
    vec = lexsim.CountVectorizer().fit(texts)
    index = build(vec, texts, "bm25", "lucene")
    chunks = [QUERIES[:3], QUERIES[3:]]
    out = joblib.Parallel(n_jobs=2, backend="loky")(joblib.delayed(search_in_worker)(index, q) for q in chunks)
    assert out == [hits(index, q) for q in chunks]


def test_dask_workers_search_the_same(texts) -> None:
    distributed = pytest.importorskip("distributed")
    vec = lexsim.TfidfVectorizer().fit(texts)
    index = build(vec, texts, "cosine", None)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            shared = client.scatter(index, broadcast=True)
            futures = [client.submit(search_in_worker, shared, [q], pure=False) for q in QUERIES]
            assert [f.result()[0] for f in futures] == hits(index)
    finally:
        cluster.close()


def test_old_or_foreign_pickle_states_are_refused() -> None:
    index = lexsim.SearchIndex(
        lexsim.CountVectorizer().fit(["alpha beta", "beta gamma"]),
        documents=["alpha beta", "beta gamma"],
        scoring="bm25",
    )
    state = index.__getstate__()
    blank = lexsim.SearchIndex.__new__(lexsim.SearchIndex)
    with pytest.raises(ValueError, match="pickled by a lexsim whose pickles this version does not read"):
        blank.__setstate__(dict(state, layout=99))
    with pytest.raises(lexsim.ModelFormatError, match="checksum mismatch"):
        blank.__setstate__(dict(state, index=state["index"][:-1] + bytes([state["index"][-1] ^ 1])))


# ----------------------------------------------------------------------------- save and load
@pytest.mark.parametrize("scoring,method", SCORINGS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_loaded_index_searches_bit_for_bit(tmp_path, texts, scoring, method, dtype) -> None:
    vec = lexsim.TfidfVectorizer(stemmer="english", stop_words="english", dtype=dtype, sublinear_tf=True).fit(texts)
    index = build(vec, texts, scoring, method, n_jobs=3)
    index._info = {"note": "kept"}
    path = tmp_path / "index.lexsim"
    index.save(path)
    assert os.listdir(tmp_path) == ["index.lexsim"]
    for loaded in (
        lexsim.load(path),
        lexsim.SearchIndex.load(path),
        lexsim.SearchIndex.load(str(path), mmap=True),
        lexsim.SearchIndex.load(os.fsencode(path), mmap=True, verify=True),
        deserialize(serialize(index)),
    ):
        assert isinstance(loaded, lexsim.SearchIndex)
        assert isinstance(loaded.vectorizer, lexsim.TfidfVectorizer)
        assert loaded.vectorizer.get_params() == vec.get_params()
        assert loaded._n_jobs == 3 and loaded._info == {"note": "kept"}
        same_index(loaded, index)
        assert repr(loaded) == repr(index)
    assert serialize(lexsim.load(path)) == path.read_bytes() == serialize(index)


def test_a_mapped_index_reads_its_arrays_in_the_file(tmp_path, texts) -> None:
    vec = lexsim.CountVectorizer().fit(texts)
    index = build(vec, texts, "bm25", "bm25l")
    path = tmp_path / "bm25.lexsim"
    index.save(path)
    mapped = lexsim.SearchIndex.load(path, mmap=True)
    assert mapped.mapped and not index.mapped and not lexsim.load(path).mapped
    real = os.path.realpath(path)
    with open("/proc/self/maps") as fh:
        ranges = [tuple(int(x, 16) for x in line.split()[0].split("-")) for line in fh if line.rstrip().endswith(real)]
    assert len(ranges) == 1  # one mapping of the whole file
    lo, hi = ranges[0]
    assert hi - lo >= path.stat().st_size
    arrays = mapped._index.arrays()
    assert [name for name, _, _ in arrays] == [
        "postings.start",
        "postings.row",
        "postings.value",
        "counts.start",
        "counts.row",
        "counts.value",
    ]
    for name, address, size in arrays:
        assert lo <= address and address + size <= hi, name  # in the mapping, not copied to the heap
        assert address % 64 == 0, name
    heap = lexsim.load(path)._index.arrays()
    assert all(not (lo <= address < hi) for _, address, _ in heap)
    assert hits(mapped) == hits(index)


def test_add_on_a_mapped_index_copies_and_leaves_the_file(tmp_path, texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    for scoring, method in (("cosine", None), ("bm25", "robertson")):
        index = build(vec, texts[:900], scoring, method)
        path = tmp_path / f"{scoring}.lexsim"
        index.save(path)
        before = path.read_bytes()
        mapped = lexsim.SearchIndex.load(path, mmap=True)
        mapped.add(texts[900:]) if scoring == "bm25" else mapped.add(X=vec.transform(texts[900:]))
        assert not mapped.mapped
        assert path.read_bytes() == before
        same_index(mapped, build(vec, texts, scoring, method))


def test_saving_over_a_mapped_file_leaves_the_mapping_reading_the_old_one(tmp_path, texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    index = build(vec, texts, "cosine", None)
    path = tmp_path / "index.lexsim"
    index.save(path)
    mapped = lexsim.SearchIndex.load(path, mmap=True)
    build(vec, texts[:10], "cosine", None).save(path)  # renamed over it
    assert hits(mapped) == hits(index)
    assert lexsim.load(path).n_documents == 10


def test_a_mapped_file_cut_short_is_refused_not_read(tmp_path, texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    index = build(vec, texts, "cosine", None)
    path = tmp_path / "index.lexsim"
    index.save(path)
    mapped = lexsim.SearchIndex.load(path, mmap=True)
    os.truncate(path, 1000)
    with pytest.raises(lexsim.ModelFormatError, match="was cut to 1000 bytes while mapped"):
        mapped.search("Putin")
    with pytest.raises(lexsim.ModelFormatError, match="was cut to 1000 bytes while mapped"):
        pickle.dumps(mapped)


def test_load_and_model_functions_still_read_vectorizers(tmp_path, texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    path = tmp_path / "vec.lexsim"
    vec.save(path)
    assert isinstance(lexsim.load(path), lexsim.TfidfVectorizer)
    with pytest.raises(lexsim.ModelFormatError, match="holds a TfidfVectorizer; lexsim.load reads it"):
        lexsim.SearchIndex.load(path)
    index_path = tmp_path / "index.lexsim"
    build(vec, texts[:20], "cosine", None).save(index_path)
    with pytest.raises(lexsim.ModelFormatError, match="search index.*lexsim::load_index"):
        _core.load(os.fsencode(index_path))  # the C++ loader of vectorizers says what the file is


def test_an_index_saved_without_a_vectorizer_is_refused_with_the_reason(tmp_path) -> None:
    index = lexsim.SearchIndex(
        lexsim.CountVectorizer().fit(["alpha beta", "beta gamma"]),
        documents=["alpha beta", "beta gamma"],
        scoring="bm25",
    )
    path = tmp_path / "cpp.lexsim"
    path.write_bytes(bytes(index._index.serialize()))  # what C++ lexsim::save(index, path) writes
    with pytest.raises(lexsim.ModelFormatError, match="saved without its vectorizer"):
        lexsim.load(path)


# ----------------------------------------------------------------------------- add
@pytest.mark.parametrize("scoring,method", SCORINGS)
def test_add_equals_a_fresh_build(tmp_path, texts, scoring, method) -> None:
    tfidf = lexsim.TfidfVectorizer(stop_words="english", strip_accents="unicode").fit(texts)
    counts = lexsim.CountVectorizer(ngram_range=(1, 2), min_df=2).fit(texts)
    n = len(texts)
    for vec in (tfidf, counts):
        fresh = build(vec, texts, scoring, method)
        # in pieces, by texts and by matrix, with an empty piece
        grown = build(vec, texts[:7], scoring, method)
        grown.add(texts[7:400]).add([])
        if scoring == "cosine" or vec is counts:
            grown.add(X=vec.transform(texts[400:1000]))
        else:
            grown.add(texts[400:1000])
        grown.add(documents=texts[1000:])
        same_index(grown, fresh)
        # after a save and load, read or mapped
        part = build(vec, texts[: n // 2], scoring, method)
        path = tmp_path / "part.lexsim"
        part.save(path)
        for loaded in (lexsim.load(path), lexsim.SearchIndex.load(path, mmap=True)):
            loaded.add(texts[n // 2 :])
            same_index(loaded, fresh)
        # and after a pickle
        same_index(pickle.loads(pickle.dumps(part)).add(texts[n // 2 :]), fresh)


def test_add_checks_its_input_and_leaves_the_index_as_it_was_on_error(texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    index = build(vec, texts[:50], "bm25", "lucene")
    before = bytes(index._index.serialize())
    with pytest.raises(ValueError, match="needs raw term counts"):
        index.add(X=vec.transform(texts[50:60]))  # TF-IDF weights are not counts
    with pytest.raises(ValueError, match="columns but the vectorizer has"):
        index.add(X=sp.csr_matrix((2, 3)))
    with pytest.raises(TypeError, match="needs the documents"):
        index.add()
    with pytest.raises(ValueError, match="got a single string"):
        index.add("one text")
    assert bytes(index._index.serialize()) == before


def test_searches_go_on_while_another_thread_adds(texts) -> None:
    vec = lexsim.TfidfVectorizer().fit(texts)
    index = build(vec, texts[:200], "cosine", None)
    cuts = list(range(200, len(texts), 300)) + [len(texts)]
    states = [hits(build(vec, texts[:n], "cosine", None)) for n in cuts]
    seen, errors = [], []

    def searcher() -> None:
        try:
            for _ in range(30):
                seen.append(hits(index))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=searcher) for _ in range(2)]
    for t in threads:
        t.start()
    for a, b in zip(cuts, cuts[1:]):
        index.add(texts[a:b])
    for t in threads:
        t.join()
    assert not errors
    assert hits(index) == states[-1]
    assert all(h in states for h in seen)  # every search saw one whole index, before or after an add


# ----------------------------------------------------------------------------- the format
def parse(data: bytes) -> list:
    """[(tag, flags, payload offset, payload)] by the documented layout, checking size and checksum."""
    assert data[:8] == MAGIC
    _, total = struct.unpack_from("<IQ", data, 8)
    assert total == len(data)
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])
    out, pos = [], 20
    while pos < len(data) - 4:
        tag, flags, length = struct.unpack_from("<4sIQ", data, pos)
        out.append((tag, flags, pos + 16, data[pos + 16 : pos + 16 + length]))
        pos += 16 + length
    assert pos == len(data) - 4
    return out


def arrays(data: bytes, at: int, dtypes: list) -> list:
    """The arrays of an index section whose payload starts at ``at``: [(array, offset of its elements)]."""
    out = []
    for dtype in dtypes:
        n, crc, pad = struct.unpack_from("<QII", data, at)
        start = at + 16 + pad
        assert start % 64 == 0 and data[at + 16 : start] == bytes(pad)  # aligned in the file, zero padding
        raw = data[start : start + n * np.dtype(dtype).itemsize]
        assert zlib.crc32(raw) == crc
        out.append((np.frombuffer(raw, dtype=np.dtype(dtype)), start))
        at = start + len(raw)
    return out


def test_the_file_is_the_documented_layout(texts) -> None:
    from sklearn.preprocessing import normalize

    docs = texts[:300]
    vec = lexsim.CountVectorizer().fit(docs)
    X = vec.transform(docs).astype(np.float64)
    for scoring, method in SCORINGS:
        index = build(vec, docs, scoring, method)
        data = serialize(index)
        sections = {tag: (flags, at, payload) for tag, flags, at, payload in parse(data)}
        assert list(sections)[:4] == [b"OPTS", b"TERM", b"NDOC", b"DOCF"]  # the vectorizer's first
        wanted = [b"SIDX", b"POST"] + ([b"BM25", b"RAWC"] if scoring == "bm25" else [])
        for tag in wanted:
            assert sections[tag][0] == 1  # required: an older lexsim refuses the file, naming the section
        assert (b"RAWC" in sections) == (scoring == "bm25")
        kinds, k1, b, delta, n_docs, n_terms, avgdl = struct.unpack("<3s3d2qd", sections[b"SIDX"][2])
        assert kinds == bytes(
            [scoring == "bm25", ["robertson", "lucene", "atire", "bm25l", "bm25+"].index(method or "lucene"), 8]
        )
        assert (k1, b, delta, n_docs, n_terms) == (index.k1, index.b, index.delta, 300, X.shape[1])
        (start, _), (row, _), (value, _) = arrays(data, sections[b"POST"][1], ["<i8", "<i4", "<f8"])
        if scoring == "cosine":
            assert avgdl == 0.0
            ref = sp.csc_matrix(normalize(X))  # the postings are the unit rows, term by term
            assert np.array_equal(start, ref.indptr) and np.array_equal(row, ref.indices)
            np.testing.assert_allclose(value, ref.data, rtol=1e-15, atol=0)
            continue
        lengths = np.asarray(X.sum(axis=1)).ravel()
        assert avgdl == lengths.mean()
        cs, (crow, _), (count, _) = arrays(data, sections[b"RAWC"][1], ["<i8", "<i4", "<f8"])
        ref = sp.csc_matrix(X)
        assert (
            np.array_equal(cs[0], ref.indptr) and np.array_equal(crow, ref.indices) and np.array_equal(count, ref.data)
        )
        (idf, _), (base, _) = arrays(data, sections[b"BM25"][1], ["<f8", "<f8"])
        assert np.array_equal(idf, index._index.idf()) and np.array_equal(base, index._index.baseline())
        # every weight from the documented formulas: idf(t) tfc(tf) less the baseline, zeros left out
        L = 1 - b + b * lengths / avgdl
        weights = np.zeros(len(count))
        for t in range(X.shape[1]):
            sl = slice(ref.indptr[t], ref.indptr[t + 1])
            tf, lnorm = count[sl], L[crow[sl]]
            tfc = {
                "robertson": tf / (tf + k1 * lnorm),
                "lucene": tf / (tf + k1 * lnorm),
                "atire": tf * (k1 + 1) / (tf + k1 * lnorm),
                "bm25l": (k1 + 1) * (tf / lnorm + delta) / (k1 + tf / lnorm + delta),
                "bm25+": tf * (k1 + 1) / (tf + k1 * lnorm) + delta,
            }[method]
            tfc0 = {"bm25l": (k1 + 1) * delta / (k1 + delta), "bm25+": delta}.get(method, 0.0)
            weights[sl] = idf[t] * (tfc - tfc0)
        keep = weights != 0
        np.testing.assert_allclose(value, weights[keep], rtol=1e-12, atol=1e-15)
        assert np.array_equal(row, crow[keep])


def test_truncation_and_every_byte_change_are_refused() -> None:
    docs = ["Erdogan met Putin", "Putin met Assad in Moscow", "the bank"]
    vec = lexsim.CountVectorizer().fit(docs)
    data = serialize(build(vec, docs, "bm25", "bm25+"))
    for n in range(len(data)):
        with pytest.raises(lexsim.ModelFormatError) as e:
            deserialize(data[:n])
        assert e.value.byte_offset is not None and e.value.byte_offset <= n
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0x04
        with pytest.raises(lexsim.ModelFormatError):
            deserialize(bytes(damaged))


def test_every_byte_change_in_a_mapped_file_is_refused_at_load_or_when_read(tmp_path, texts) -> None:
    """Mapped lazily, only the bytes of the postings' documents and weights are not checked at load
    (their stored CRC-32s stand in for them): a change there is refused when a search reads a term
    it breaks, and trusted otherwise, as documented; verify=True refuses every change at load."""
    docs = ["Erdogan met Putin", "Putin met Assad in Moscow", "the bank", "Putin Putin"]
    vec = lexsim.TfidfVectorizer().fit(docs)
    data = serialize(build(vec, docs, "cosine", None))
    post = next(at for tag, _, at, _ in parse(data) if tag == b"POST")
    (_, _), (row, row_at), (value, value_at) = arrays(data, post, ["<i8", "<i4", "<f8"])
    lazily = set(range(row_at, row_at + row.nbytes)) | set(range(value_at, value_at + value.nbytes))
    path = tmp_path / "damaged.lexsim"
    outcomes = {"load": 0, "search": 0, "trusted": 0}
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0x02
        path.write_bytes(bytes(damaged))
        with pytest.raises((lexsim.ModelFormatError, OSError)):
            lexsim.SearchIndex.load(path, mmap=True, verify=True)
        try:
            mapped = lexsim.SearchIndex.load(path, mmap=True)
        except lexsim.ModelFormatError:
            outcomes["load"] += 1
            continue
        assert i in lazily
        try:
            mapped.search_batch(vec.get_feature_names_out().tolist())
            outcomes["trusted"] += 1
        except lexsim.ModelFormatError as e:
            assert "the index mapped from" in str(e) and "section 'POST'" in str(e)
            assert e.byte_offset in lazily
            outcomes["search"] += 1
    assert all(outcomes.values()), outcomes


def test_huge_claimed_lengths_allocate_nothing() -> None:
    docs = ["alpha beta", "beta gamma"]
    data = bytearray(serialize(build(lexsim.CountVectorizer().fit(docs), docs, "cosine", None)))
    post = next(at for tag, _, at, _ in parse(bytes(data)) if tag == b"POST")
    n, _, pad = struct.unpack_from("<QII", data, post)
    row_header = post + 16 + pad + 8 * n
    struct.pack_into("<Q", data, row_header, 2**60)
    struct.pack_into("<I", data, len(data) - 4, zlib.crc32(bytes(data[:-4])))
    with pytest.raises(lexsim.ModelFormatError, match="1152921504606846976 elements of 4 bytes") as e:
        deserialize(bytes(data))
    assert e.value.byte_offset == row_header


def test_docstring_examples() -> None:
    import doctest

    import lexsim.search

    failures, tried = doctest.testmod(lexsim.search, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


# ----------------------------------------------------------------------------- the lexsim command
def lexsim_cmd(capsys, *argv) -> tuple[int, str, str]:
    from lexsim import cli

    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory, texts) -> str:
    import json

    path = tmp_path_factory.mktemp("cli") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, t in enumerate(texts):
            fh.write(json.dumps({"id": f"doc{i}", "text": t}, ensure_ascii=False) + "\n")
    return str(path)


@pytest.mark.parametrize("scoring", [[], ["--scoring", "bm25", "--bm25-method", "robertson", "--k1", "0.9"]])
def test_search_with_a_saved_index_prints_what_search_prints(capsys, tmp_path, corpus_file, scoring) -> None:
    index_path = tmp_path / "corpus.index"
    code, out, err = lexsim_cmd(capsys, "index", corpus_file, "-o", index_path, "--stop-words", "none", *scoring)
    assert code == 0 and err == ""
    how = "bm25 (robertson)" if scoring else "cosine"
    assert out.startswith(f"saved {index_path}: a {how} index of ") and out.endswith(
        " terms (accents folded, 3+ character words, no numbers, sublinear tf)\n"
    )
    saved = lexsim.load(index_path)
    assert saved.scoring == ("bm25" if scoring else "cosine") and saved.vectorizer.stop_words is None
    for query in ("Putin Erdogan talks", "peace treaty negotiations", "the", "zzzunknown"):
        for fmt in ("table", "json", "csv"):
            fresh = lexsim_cmd(
                capsys, "search", corpus_file, query, "--k", 7, "--format", fmt, "--stop-words", "none", *scoring
            )
            reused = lexsim_cmd(capsys, "search", corpus_file, query, "--k", 7, "--format", fmt, "--index", index_path)
            assert reused == fresh and fresh[0] == 0, (query, fmt)
    code, out, _ = lexsim_cmd(capsys, "index", corpus_file, "-o", index_path, "--format", "json", *scoring)
    import json

    loaded = lexsim.load(index_path)
    assert json.loads(out) == {
        "index": str(index_path),
        "documents": loaded.n_documents,
        "terms": len(loaded.vectorizer.get_feature_names_out()),
        "scoring": "bm25" if scoring else "cosine",
        "method": "robertson" if scoring else None,
    }
    assert loaded.n_documents == len(open(corpus_file, encoding="utf-8").read().split("\n")) - 1


def test_search_with_an_index_refuses_another_corpus_and_fixed_options(capsys, tmp_path, corpus_file) -> None:
    index_path = tmp_path / "corpus.index"
    assert lexsim_cmd(capsys, "index", corpus_file, "-o", index_path)[0] == 0
    lines = open(corpus_file, encoding="utf-8").read().split("\n")[:-1]  # not splitlines: U+2028 is in a text
    renamed, shorter = tmp_path / "renamed.jsonl", tmp_path / "shorter.jsonl"
    renamed.write_text("\n".join([lines[0].replace('"doc0"', '"doc0b"')] + lines[1:]) + "\n", encoding="utf-8")
    shorter.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    for argv, fragment in (
        (
            ["search", renamed, "Putin", "--index", index_path],
            f"indexes another corpus than {renamed} ({len(lines)} documents, not {len(lines)} with these ids and texts)",
        ),
        (["search", shorter, "Putin", "--index", index_path], f"({len(lines)} documents, not {len(lines) - 1} with"),
        (
            ["search", corpus_file, "Putin", "--index", index_path, "--scoring", "bm25"],
            "--index fixes the scoring and the analysis; leave out --scoring",
        ),
        (["search", corpus_file, "Putin", "--index", index_path, "--k1", "2"], "leave out --k1"),
        (
            ["search", corpus_file, "Putin", "--index", index_path, "--stop-words", "none"],
            "--index fixes the analysis options; leave out --stop-words",
        ),
        (["search", corpus_file, "Putin", "--index", tmp_path / "missing.index"], "No such file or directory"),
    ):
        code, out, err = lexsim_cmd(capsys, *argv)
        assert code == 2 and out == "" and err.startswith("lexsim: error: ") and err.count("\n") == 1, err
        assert fragment in err, (fragment, err)
    model = tmp_path / "model.lexsim"
    assert lexsim_cmd(capsys, "fit", corpus_file, "-o", model)[0] == 0
    code, _, err = lexsim_cmd(capsys, "search", corpus_file, "Putin", "--index", model)
    assert code == 2 and "holds a TfidfVectorizer" in err
    # an index saved from Python, without the corpus's fingerprint
    vec = lexsim.TfidfVectorizer().fit(["alpha beta"])
    lexsim.SearchIndex(vec, vec.transform(["alpha beta"])).save(tmp_path / "plain.index")
    code, _, err = lexsim_cmd(capsys, "search", corpus_file, "Putin", "--index", tmp_path / "plain.index")
    assert code == 2 and "without the fingerprint of its corpus" in err


def test_docs_example() -> None:
    import contextlib
    import io
    import re

    from conftest import ROOT

    page = (ROOT / "docs" / "guide" / "search.md").read_text(encoding="utf-8")
    block = re.search(r"## Growing, saving and loading an index.*?```python\n(.*?)```", page, re.S).group(1)
    expected = [m.group(1).split(" (")[0].strip() for m in re.finditer(r"# -> (.*)", block)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "docs/guide/search.md", "exec"), {"__name__": "__main__"})
    assert out.getvalue().splitlines() == expected
