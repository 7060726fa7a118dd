"""The lexsim command: every command on real articles read from a folder, a JSONL and a CSV file,
in every format, checked against the Python API; saved models; and every error in one line."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from conftest import read_news_seeds

import lexsim
from lexsim import cli
from lexsim.cli import commands, loading, rendering
from lexsim.corpus import read_corpus
from lexsim.model import load_model

ANALYST = dict(
    strip_accents="unicode", stop_words="english", sublinear_tf=True, token_pattern=cli.ANALYST_TOKEN_PATTERN
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_ok(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert err == ""  # stderr is not a terminal here: no progress display
    return out


def assert_one_line_error(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2, (code, err)
    assert out == ""
    assert err.startswith("lexsim: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


# ---------------------------------------------------------------------------- corpora on disk


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict:
    """The news-seeds articles as a nested folder (plus one .md), a JSONL, a CSV and a Parquet file."""
    names, texts = read_news_seeds()
    root = tmp_path_factory.mktemp("cli")
    folder = root / "articles"
    for name, text in zip(names, texts):
        (folder / "2020" / "idlib").mkdir(parents=True, exist_ok=True)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    # Nested copies (with an edit, so that they are not exact duplicates), a Markdown file, and
    # files the reader must leave out.
    for name, text in zip(names[:3], texts[:3]):
        (folder / "2020" / "idlib" / name).write_text(text + "\nUpdated.", encoding="utf-8")
    (folder / "notes.md").write_text("# Notes\n\n" + texts[4][:800], encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_text("not read", encoding="utf-8")

    jsonl = root / "articles.jsonl"
    lines = [
        json.dumps({"id": n.split("_")[0], "title": t.splitlines()[0], "text": t}, ensure_ascii=False)
        for n, t in zip(names, texts)
    ]
    jsonl.write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n", encoding="utf-8")

    table = root / "articles.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "body", "source"])
        for n, t in zip(names, texts):
            w.writerow([n[:3], t, "news-seeds"])
    found = {
        "folder": ([str(folder)], folder),
        "jsonl": ([str(jsonl)], jsonl),
        "csv": ([str(table), "--text-column", "body", "--id-column", "name"], table),
    }
    if "parquet" in KINDS:  # the CSV's columns, the text as Arrow large strings, in row groups of 2
        import pyarrow as pa
        import pyarrow.parquet as pq

        parquet = root / "articles.parquet"
        pq.write_table(
            pa.table(
                {
                    "name": [n[:3] for n in names],
                    "body": pa.array(texts, pa.large_string()),
                    "source": ["news-seeds"] * len(names),
                }
            ),
            parquet,
            row_group_size=2,
        )
        found["parquet"] = ([str(parquet), "--text-column", "body", "--id-column", "name"], parquet)
    return found


# .parquet needs the optional pyarrow, which `make venv` installs
KINDS = ["folder", "jsonl", "csv"] + (["parquet"] if importlib.util.find_spec("pyarrow") else [])


@pytest.fixture(scope="module")
def api(corpora) -> dict:
    """What the Python API gives on each corpus with the command's default analysis."""
    out = {}
    for kind in KINDS:
        argv, path = corpora[kind]
        kwargs = dict(text_column="body", id_column="name") if kind in ("csv", "parquet") else {}
        ids, texts = read_corpus(path, **kwargs)
        vec = lexsim.TfidfVectorizer(**ANALYST)
        X = vec.fit_transform(texts)
        out[kind] = dict(argv=argv, ids=ids, texts=texts, vec=vec, X=X)
    return out


def _key_terms(a: dict, n: int, **kw) -> list:
    """What the commands' key terms should be: lexsim.key_terms with the command's defaults."""
    return lexsim.key_terms(a["vec"], a["texts"], n, background=commands._default_background(), **kw)


def test_corpora_are_read_as_documented(api) -> None:
    ids = api["folder"]["ids"]
    names, _ = read_news_seeds()
    assert ids == sorted(names + [f"2020/idlib/{n}" for n in names[:3]] + ["notes.md"])
    assert api["jsonl"]["ids"] == [n.split("_")[0] for n in names]
    assert api["csv"]["ids"] == [n[:3] for n in names]
    assert api["jsonl"]["texts"] == api["csv"]["texts"] == read_news_seeds()[1]
    if "parquet" in api:
        assert api["parquet"]["ids"] == api["csv"]["ids"] and api["parquet"]["texts"] == api["csv"]["texts"]


# ---------------------------------------------------------------------------- commands x formats


def _neighbors(a: dict, k: int, threshold=None) -> list:
    nn = lexsim.top_k(a["X"], k=k, threshold=threshold)
    out = []
    for i, doc in enumerate(a["ids"]):
        row = nn.getrow(i)
        order = np.lexsort((row.indices, -row.data))
        out.append((doc, [(a["ids"][row.indices[o]], float(row.data[o])) for o in order]))
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_similar_in_every_format_equals_top_k(capsys, api, kind: str) -> None:
    a = api[kind]
    expected = _neighbors(a, 3)
    data = json.loads(run_ok(capsys, "similar", *a["argv"], "--k", 3, "--format", "json"))
    assert [d["id"] for d in data] == a["ids"]
    for d, (_doc, nb) in zip(data, expected):
        assert set(d) == {"id", "neighbors"}
        assert [n["id"] for n in d["neighbors"]] == [j for j, _ in nb]
        assert [n["score"] for n in d["neighbors"]] == pytest.approx([s for _, s in nb], rel=1e-12)

    rows = list(csv.reader(io.StringIO(run_ok(capsys, "similar", *a["argv"], "--k", 3, "--format", "csv"))))
    assert rows[0] == ["id", "rank", "neighbor", "score"]
    flat = [(doc, str(r), j, s) for doc, nb in expected for r, (j, s) in enumerate(nb, 1)]
    assert [(x[0], x[1], x[2]) for x in rows[1:]] == [(f[0], f[1], f[2]) for f in flat]
    assert [float(x[3]) for x in rows[1:]] == pytest.approx([f[3] for f in flat], rel=1e-12)

    table = run_ok(capsys, "similar", *a["argv"], "--k", 3).splitlines()
    assert table[0].split() == ["document", "neighbour", "score"]
    first_doc, first_nb = expected[0]
    assert table[1].split()[:3] == [first_doc, first_nb[0][0], f"{first_nb[0][1]:.3f}"]

    # --threshold keeps neighbours strictly above it.
    data = json.loads(run_ok(capsys, "similar", *a["argv"], "--threshold", 0.2, "--format", "json"))
    expected = _neighbors(a, 5, threshold=0.2)
    assert [[n["id"] for n in d["neighbors"]] for d in data] == [[j for j, _ in nb] for _, nb in expected]
    assert all(n["score"] > 0.2 for d in data for n in d["neighbors"])


@pytest.mark.parametrize("kind", KINDS)
def test_pairs_in_every_format_equal_similar_pairs(capsys, api, kind: str) -> None:
    a = api[kind]
    rows, cols, scores = lexsim.similar_pairs(a["X"], 0.2)
    expected = sorted(
        ((a["ids"][i], a["ids"][j], float(s)) for i, j, s in zip(rows, cols, scores)),
        key=lambda p: (-p[2], a["ids"].index(p[0]), a["ids"].index(p[1])),
    )
    assert expected, "the corpus should have pairs at 0.2"
    data = json.loads(run_ok(capsys, "pairs", *a["argv"], "--threshold", 0.2, "--format", "json"))
    assert [(d["id1"], d["id2"]) for d in data] == [(p[0], p[1]) for p in expected]
    assert [d["score"] for d in data] == pytest.approx([p[2] for p in expected], rel=1e-12)
    assert all(set(d) == {"id1", "id2", "score"} for d in data)

    got = list(csv.reader(io.StringIO(run_ok(capsys, "pairs", *a["argv"], "--threshold", 0.2, "--format", "csv"))))
    assert got[0] == ["id1", "id2", "score"]
    assert [(r[0], r[1]) for r in got[1:]] == [(p[0], p[1]) for p in expected]

    # 0.2 is the default threshold, as report's.
    assert (
        run_ok(capsys, "pairs", *a["argv"], "--format", "json") == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    )
    table = run_ok(capsys, "pairs", *a["argv"], "--threshold", 0.2).splitlines()
    assert table[0].split() == ["score", "document", "1", "document", "2"]
    assert table[1].split() == [f"{expected[0][2]:.3f}", expected[0][0], expected[0][1]]
    assert table[-1].startswith(f"{len(expected)} pair")


def test_pairs_with_tied_scores_keep_the_order_of_similar_pairs(capsys, tmp_path) -> None:
    # Four copies of one article: its six pairs score the same, bit for bit; a near copy of another
    # scores less. Ties come in similar_pairs' (row, col) order.
    story, other = "Grain corridor talks resume in Istanbul", "Putin met Erdogan in Sochi on Monday"
    texts = [story, other, story, story, other.replace("Monday", "Friday"), story]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    data = json.loads(run_ok(capsys, "pairs", path, "--threshold", 0.3, "--format", "json"))
    copies = [("d0", "d2"), ("d0", "d3"), ("d0", "d5"), ("d2", "d3"), ("d2", "d5"), ("d3", "d5")]
    assert [(d["id1"], d["id2"]) for d in data] == copies + [("d1", "d4")]
    assert len({d["score"] for d in data[:6]}) == 1 and data[6]["score"] < data[0]["score"]
    csv_rows = list(csv.reader(io.StringIO(run_ok(capsys, "pairs", path, "--threshold", 0.3, "--format", "csv"))))
    assert [tuple(r[:2]) for r in csv_rows[1:]] == copies + [("d1", "d4")]


@pytest.mark.parametrize("kind", KINDS)
def test_groups_in_every_format_equal_group(capsys, api, kind: str) -> None:
    a = api[kind]
    stories = lexsim.group(a["X"], 0.25, vectorizer=a["vec"], n_terms=4)
    data = json.loads(run_ok(capsys, "groups", *a["argv"], "--threshold", 0.25, "--n", 4, "--format", "json"))
    assert len(data) == len(stories)
    for d, g in zip(data, stories):
        assert set(d) == {"label", "size", "representative", "top_terms", "members"}
        assert d["label"] == g.label and d["size"] == len(g)
        assert d["representative"] == a["ids"][g.representative]
        assert d["members"] == [a["ids"][m] for m in g.members]
    expected = _key_terms(a, 4, groups=stories)
    for d, top in zip(data, expected):  # each group's key terms: keyness of the members' summed counts
        assert [t["term"] for t in d["top_terms"]] == [t.term for t in top]
        assert [t["score"] for t in d["top_terms"]] == pytest.approx([t.score for t in top], rel=1e-12)
        assert [t["count"] for t in d["top_terms"]] == [t.raw_count for t in top]

    rows = list(
        csv.reader(io.StringIO(run_ok(capsys, "groups", *a["argv"], "--threshold", 0.25, "--n", 4, "--format", "csv")))
    )
    assert rows[0] == ["label", "size", "representative", "top_terms", "member"]
    assert sorted(r[4] for r in rows[1:]) == sorted(a["ids"])  # one row per document
    assert all(int(r[0]) == stories.labels[a["ids"].index(r[4])] for r in rows[1:])

    table = run_ok(capsys, "groups", *a["argv"], "--threshold", 0.25, "--n", 4)
    big = [g for g in stories if len(g) >= 2]
    assert table.startswith("key terms by keyness (G2) against ")
    assert table.splitlines()[1].startswith(f"{len(big)} group")
    for g in big:
        assert a["ids"][g.representative] in table


@pytest.mark.parametrize("kind", KINDS)
def test_terms_in_every_format_equal_key_terms(capsys, api, kind: str) -> None:
    a = api[kind]
    expected = _key_terms(a, 4)
    data = json.loads(run_ok(capsys, "terms", *a["argv"], "--n", 4, "--format", "json"))
    assert [d["id"] for d in data] == a["ids"]
    for d, terms in zip(data, expected):
        assert [t["term"] for t in d["terms"]] == [t.term for t in terms]
        assert [t["score"] for t in d["terms"]] == pytest.approx([t.score for t in terms], rel=1e-12)
        assert [t["count"] for t in d["terms"]] == [t.raw_count for t in terms]

    rows = list(csv.reader(io.StringIO(run_ok(capsys, "terms", *a["argv"], "--n", 4, "--format", "csv"))))
    assert rows[0] == ["id", "rank", "term", "score", "count"]
    assert [(r[0], int(r[1]), r[2]) for r in rows[1:]] == [
        (doc, r, t.term) for doc, terms in zip(a["ids"], expected) for r, t in enumerate(terms, 1)
    ]

    table = run_ok(capsys, "terms", *a["argv"], "--n", 4).splitlines()
    assert table[0].startswith("key terms by keyness (G2) against ") and table[1] == ""
    assert table[2].split() == ["document", "terms"]
    assert table[3].split(None, 1) == [a["ids"][0], ", ".join(t.term for t in expected[0])]


def test_terms_tfidf_scoring_is_the_old_ranking_with_meaningful_ties(capsys, api) -> None:
    a = api["jsonl"]
    data = json.loads(run_ok(capsys, "terms", *a["argv"], "--n", 6, "--scoring", "tfidf", "--format", "json"))
    top = lexsim.top_terms(a["vec"], a["X"], n=50)
    for d, ranked in zip(data, top):
        weights = [t["score"] for t in d["terms"]]
        assert weights == pytest.approx([w for _, w in ranked[:6]], rel=1e-12)  # the same weights...
        assert weights == sorted(weights, reverse=True)
    err = run(capsys, "terms", *a["argv"], "--scoring", "tfidf", "--background", "corpus")
    assert_one_line_error(*err, "--background applies to --scoring keyness only")


@pytest.mark.parametrize("kind", KINDS)
def test_explain_in_every_format_equals_explain(capsys, api, kind: str) -> None:
    a = api[kind]
    i, j = 0, len(a["ids"]) - 1
    why = lexsim.explain(a["vec"], a["X"], i, j, n=5)
    id1, id2 = a["ids"][i], a["ids"][j]
    data = json.loads(run_ok(capsys, "explain", *a["argv"], id1, id2, "--n", 5, "--format", "json"))
    assert set(data) == {"id1", "id2", "similarity", "n_shared", "terms"}
    assert (data["id1"], data["id2"], data["n_shared"]) == (id1, id2, why.n_shared)
    assert data["similarity"] == pytest.approx(why.similarity, rel=1e-12)
    assert [t["term"] for t in data["terms"]] == [t for t, *_ in why.terms]
    got = [v for t in data["terms"] for v in (t["contribution"], t["weight1"], t["weight2"])]
    assert got == pytest.approx([v for x in why.terms for v in x[1:]], rel=1e-12)

    rows = list(csv.reader(io.StringIO(run_ok(capsys, "explain", *a["argv"], id1, id2, "--n", 5, "--format", "csv"))))
    assert rows[0] == ["term", "contribution", "share", "weight1", "weight2"]
    assert [r[0] for r in rows[1:]] == [t for t, *_ in why.terms]
    shares = [float(r[2]) for r in rows[1:]]
    assert shares == pytest.approx([x / why.similarity for _, x, _, _ in why.terms], rel=1e-12)

    table = run_ok(capsys, "explain", *a["argv"], id1, id2, "--n", 5)
    assert f"cosine {why.similarity:.3f}" in table and f"{why.n_shared} shared terms" in table
    assert why.terms[0][0] in table
    first = next(line for line in table.splitlines() if line.split()[:1] == [why.terms[0][0]])
    assert f"{100 * shares[0]:.1f}%" in first  # the share the CSV gives, as the table shows it


@pytest.mark.parametrize("kind", KINDS)
def test_report_in_every_format(capsys, api, kind: str, monkeypatch) -> None:
    a = api[kind]
    data = json.loads(run_ok(capsys, "report", *a["argv"], "--format", "json"))
    assert set(data) == {"corpus", "threshold", "grouping", "key_terms", "groups", "documents"}
    assert data["corpus"]["documents"] == len(a["ids"])
    assert data["corpus"]["terms"] == a["X"].shape[1]
    assert data["corpus"]["bytes"] == sum(len(t.encode()) for t in a["texts"])
    assert data["corpus"]["options"]["strip_accents"] == "unicode"
    assert data["threshold"] is None  # the default grouping needs none
    stories = lexsim.group(a["X"])
    assert data["grouping"]["method"] == "leiden"
    assert data["grouping"]["n_neighbors"] == stories.params["n_neighbors"]
    assert data["grouping"]["description"] == stories.describe()
    assert [d["group"] for d in data["documents"]] == stories.labels.tolist()
    assert [[n["id"] for n in d["neighbors"]] for d in data["documents"]] == [
        [j for j, _ in nb] for _, nb in _neighbors(a, 2)
    ]
    top = _key_terms(a, 6)
    assert [[t["term"] for t in d["terms"]] for d in data["documents"]] == [[t.term for t in ts] for ts in top]
    assert data["key_terms"]["scoring"] == "keyness"
    top_groups = _key_terms(a, 6, groups=lexsim.group(a["X"]))
    assert [[t["term"] for t in g["top_terms"]] for g in data["groups"]] == [[t.term for t in ts] for ts in top_groups]

    rows = list(csv.reader(io.StringIO(run_ok(capsys, "report", *a["argv"], "--format", "csv"))))
    assert rows[0] == ["id", "group", "terms", "neighbors"]
    assert [r[0] for r in rows[1:]] == a["ids"]

    table = run_ok(capsys, "report", *a["argv"])
    assert f"{len(a['ids'])} documents" in table and f"{a['X'].shape[1]} terms" in table
    assert "accents folded, English stop words, 3+ character words, no numbers, sublinear tf" in table
    assert table.count("  terms:") == table.count("nearest:") == len(a["ids"])
    assert "…" not in table  # not a terminal: nothing is cut
    monkeypatch.setattr(rendering, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "100")
    assert all(_display_width(line) <= 100 for line in run_ok(capsys, "report", *a["argv"]).splitlines())


def _display_width(line: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_report_without_path_runs_on_the_sample(capsys) -> None:
    out = run_ok(capsys, "report")
    lines = out.splitlines()
    assert lines[0].startswith("lexsim sample corpus: 30 articles") and "1107 terms" in lines[0]
    assert lines[1] == "analysis: accents folded, English stop words, 3+ character words, no numbers, sublinear tf"
    assert lines[2].startswith("key terms by keyness (G2) against ")
    assert "6 groups of 2 or more articles; 0 on their own" in out
    words = " ".join(out.split())
    assert "Leiden communities" in words and "k = 5, from 30 documents" in words
    assert out.count("  terms:") == 30 and out.count("nearest:") == 30
    if commands._default_background() == "wordfreq":  # the README's excerpt (wordfreq is in make's venv)
        assert "ankara-talks-1     terms: erdogan, talks, grain, russian, delegations, minister" in lines
    assert all(_display_width(line) <= 100 for line in lines)


WIDE_ARGV = [["terms", "--n", 20], ["similar"], ["report"], ["groups", "--threshold", 0.1], ["pairs"]]


def test_tables_fit_the_width_and_cut_long_cells_with_an_ellipsis(capsys, api, monkeypatch) -> None:
    monkeypatch.setattr(rendering, "_stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "60")
    a = api["folder"]
    for cmd, *rest in WIDE_ARGV:
        out = run_ok(capsys, cmd, *a["argv"], *rest)
        assert all(_display_width(line) <= 60 for line in out.splitlines()), cmd
    assert "…" in run_ok(capsys, "terms", *a["argv"], "--n", 20)


def test_output_is_not_cut_when_stdout_is_not_a_terminal(capsys, api, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # a terminal's width; stdout here is not one
    a = api["folder"]
    for cmd, *rest in WIDE_ARGV:
        out = run_ok(capsys, cmd, *a["argv"], *rest)
        assert "…" not in out, cmd
    out = run_ok(capsys, "terms", *a["argv"], "--n", 20)
    longest = max(out.splitlines(), key=_display_width)
    assert _display_width(longest) > 100
    terms = commands._key_terms(
        cli._build_parser().parse_args(["terms", *map(str, a["argv"])]),
        loading._Corpus(a["ids"], a["texts"], a["vec"], a["X"], "", "documents", None),
        20,
    )[0]
    assert all(", ".join(t.term for t in ts) in out for ts in terms)  # every term of every document
    # A group's members are all listed (wrapped at 100 columns), not "… and N more".
    out = run_ok(capsys, "groups", *a["argv"], "--threshold", 0.01)
    assert "… and" not in out and all(d in out for d in a["ids"])


# Display widths: CJK and fullwidth 2, combining marks 0, an emoji with a skin tone, a ZWJ family, a
# flag and an emoji presentation selector one wide character each.
WIDTHS = {
    "abc": 3,
    "日本語": 6,
    "ＦＵＬＬ": 8,
    "cafe\u0301": 4,
    "👍🏽": 2,
    "👨\u200d👩\u200d👧": 2,
    "🇹🇷🇺🇦": 4,
    "❤\ufe0f": 2,
    "😀🎉x": 5,
    "ﾊﾝｶｸ": 4,
    "مرحبا": 5,
}


@pytest.mark.parametrize("wcwidth", ["installed", "missing"])
def test_table_cells_cut_by_display_width(monkeypatch, wcwidth: str) -> None:
    if wcwidth == "installed":
        pytest.importorskip("wcwidth")
        assert rendering._wcswidth is not None
    else:
        monkeypatch.setattr(rendering, "_wcswidth", None)  # the unicodedata fallback
    assert {t: rendering._width(t) for t in WIDTHS} == WIDTHS
    assert rendering._cut("abcdef", 4) == "abc…"
    assert rendering._cut("日本語のテキスト", 7) == "日本語…"
    assert rendering._cut("ok 👍🏽👍🏽 done", 6) == "ok 👍🏽…"  # never half an emoji sequence
    assert rendering._cut("🇹🇷🇺🇦🇹🇷", 5) == "🇹🇷🇺🇦…"
    assert rendering._cut("abcdef", None) == "abcdef"
    lines = rendering._table(["a", "score"], [["x" * 50, "0.500"]], right=(1,), flexible=(0,), width=20)
    assert [_display_width(x) for x in lines] == [20, 20] and lines[1].endswith("0.500")
    lines = rendering._table(["a", "b"], [["👨\u200d👩\u200d👧 family", "日本"], ["x", "y"]], width=None)
    assert lines[1] == "👨\u200d👩\u200d👧 family  日本" and lines[2] == "x          y"
    assert rendering._table(["a"], [["x" * 300]], flexible=(0,), width=None)[1] == "x" * 300


# ---------------------------------------------------------------------------- search (other branch)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scoring", ["cosine", "bm25"])
def test_search_in_every_format_equals_search_index(capsys, api, kind: str, scoring: str) -> None:
    a = api[kind]
    query = "Damascus talks in Sochi"
    if scoring == "bm25":
        index = lexsim.SearchIndex(a["vec"], documents=a["texts"], scoring="bm25")
    else:
        index = lexsim.SearchIndex(a["vec"], a["X"], scoring="cosine")
    expected = [(a["ids"][i], float(s)) for i, s in index.search(query, k=3)]
    assert expected
    data = json.loads(run_ok(capsys, "search", *a["argv"], query, "--k", 3, "--scoring", scoring, "--format", "json"))
    assert [d["id"] for d in data] == [e[0] for e in expected]
    assert [d["score"] for d in data] == pytest.approx([e[1] for e in expected], rel=1e-12)
    assert all(set(d) == {"id", "score", "snippet"} for d in data)
    assert all("«" in d["snippet"] for d in data)
    rows = list(
        csv.reader(
            io.StringIO(run_ok(capsys, "search", *a["argv"], query, "--k", 3, "--scoring", scoring, "--format", "csv"))
        )
    )
    assert rows[0] == ["rank", "id", "score", "snippet"] and [r[1] for r in rows[1:]] == [e[0] for e in expected]
    assert [r[3] for r in rows[1:]] == [d["snippet"] for d in data]
    table = run_ok(capsys, "search", *a["argv"], query, "--k", 3, "--scoring", scoring).splitlines()
    assert table[0].split() == ["rank", "score", "document", "text"]
    assert table[1].split()[:3] == ["1", f"{expected[0][1]:.3f}", expected[0][0]]


class _StandInIndex:
    """The SearchIndex API the command is written against, by brute force, recording its calls."""

    calls: list = []

    def __init__(
        self,
        vectorizer,
        X=None,
        *,
        documents=None,
        scoring="cosine",
        method=None,
        k1=1.2,
        b=0.75,
        delta=0.5,
        n_jobs=None,
    ):
        type(self).calls.append(
            dict(X=X, documents=documents, scoring=scoring, method=method, k1=k1, b=b, delta=delta, n_jobs=n_jobs)
        )
        self.vectorizer = vectorizer
        self.X = X if X is not None else vectorizer.transform(documents)

    def search(self, query: str, k: int = 10) -> list:
        q = self.vectorizer.transform([query])
        scores = (self.X @ q.T).toarray().ravel()
        order = [int(i) for i in np.lexsort((np.arange(len(scores)), -scores)) if scores[i] > 0][:k]
        return [(i, float(scores[i])) for i in order]


@pytest.mark.parametrize("scoring", ["cosine", "bm25"])
def test_search_command_against_a_stand_in_index(capsys, monkeypatch, api, scoring: str) -> None:
    import types

    monkeypatch.setitem(sys.modules, "lexsim.search", types.SimpleNamespace(SearchIndex=_StandInIndex))
    _StandInIndex.calls = []
    a = api["folder"]
    index = _StandInIndex(a["vec"], a["X"])
    expected = [(a["ids"][i], s) for i, s in index.search("Putin Erdoğan Idlib", k=4)]
    data = json.loads(
        run_ok(
            capsys,
            "search",
            *a["argv"],
            "Putin Erdoğan Idlib",
            "--k",
            4,
            "--scoring",
            scoring,
            "--k1",
            1.5,
            "--b",
            0.5,
            "--jobs",
            2,
            "--format",
            "json",
        )
    )
    assert [{"id": d["id"], "score": d["score"]} for d in data] == [
        {"id": d, "score": pytest.approx(s, rel=1e-12)} for d, s in expected
    ]
    call = _StandInIndex.calls[-1]
    assert (call["scoring"], call["k1"], call["b"], call["n_jobs"]) == (scoring, 1.5, 0.5, 2)
    assert call["method"] == ("lucene" if scoring == "bm25" else None)
    if scoring == "bm25":  # BM25 needs the texts; cosine reuses the TF-IDF matrix
        assert call["documents"] == a["texts"] and call["X"] is None
    else:
        assert call["documents"] is None and call["X"].shape == a["X"].shape
    rows = list(
        csv.reader(
            io.StringIO(
                run_ok(
                    capsys,
                    "search",
                    *a["argv"],
                    "Putin Erdoğan Idlib",
                    "--k",
                    4,
                    "--scoring",
                    scoring,
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert rows[0] == ["rank", "id", "score", "snippet"] and [r[1] for r in rows[1:]] == [d for d, _ in expected]
    monkeypatch.setattr(rendering, "_stdout_is_terminal", lambda: True)  # the text column is cut to the terminal
    monkeypatch.setenv("COLUMNS", "100")
    table = run_ok(capsys, "search", *a["argv"], "Putin Erdoğan Idlib", "--k", 4, "--scoring", scoring)
    lines = table.splitlines()
    assert lines[0].split() == ["rank", "score", "document", "text"]
    assert lines[1].split()[:3] == ["1", f"{expected[0][1]:.3f}", expected[0][0]]
    assert all(_display_width(line) <= 100 for line in lines)
    assert run_ok(capsys, "search", *a["argv"], "zzzzqqq") == "no documents match 'zzzzqqq'\n"


@pytest.mark.parametrize("scoring", ["cosine", "bm25"])
def test_search_finds_each_story_on_the_news_seeds(capsys, api, scoring: str) -> None:
    argv = [*api["jsonl"]["argv"], "--scoring", scoring, "--format", "json"]
    putin = [d["id"] for d in json.loads(run_ok(capsys, "search", *argv[:1], "Assad Putin Kremlin", *argv[1:]))]
    assert sorted(putin[:2]) == ["001", "004"]
    code, out, err = run(capsys, "search", *argv[:1], "Idlib ceasefire", *argv[1:])
    assert code == 0 and sorted(d["id"] for d in json.loads(out)[:3]) == ["000", "002", "003"]
    assert err == "lexsim: note: not in the vocabulary: ceasefire\n"  # the articles write cease-fire


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25l", "bm25+"])
def test_search_bm25_methods(capsys, api, method: str) -> None:
    a = api["jsonl"]
    index = lexsim.SearchIndex(a["vec"], documents=a["texts"], scoring="bm25", method=method, k1=0.9, delta=0.7)
    expected = [(a["ids"][i], s) for i, s in index.search("Assad Putin Lavrov", k=4)]
    data = json.loads(
        run_ok(
            capsys,
            "search",
            *a["argv"],
            "Assad Putin Lavrov",
            "--scoring",
            "bm25",
            "--k",
            4,
            "--bm25-method",
            method,
            "--k1",
            0.9,
            "--delta",
            0.7,
            "--format",
            "json",
        )
    )
    assert [(d["id"], d["score"]) for d in data] == [(i, pytest.approx(s, rel=1e-12)) for i, s in expected]
    assert data  # lavrov is in one article: even robertson ranks it


def test_search_says_why_nothing_matches(capsys, api) -> None:
    a = api["jsonl"]["argv"]
    code, out, err = run(capsys, "search", *a, "kremlin2 xyz")
    assert (code, err) == (0, "")
    assert out == "no documents match 'kremlin2 xyz': none of its terms is in the vocabulary (kremlin2, xyz)\n"
    out = run_ok(capsys, "search", *a, "Idlib Assad", "--scoring", "bm25", "--bm25-method", "robertson")
    assert out.startswith(
        "no documents match 'Idlib Assad': its terms (idlib, assad) are each in half the "
        "documents or more, where robertson's idf is 0"
    )
    assert run_ok(capsys, "search", *a, "the of").startswith("no documents match 'the of': it has no terms")
    code, out, err = run(capsys, "search", *a, "Putin kremlin2 xyz", "--k", 1)
    assert code == 0 and err == "lexsim: note: not in the vocabulary: kremlin2, xyz\n"
    assert out.splitlines()[1].split()[0] == "1"
    code, out, err = run(capsys, "search", *a, "xyz", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert (
        err == "lexsim: note: not in the vocabulary: xyz\nlexsim: note: no documents match: none of its terms is in "
        "the vocabulary (xyz)\n"
    )


def test_search_snippets_mark_the_matched_words(capsys, api, monkeypatch) -> None:
    a = api["jsonl"]
    data = json.loads(run_ok(capsys, "search", *a["argv"], "ERDOGAN Türkiye", "--k", 5, "--format", "json"))
    snippets = {d["id"]: d["snippet"] for d in data}
    assert "«Erdogan»" in snippets["000"]
    assert "«Türkiye»" in snippets["004"] or "«Erdoğan»" in snippets["004"]  # accents folded, case ignored
    for d in data:
        text = a["texts"][a["ids"].index(d["id"])]
        plain = d["snippet"].replace("«", "").replace("»", "").strip("…")
        assert plain in " ".join(text.split())  # a piece of the text, whitespace collapsed
        assert len(d["snippet"]) <= 160
    monkeypatch.setenv("COLUMNS", "100")
    table = run_ok(capsys, "search", *a["argv"], "Assad Putin Kremlin").splitlines()
    assert "«Kremlin» said «Putin» and «Assad»'s" in table[1]
    assert all(_display_width(line) <= 60 + 160 for line in table)  # piped: the whole snippet, uncut
    assert "\033[" not in "".join(table)
    # On a terminal the matched words are bold instead
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    bold = cli.main(["search", *a["argv"], "Assad Putin Kremlin"])
    out = capsys.readouterr().out
    assert bold == 0 and "\033[1mKremlin\033[0m said \033[1mPutin\033[0m" in out and "«" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli.main(["search", *a["argv"], "Assad"]) == 0 and "«Assad»" in capsys.readouterr().out


def test_snippet_helper() -> None:
    def analyze(word):
        return [word.lower().replace("ğ", "g")]

    text = "One two three Erdoğan four five six seven eight nine ten eleven twelve thirteen fourteen"
    # a quarter of the width before the first matched word, starting at a word; cut at a word
    assert rendering._snippet(text, {"erdogan"}, analyze, 40, ("[", "]")) == "…two three [Erdoğan] four five six…"
    assert rendering._snippet(text, {"twelve"}, analyze, 30, ("[", "]")) == "…eleven [twelve] thirteen…"
    # the window that holds the most distinct terms
    assert (
        rendering._snippet(text, {"erdogan", "twelve"}, analyze, 80, ("[", "]"))
        == "One two three [Erdoğan] four five six seven eight nine ten eleven [twelve]…"
    )
    assert rendering._snippet(text, {"none"}, analyze, 20, ("[", "]")) == "One two three Erdoğ…"
    assert rendering._snippet("a  b\n\nc", {"b"}, analyze, 20, ("[", "]")) == "a [b] c"
    assert rendering._snippet(text, {"erdogan"}, None, 12, ("[", "]")) == "One two thr…"


# ---------------------------------------------------------------------------- models


COMMANDS = [
    ["similar", "--k", "3"],
    ["pairs", "--threshold", "0.2"],
    ["groups", "--threshold", "0.2"],
    ["terms", "--n", "5"],
    ["report"],
]


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--sklearn-defaults", "--ngram-range", "1", "2", "--min-df", "2"],
        ["--analyzer", "char_wb", "--ngram-range", "2", "4", "--no-idf", "--norm", "l1"],
        ["--dtype", "float32", "--casefold", "--normalization", "NFKC", "--max-features", "300"],
    ],
)
def test_fit_then_model_gives_the_same_output_as_fitting_afresh(capsys, api, tmp_path, options) -> None:
    a = api["folder"]
    model = tmp_path / "news.lexsim"
    summary = json.loads(run_ok(capsys, "fit", *a["argv"], *options, "-o", model, "--format", "json"))
    assert summary["model"] == str(model) and summary["documents"] == len(a["ids"])
    assert model.exists() and not [p for p in tmp_path.iterdir() if p.name != "news.lexsim"]  # no temp file left
    for command in COMMANDS:
        for fmt in ("json", "csv", "table"):
            fresh = run_ok(capsys, command[0], *a["argv"], *command[1:], *options, "--format", fmt)
            reused = run_ok(capsys, command[0], *a["argv"], *command[1:], "--model", model, "--format", fmt)
            if command[0] == "report" and fmt == "table":  # the analysis line names the model instead
                fresh, reused = fresh.splitlines()[2:], reused.splitlines()[2:]
            if command[0] == "report" and fmt == "json":
                fresh, reused = json.loads(fresh), json.loads(reused)
                assert reused["corpus"]["options"] == fresh["corpus"]["options"]
            assert reused == fresh, (command, fmt)
    ids = a["ids"]
    assert run_ok(capsys, "explain", *a["argv"], ids[0], ids[1], *options, "--format", "json") == run_ok(
        capsys, "explain", *a["argv"], ids[0], ids[1], "--model", model, "--format", "json"
    )


def test_a_model_transforms_another_corpus_like_the_fitted_vectorizer(capsys, api, tmp_path) -> None:
    folder, other = api["folder"], api["jsonl"]
    model = tmp_path / "m.lexsim"
    run_ok(capsys, "fit", *folder["argv"], "-o", model)
    # With --model the model's analysis and vocabulary decide the key terms (no refit).
    expected = lexsim.key_terms(folder["vec"], other["texts"], 5, background=commands._default_background())
    data = json.loads(run_ok(capsys, "terms", *other["argv"], "--model", model, "--n", 5, "--format", "json"))
    assert [[t["term"] for t in d["terms"]] for d in data] == [[t.term for t in ts] for ts in expected]
    loaded = load_model(model)
    assert (loaded.transform(other["texts"]) != folder["vec"].transform(other["texts"])).nnz == 0


def test_fit_reaches_every_analysis_option(capsys, api, tmp_path) -> None:
    model = tmp_path / "m.lexsim"
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("idlib\nputin\nerdogan\nassad\nmoscow\n", encoding="utf-8")
    cases = [
        (["--no-lowercase"], {"lowercase": False}),
        (["--strip-accents", "ascii"], {"strip_accents": "ascii"}),
        (["--strip-accents", "none"], {"strip_accents": None}),
        (["--stop-words", "none"], {"stop_words": None}),
        (["--no-sublinear-tf"], {"sublinear_tf": False}),
        (["--ngram-range", "1", "3"], {"ngram_range": (1, 3)}),
        (["--min-df", "2", "--max-df", "0.9"], {"min_df": 2, "max_df": 0.9}),
        (["--min-df", "0.1", "--max-df", "4"], {"min_df": 0.1, "max_df": 4}),
        (["--max-features", "50"], {"max_features": 50}),
        (["--norm", "none"], {"norm": None}),
        (["--no-idf"], {"use_idf": False}),
        (["--no-smooth-idf"], {"smooth_idf": False}),
        (["--binary"], {"binary": True}),
        (["--normalization", "NFC"], {"normalization": "NFC"}),
        (["--casefold"], {"casefold": True}),
        # the analyst's word options are left off for character n-grams (they would go unused)
        (
            ["--analyzer", "char"],
            {"analyzer": "char", "stop_words": None, "token_pattern": r"(?u)\b\w\w+\b", "strip_accents": "unicode"},
        ),
        (["--token-pattern", r"(?u)\b\w+\b"], {"token_pattern": r"(?u)\b\w+\b"}),
        (["--dtype", "float32"], {"dtype": "float32"}),
        (["--sklearn-defaults"], {"strip_accents": None, "stop_words": None, "sublinear_tf": False}),
        (["--sklearn-defaults", "--sublinear-tf"], {"strip_accents": None, "sublinear_tf": True}),
    ]
    for options, expected in cases:
        run_ok(capsys, "fit", *api["jsonl"]["argv"], *options, "-o", model)
        params = load_model(model).get_params()
        for name, value in expected.items():
            got = np.dtype(params[name]).name if name == "dtype" else params[name]
            assert got == value, (options, name, got)
    run_ok(capsys, "fit", *api["jsonl"]["argv"], "--vocabulary", vocab, "-o", model)
    assert load_model(model).get_feature_names_out().tolist() == ["idlib", "putin", "erdogan", "assad", "moscow"]


def test_word_options_given_with_character_ngrams_warn_as_unused(capsys, api, tmp_path) -> None:
    model = tmp_path / "m.lexsim"
    code, out, err = run(
        capsys, "fit", *api["jsonl"]["argv"], "--analyzer", "char_wb", "--stop-words", "english", "-o", model
    )
    assert code == 0 and out.startswith("saved ")
    assert err == "lexsim: warning: The parameter 'stop_words' will not be used since 'analyzer' != 'word'\n"
    assert load_model(model).get_params()["stop_words"] == "english"


def test_sklearn_defaults_are_scikit_learns(capsys, api, tmp_path) -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    a = api["jsonl"]
    model = tmp_path / "m.lexsim"
    run_ok(capsys, "fit", *a["argv"], "--sklearn-defaults", "-o", model)
    reference = sklearn_text.TfidfVectorizer()
    Xs = reference.fit_transform(a["texts"])
    loaded = load_model(model)
    assert loaded.get_feature_names_out().tolist() == reference.get_feature_names_out().tolist()
    assert abs(loaded.transform(a["texts"]) - Xs).max() < 1e-12
    ours = {k: v for k, v in loaded.get_params().items() if k in reference.get_params() and k != "vocabulary"}
    assert ours == {k: reference.get_params()[k] for k in ours}


# ---------------------------------------------------------------------------- errors


@pytest.fixture()
def bad_inputs(tmp_path) -> pathlib.Path:
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-images").mkdir()
    (tmp_path / "only-images" / "a.png").write_bytes(b"\x89PNG")
    (tmp_path / "latin1").mkdir()
    (tmp_path / "latin1" / "a.txt").write_bytes("Erdoğan".encode())
    (tmp_path / "latin1" / "b.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "dangling").mkdir()
    (tmp_path / "dangling" / "ok.txt").write_text("fine", encoding="utf-8")
    os.symlink(tmp_path / "missing.txt", tmp_path / "dangling" / "gone.txt")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_text("\n  \n", encoding="utf-8")
    (tmp_path / "broken.jsonl").write_text('{"text": "a"}\n{"text": oops}\n', encoding="utf-8")
    (tmp_path / "notext.jsonl").write_text('{"body": "a"}\n', encoding="utf-8")
    (tmp_path / "dup.jsonl").write_text('{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}\n', encoding="utf-8")
    (tmp_path / "bad.jsonl").write_bytes(b'{"text": "ok"}\n{"text": "\xc3\x28"}\n')
    (tmp_path / "stop.jsonl").write_text('{"text": "the and of"}\n', encoding="utf-8")
    (tmp_path / "header.csv").write_text("text\n", encoding="utf-8")
    (tmp_path / "nocol.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    (tmp_path / "ok.csv").write_text("text\nErdogan met Putin\nPutin met Assad\n", encoding="utf-8")
    (tmp_path / "ragged.csv").write_text("id,text\n1,a,b\n", encoding="utf-8")
    (tmp_path / "corpus.json").write_text('[{"text": "one file"}]', encoding="utf-8")
    (tmp_path / "x.jsonl").mkdir()  # a folder with a file's name: read as a folder, and empty
    return tmp_path


ERRORS = [
    (["similar", "{d}/nope"], "no such file or folder"),
    (["similar", "{d}/empty"], "empty corpus"),
    (["similar", "{d}/only-images"], "no .txt or .md files"),
    (["similar", "{d}/empty.jsonl"], "empty corpus"),
    (["similar", "{d}/blank.jsonl"], "empty corpus"),
    (["similar", "{d}/header.csv"], "empty corpus"),
    (["similar", "{d}/x.jsonl"], "empty corpus"),
    (["similar", "{d}/corpus.json"], "not a folder, a .jsonl, .csv, .parquet, .txt or .md file"),
    (["similar", "{d}/latin1"], "b.txt: not valid utf-8 at byte offset 3"),
    (["similar", "{d}/bad.jsonl"], "bad.jsonl: not valid utf-8 at byte offset 25 (line 2)"),
    (["similar", "{d}/dangling"], "gone.txt"),
    (["similar", "{d}/broken.jsonl"], "broken.jsonl, line 2: invalid JSON"),
    (["similar", "{d}/notext.jsonl"], "line 1: no 'text' field"),
    (["similar", "{d}/dup.jsonl"], "duplicate id '1' (line 1 and line 2)"),
    (["similar", "{d}/nocol.csv"], "no column 'text'"),
    (["similar", "{d}/nocol.csv", "--text-column", "body", "--id-column", "key"], "no column 'key'"),
    (["similar", "{d}/ragged.csv"], "3 fields where the header has 2"),
    (["similar", "{d}/stop.jsonl"], "empty vocabulary"),
    (["similar", "{d}/ok.csv", "--encoding", "klingon"], "unknown encoding"),
    (["similar", "{d}/ok.csv", "--k", "0"], "argument --k: expected a positive integer"),
    (["similar", "{d}/ok.csv", "--k", "two"], "argument --k"),
    (["similar", "{d}/ok.csv", "--threshold", "2"], "argument --threshold"),
    (["similar", "{d}/ok.csv", "--threshold", "nan"], "argument --threshold"),
    (["pairs", "{d}/ok.csv", "--threshold", "0"], "argument --threshold"),
    (["groups", "{d}/ok.csv", "--threshold", "1.5"], "argument --threshold"),
    (["terms", "{d}/ok.csv", "--n", "-1"], "argument --n"),
    (["terms", "{d}/ok.csv", "--jobs", "0"], "argument --jobs"),
    (["terms", "{d}/ok.csv", "--min-df", "1.5"], "argument --min-df"),
    (["terms", "{d}/ok.csv", "--min-df", "10"], "--min-df 10 keeps no terms: the corpus has 2 documents"),
    (
        ["terms", "{d}/ok.csv", "--max-df", "0.1"],
        "--max-df 0.1 keeps no terms: it allows at most 0.2 documents, --min-df 1 asks for at least 1; the corpus has 2 documents",
    ),
    (
        ["terms", "{d}/ok.csv", "--min-df", "3", "--max-df", "5"],
        "--min-df 3 keeps no terms: the corpus has 2 documents (After pruning, no terms remain. Try a lower --min-df or "
        "a higher --max-df.)",
    ),
    (["terms", "{d}/ok.csv", "--ngram-range", "2", "1"], "ngram_range"),
    (["terms", "{d}/ok.csv", "--token-pattern", "(a)(b)"], "argument --token-pattern"),
    (["terms", "{d}/ok.csv", "--token-pattern", "["], "argument --token-pattern"),
    (["terms", "{d}/ok.csv", "--format", "xml"], "argument --format"),
    (["terms", "{d}/ok.csv", "--vocabulary", "{d}/nope.txt"], "nope.txt"),
    (["terms", "{d}/ok.csv", "--model", "{d}/nope.lexsim"], "nope.lexsim"),
    (["terms", "{d}/ok.csv", "--model", "{d}/ok.csv"], "not a lexsim model"),
    (["terms", "{d}/ok.csv", "--model", "{d}/empty"], "is a folder"),
    (["explain", "{d}/ok.csv", "1", "7"], "unknown document id '7'"),
    (["search", "{d}/ok.csv", "q", "--scoring", "tfidf"], "argument --scoring"),
    (["search", "{d}/ok.csv", "q", "--b", "2"], "argument --b"),
    (["fit", "{d}/ok.csv"], "-o/--output"),
    (["fit", "{d}/ok.csv", "-o", "{d}/no/such/folder/m.lexsim"], "No such file or directory"),
    (["frobnicate"], "invalid choice"),
    ([], "COMMAND"),
    (["report", "--bogus"], "unrecognized arguments: --bogus"),
]


def test_a_txt_file_is_one_document_and_a_csv_id_column_gives_the_ids(capsys, tmp_path) -> None:
    (tmp_path / "one.txt").write_text("Erdoğan met Putin in Sochi.\nPutin later met Assad.\n", encoding="utf-8")
    data = json.loads(run_ok(capsys, "terms", tmp_path / "one.txt", "--format", "json"))
    assert [d["id"] for d in data] == ["one.txt"]
    assert {t["term"] for t in data[0]["terms"]} == {"erdogan", "putin", "sochi", "later", "met", "assad"}
    (tmp_path / "t.csv").write_text("id,text\nx1,Erdogan met Putin\nx2,Putin met Assad\n", encoding="utf-8")
    assert [d["id"] for d in json.loads(run_ok(capsys, "terms", tmp_path / "t.csv", "--format", "json"))] == [
        "x1",
        "x2",
    ]
    out = run_ok(capsys, "pairs", tmp_path / "t.csv", "--id-column", "text", "--threshold", "0.1", "--format", "csv")
    assert out.splitlines()[1].startswith("Erdogan met Putin,Putin met Assad,")
    assert "FILE.txt     one document" in run_ok(capsys, "--help")


@pytest.mark.parametrize("argv, fragment", ERRORS, ids=[" ".join(a[:1] + a[2:])[:40] or "none" for a, _ in ERRORS])
def test_errors_are_one_line_with_exit_status_2(capsys, bad_inputs, argv, fragment) -> None:
    argv = [a.format(d=bad_inputs) for a in argv]
    assert_one_line_error(*run(capsys, *argv), fragment)


def test_decode_error_option_reads_bad_bytes_anyway(capsys, bad_inputs) -> None:
    code, out, err = run(capsys, "similar", bad_inputs / "latin1")
    assert code == 2 and "--decode-error" in err
    data = json.loads(run_ok(capsys, "terms", bad_inputs / "latin1", "--decode-error", "replace", "--format", "json"))
    assert [d["id"] for d in data] == ["a.txt", "b.txt"]
    assert {"caf", "lait"} <= {t["term"] for t in data[1]["terms"]}  # U+FFFD split "café"
    data = json.loads(run_ok(capsys, "terms", bad_inputs / "latin1", "--encoding", "latin-1", "--format", "json"))
    assert "café" not in [t["term"] for t in data[1]["terms"]] and "cafe" in [t["term"] for t in data[1]["terms"]]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_one_line(capsys, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("readable", encoding="utf-8")
    secret = tmp_path / "b.txt"
    secret.write_text("secret", encoding="utf-8")
    secret.chmod(0)
    try:
        assert_one_line_error(*run(capsys, "terms", tmp_path), "cannot read", "b.txt", "Permission denied")
    finally:
        secret.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_txt_is_an_error_not_a_hang(capsys, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("readable", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    assert_one_line_error(*run(capsys, "terms", tmp_path), "pipe.txt: not a regular file")


def test_model_with_analysis_options_is_refused(capsys, api, tmp_path) -> None:
    model = tmp_path / "m.lexsim"
    run_ok(capsys, "fit", *api["jsonl"]["argv"], "-o", model)
    for extra in (["--min-df", "2"], ["--sklearn-defaults"], ["--no-lowercase"], ["--stop-words", "none"]):
        assert_one_line_error(
            *run(capsys, "terms", *api["jsonl"]["argv"], "--model", model, *extra), "--model fixes the analysis options"
        )


@pytest.mark.parametrize("damage", ["truncated", "flipped", "magic", "future", "empty", "trailing"])
def test_damaged_models_are_one_line_errors(capsys, api, tmp_path, damage: str) -> None:
    model = tmp_path / "m.lexsim"
    run_ok(capsys, "fit", *api["jsonl"]["argv"], "-o", model)
    data = bytearray(model.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data[len(data) // 3] ^= 0x10
    elif damage == "magic":
        data[:8] = b"PK\x03\x04\0\0\0\0"
    elif damage == "future":
        data[8:12] = (2).to_bytes(4, "little")
    elif damage == "empty":
        data = bytearray()
    else:
        data += b"\0"
    model.write_bytes(bytes(data))
    expected = {
        "truncated": "truncated",
        "flipped": "checksum mismatch",
        "magic": "not a lexsim model",
        "future": "version 2 is newer",
        "empty": "empty",
        "trailing": "1 unexpected bytes after the end",
    }[damage]
    assert_one_line_error(*run(capsys, "terms", *api["jsonl"]["argv"], "--model", model), str(model), expected)


def test_a_count_vectorizer_model_is_a_one_line_error(capsys, api, tmp_path) -> None:
    model = tmp_path / "counts.lexsim"
    lexsim.CountVectorizer().fit(api["jsonl"]["texts"]).save(model)
    assert_one_line_error(
        *run(capsys, "terms", *api["jsonl"]["argv"], "--model", model),
        str(model),
        "a CountVectorizer model",
        "TfidfVectorizer",
    )


def test_interrupt_exits_130_quietly(capsys, monkeypatch, api) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "_load", interrupted)
    code, out, err = run(capsys, "terms", *api["jsonl"]["argv"])
    assert (code, out, err) == (130, "", "")


def test_internal_errors_are_one_line_unless_debug(capsys, monkeypatch, api) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(commands, "_load", broken)
    code, out, err = run(capsys, "terms", *api["jsonl"]["argv"])
    assert (
        code == 1
        and err == "lexsim: internal error: RuntimeError: something unexpected (run with --debug for the traceback)\n"
    )
    with pytest.raises(RuntimeError):
        cli.main(["terms", *api["jsonl"]["argv"], "--debug"])


def test_library_warnings_are_one_line(capsys, monkeypatch, api) -> None:
    import warnings

    real = commands._load

    def warns(*args, **kwargs):
        warnings.warn("careful\nnow", UserWarning)
        return real(*args, **kwargs)

    monkeypatch.setattr(commands, "_load", warns)
    code, out, err = run(capsys, "terms", *api["jsonl"]["argv"])
    assert code == 0 and err == "lexsim: warning: careful now\n"


def test_help_documents_every_json_shape(capsys) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "accents folded" in out and "--sklearn-defaults" in out
    shapes = {
        "similar": '[{"id": ID, "neighbors": [{"id": ID, "score": COSINE}, ...]}, ...]',
        "search": '[{"id": ID, "score": FLOAT, "snippet": STR}, ...]',
        "pairs": '"id1": ID, "id2": ID, "score": COSINE',
        "groups": '"representative": ID',
        "terms": '"terms": [{"term": STR, "score": FLOAT, "count": INT}',
        "explain": '"contribution": FLOAT',
        "report": '"documents": [{"id": ID',
        "fit": '"model": PATH',
    }
    for command, shape in shapes.items():
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "JSON:" in out and shape in out, command
        if command != "fit":
            assert "--model" in out
        assert "default" in out and "--strip-accents" in out and "--jobs" in out


# ---------------------------------------------------------------------------- progress display


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal() -> None:
    tty = _FakeTerminal()
    progress = rendering._Progress(tty)
    for done in range(1, 6):
        progress.bar("reading", done, 5)
    with progress.step("fitting"):
        import time

        time.sleep(0.4)
    drawn = tty.getvalue()
    assert "lexsim: reading [" in drawn and "5/5" in drawn and "lexsim: fitting..." in drawn
    assert drawn.endswith("\r\x1b[K")  # the line is cleared at the end
    plain = io.StringIO()
    quiet = rendering._Progress(plain)
    quiet.bar("reading", 1, 1)
    with quiet.step("fitting"):
        pass
    assert plain.getvalue() == ""


# ---------------------------------------------------------------------------- as programs


def test_python_dash_m_and_the_console_script(api) -> None:
    a = api["folder"]
    argv = ["similar", *a["argv"], "--k", "2", "--format", "json"]
    module = subprocess.run([sys.executable, "-m", "lexsim", *argv], capture_output=True, text=True)
    assert module.returncode == 0 and module.stderr == ""
    script = shutil.which("lexsim", path=os.path.dirname(sys.executable)) or shutil.which("lexsim")
    assert script, "the lexsim console script is not installed"
    console = subprocess.run([script, *argv], capture_output=True, text=True)
    assert console.returncode == 0 and console.stdout == module.stdout
    assert [d["id"] for d in json.loads(module.stdout)] == a["ids"]
    bad = subprocess.run([script, "similar", "/no/such/corpus"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "lexsim: error: no such file or folder: /no/such/corpus\n"


def test_a_closed_pipe_is_not_an_error(api) -> None:
    proc = subprocess.run(
        f"'{sys.executable}' -m lexsim report | head -n 1", shell=True, capture_output=True, text=True
    )
    assert proc.stdout.startswith("lexsim sample corpus") and "Traceback" not in proc.stderr


def test_readme_excerpts_are_real_output(capsys) -> None:
    """The README's and the docs' excerpts of lexsim report."""
    import re

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in ((ROOT / "docs" / "guide" / "cli.md").read_text(encoding="utf-8"), readme):
        excerpt = re.search(r"starts like this:\n\n```\n(.*?)```", section, re.S).group(1).splitlines()
        assert run_ok(capsys, "report").splitlines()[: len(excerpt)] == excerpt
    demo = re.search(r"## Two commands.*?```\n(ankara.*?)```", readme, re.S).group(1).splitlines()
    out = run_ok(capsys, "report").splitlines()
    start = out.index(demo[0])
    assert out[start : start + len(demo)] == demo
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:.*\n\t\$\(VENV\)/bin/lexsim report$", makefile, re.M)


def test_stemmer_option(capsys, api) -> None:
    a = api["jsonl"]
    data = json.loads(run_ok(capsys, "terms", *a["argv"], "--n", 50, "--stemmer", "english", "--format", "json"))
    vec = lexsim.TfidfVectorizer(**ANALYST, stemmer="english").fit(a["texts"])
    expected = lexsim.key_terms(vec, a["texts"], 50, background=commands._default_background())
    assert [[t["term"] for t in d["terms"]] for d in data] == [[t.term for t in row] for row in expected]
    assert_one_line_error(*run(capsys, "terms", *a["argv"], "--stemmer", "klingon"), "klingon")


# ---------------------------------------------------------------------------- key terms an analyst would pick


def _seed_terms(capsys, seeds_dir, *extra: str) -> dict:
    data = json.loads(run_ok(capsys, "terms", seeds_dir, "--n", 6, "--format", "json", *extra))
    return {d["id"][:3]: [t["term"] for t in d["terms"]] for d in data}


@pytest.fixture(scope="module")
def seeds_dir(corpora) -> str:
    return str(pathlib.Path(read_news_seeds.__globals__["CORPORA"]) / "news-seeds")


def test_terms_defaults_pick_the_stories_names_on_the_news_seeds(capsys, seeds_dir) -> None:
    got = _seed_terms(capsys, seeds_dir)
    assert "assad" in got["001"] and "assad" in got["004"]  # the Putin-Assad meeting, 2024
    assert "idlib" in got["000"] and "idlib" in got["002"]  # the Idlib escalation, 2020
    for terms in got.values():
        assert len(terms) == 6
        assert all(len(t) >= 3 and not t.isdigit() for t in terms), terms


def test_terms_backgrounds_are_named_in_the_header(capsys, seeds_dir, tmp_path) -> None:
    out = run_ok(capsys, "terms", seeds_dir, "--background", "corpus").splitlines()
    assert out[0] == "key terms by keyness (G2) against the other documents"
    got = _seed_terms(capsys, seeds_dir, "--background", "corpus")
    assert all(len(t) >= 3 and not t.isdigit() for ts in got.values() for t in ts)
    # A saved model's term totals as the background (here: the corpus itself, fitted by `lexsim fit`).
    model = tmp_path / "bg.lexsim"
    run_ok(capsys, "fit", seeds_dir, "-o", model)
    assert load_model(model).token_pattern == cli.ANALYST_TOKEN_PATTERN  # the model file keeps the pattern
    monkey_width = run_ok(capsys, "terms", seeds_dir, "--background", model, "--format", "json")
    assert json.loads(monkey_width)[1]["terms"]  # scored against the model's term totals
    out = run_ok(capsys, "terms", seeds_dir, "--background", model).splitlines()
    assert out[0].startswith("key terms by keyness (G2) against model ")
    assert_one_line_error(*run(capsys, "terms", seeds_dir, "--background", tmp_path / "nope.lexsim"), "nope.lexsim")


def test_terms_with_sklearn_defaults_keep_scikit_learns_tokens(capsys, seeds_dir) -> None:
    data = json.loads(
        run_ok(
            capsys, "terms", seeds_dir, "--sklearn-defaults", "--background", "corpus", "--n", 30, "--format", "json"
        )
    )
    terms = {t["term"] for d in data for t in d["terms"]}
    assert any(len(t) == 2 or t.isdigit() for t in terms)  # (?u)\b\w\w+\b: "al", "24" are words again


def test_wordfreq_background_without_wordfreq_is_a_one_line_error(capsys, seeds_dir, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_wordfreq(name, *args, **kwargs):
        if name == "wordfreq":
            raise ImportError("No module named 'wordfreq'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_wordfreq)
    from lexsim import keyterms

    keyterms._wordfreq_table.cache_clear()
    assert_one_line_error(
        *run(capsys, "terms", seeds_dir, "--background", "wordfreq"), "pip install 'lexsim[wordfreq]'"
    )
    keyterms._wordfreq_table.cache_clear()


def test_parquet_errors_and_a_missing_pyarrow_are_one_line(capsys, tmp_path, monkeypatch) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "c.parquet"
    pq.write_table(pa.table({"body": ["Erdogan met Putin", None], "key": ["a", "b"]}), path)
    assert_one_line_error(*run(capsys, "similar", path), "c.parquet: no column 'text' (columns: 'body', 'key')")
    assert_one_line_error(
        *run(capsys, "similar", path, "--text-column", "body", "--id-column", "id"),
        "no column 'id' (columns: 'body', 'key')",
    )
    assert_one_line_error(
        *run(capsys, "similar", path, "--text-column", "body"), "c.parquet, row 2: the 'body' column is null"
    )
    (tmp_path / "fake.parquet").write_text("text\nnot parquet\n", encoding="utf-8")
    assert_one_line_error(*run(capsys, "terms", tmp_path / "fake.parquet"), "fake.parquet: not a readable Parquet file")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # as if pyarrow were not installed
    assert_one_line_error(
        *run(capsys, "terms", path, "--text-column", "body"),
        'needs pyarrow, which is not installed: pip install "lexsim[parquet]"',
    )
    assert "FILE.parquet" in run_ok(capsys, "--help")
