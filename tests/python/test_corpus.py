"""lexsim.corpus.read_corpus: folders, JSON Lines, CSV and Parquet files, and what goes wrong with them."""

from __future__ import annotations

import csv
import json

import pytest
from conftest import read_news_seeds

from lexsim.corpus import CorpusDecodeError, CorpusError, iter_corpus, read_corpus


def test_a_folder_is_read_recursively_sorted_with_posix_ids(tmp_path) -> None:
    for rel in ["b.txt", "a/z.md", "a/b/c.TXT", "A.txt", "a/.hidden.txt", ".git/x.txt", "a/img.png", "readme"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"text of {rel}", encoding="utf-8")
    calls = []
    ids, texts = read_corpus(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert ids == ["A.txt", "a/b/c.TXT", "a/z.md", "b.txt"]
    assert texts == [f"text of {i}" for i in ids]
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_byte_order_mark_is_dropped(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\xef\xbb\xbfhello")
    assert read_corpus(tmp_path) == (["a.txt"], ["hello"])
    (tmp_path / "t.csv").write_bytes(b"\xef\xbb\xbftext\nhello\n")
    assert read_corpus(tmp_path / "t.csv") == (["1"], ["hello"])


def test_jsonl_ids_fields_and_blank_lines(tmp_path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "a"}\n\n{"text": "b\\u2028c"}\r\n', encoding="utf-8")
    assert read_corpus(path) == (["1", "3"], ["a", "b\u2028c"])
    path.write_text('{"id": 7, "body": "a", "key": "x"}\n{"id": "eight", "body": "b", "key": "y"}\n', encoding="utf-8")
    assert read_corpus(path, text_column="body") == (["7", "eight"], ["a", "b"])
    assert read_corpus(path, text_column="body", id_column="key") == (["x", "y"], ["a", "b"])
    for bad, message in [
        ('{"id": 1.5, "text": "a"}\n', "'id' field must be a string or an integer"),
        ('{"id": true, "text": "a"}\n', "'id' field must be a string or an integer"),
        ('{"text": null}\n', "'text' field must be a string, got NoneType"),
        ('["text"]\n', "line 1: expected a JSON object, got list"),
        ('{"text": "a"}\n{"text": "b"\n', "line 2: invalid JSON"),
        ('{"id": "x", "text": "a"}\n{"id": "x", "text": "b"}\n', "duplicate id 'x' (line 1 and line 2)"),
    ]:
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(CorpusError, match=message.replace("(", r"\(").replace(")", r"\)")):
            read_corpus(path)
    path.write_text('{"text": "a"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="line 1: no 'key' field"):
        read_corpus(path, id_column="key")


def test_csv_quoting_long_fields_and_row_numbers(tmp_path) -> None:
    _, texts = read_news_seeds()
    long_text = " ".join(texts) * 20  # over the csv module's default 128 KiB field limit
    assert len(long_text) > 131072
    path = tmp_path / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "id"])
        w.writerow(['He said "yes",\nthen left.', "x1"])
        w.writerow([long_text, "x2"])
    before = csv.field_size_limit()
    # An "id" column gives the ids, as a JSON Lines file's "id" field does.
    assert read_corpus(path) == (["x1", "x2"], ['He said "yes",\nthen left.', long_text])
    assert read_corpus(path, id_column="id")[0] == ["x1", "x2"]
    assert csv.field_size_limit() == before  # the process-wide limit is put back
    path.write_text("text,id\na,1\nb,1\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="duplicate id '1' .line 2 and line 3."):
        read_corpus(path)
    # --id-column still chooses; without an "id" column the ids are row numbers.
    path.write_text("text,id,key\na,1,k1\nb,1,k2\n", encoding="utf-8")
    assert read_corpus(path, id_column="key") == (["k1", "k2"], ["a", "b"])
    path.write_text("text,ID,key\na,x,k1\nb,y,k2\n", encoding="utf-8")
    assert read_corpus(path)[0] == ["1", "2"]


def test_a_text_file_is_a_corpus_of_one_document(tmp_path) -> None:
    path = tmp_path / "notes" / "Report.TXT"
    path.parent.mkdir()
    path.write_bytes("\ufeffErdoğan met Putin.\n\nSecond paragraph.\n".encode("utf-8"))
    assert read_corpus(path) == (["Report.TXT"], ["Erdoğan met Putin.\n\nSecond paragraph.\n"])
    assert list(iter_corpus(path, with_ids=True)) == [("Report.TXT", "Erdoğan met Putin.\n\nSecond paragraph.\n")]
    (tmp_path / "a.md").write_text("# Title", encoding="utf-8")
    assert read_corpus(tmp_path / "a.md") == (["a.md"], ["# Title"])
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    with pytest.raises(CorpusDecodeError, match="bad.txt: not valid utf-8 at byte offset 3"):
        read_corpus(tmp_path / "bad.txt")
    _check_stream_equals_read(tmp_path / "bad.txt")
    _check_stream_equals_read(path)


def test_decode_errors_name_file_and_offset_or_are_replaced(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes(b"line one\ncaf\xe9\n")
    with pytest.raises(CorpusDecodeError, match=r"a.txt: not valid utf-8 at byte offset 12 \(line 2\)") as info:
        read_corpus(tmp_path)
    assert info.value.byte_offset == 12 and info.value.file.endswith("a.txt")
    assert isinstance(info.value, ValueError)
    assert read_corpus(tmp_path, decode_error="replace")[1] == ["line one\ncaf\ufffd\n"]
    assert read_corpus(tmp_path, decode_error="ignore")[1] == ["line one\ncaf\n"]
    assert read_corpus(tmp_path, encoding="latin-1")[1] == ["line one\ncafé\n"]


def test_what_is_not_a_corpus(tmp_path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        read_corpus(tmp_path / "missing")
    with pytest.raises(CorpusError, match="empty corpus"):
        read_corpus(tmp_path)
    (tmp_path / "c.json").write_text(json.dumps([{"text": "a"}]), encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder, a .jsonl, .csv, .parquet, .txt or .md file"):
        read_corpus(tmp_path / "c.json")
    with pytest.raises(CorpusError, match="unknown encoding"):
        read_corpus(tmp_path, encoding="no-such-codec")
    with pytest.raises(ValueError, match="decode_error"):
        read_corpus(tmp_path, decode_error="skip")


def test_docstring_examples() -> None:
    import doctest

    import lexsim.corpus

    result = doctest.testmod(lexsim.corpus)
    assert result.failed == 0 and result.attempted > 0


# ---------------------------------------------------------------------------- iter_corpus


def _outcome(read):
    """What reading gives: the documents, or the error's type and message."""
    try:
        return read()
    except (CorpusError, OSError) as e:
        return (type(e), str(e), getattr(e, "byte_offset", None))


def _check_stream_equals_read(path, **kw) -> None:
    """iter_corpus gives read_corpus's documents, ids and errors, whatever size its reads are."""
    from lexsim.corpus import _iter_corpus

    def read():
        ids, texts = read_corpus(path, **kw)
        return list(zip(ids, texts))

    want = _outcome(read)
    args = (
        kw.get("text_column", "text"),
        kw.get("id_column"),
        kw.get("encoding", "utf-8"),
        kw.get("decode_error", "strict"),
    )
    for chunk in (1, 3, 64, 1 << 20):
        assert _outcome(lambda: list(_iter_corpus(path, *args, True, chunk))) == want, (path, kw, chunk)
    if isinstance(want, list):
        assert list(iter_corpus(path, **kw)) == [t for _, t in want]


def test_iter_corpus_streams_what_read_corpus_reads(tmp_path) -> None:
    _, articles = read_news_seeds()
    jsonl = tmp_path / "c.jsonl"
    cases = [
        '{"text": "a"}\n\n{"text": "b\\u2028c"}\r\n',
        '{"id": 7, "text": "caf\u00e9 \u00e7a"}\n{"id": "eight", "text": "\u65e5\u672c\u8a9e"}',  # no final newline
        '{"id": 1.5, "text": "a"}\n',
        '{"text": null}\n',
        '["text"]\n',
        '{"text": "a"}\n{"text": "b"\n',
        '{"id": "x", "text": "a"}\n{"id": "x", "text": "b"}\n',
        "",
        "\n\n",
    ]
    for case in cases:
        jsonl.write_text(case, encoding="utf-8")
        _check_stream_equals_read(jsonl)
    jsonl.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(articles)), encoding="utf-8")
    _check_stream_equals_read(jsonl)
    _check_stream_equals_read(jsonl, id_column="id")
    _check_stream_equals_read(jsonl, id_column="missing")
    for raw in (
        b"\xef\xbb\xbf" + b'{"text": "bom"}\n',
        b'{"text": "ok"}\n{"text": "caf\xe9"}\n',
        b'{"text": "\xe6\x97\xa5\xe6\x9c\xac"}\n',
    ):
        jsonl.write_bytes(raw)
        for kw in ({}, {"decode_error": "replace"}, {"decode_error": "ignore"}, {"encoding": "latin-1"}):
            _check_stream_equals_read(jsonl, **kw)
    jsonl.write_text('{"text": "a"}\n', encoding="utf-16")
    _check_stream_equals_read(jsonl, encoding="utf-16")

    table = tmp_path / "c.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "id"])
        w.writerow(['He said "yes",\nthen left.', "x1"])
        w.writerow([" ".join(articles) * 20, "x2"])
        w.writerow(["crlf\r\ninside", "x3"])
    _check_stream_equals_read(table)
    _check_stream_equals_read(table, id_column="id")
    for case in ("text,id\na,1\nb,1\n", "text,id\na,1,extra\n", "", "id\n1\n", 'text\n"open quote\n'):
        table.write_text(case, encoding="utf-8")
        _check_stream_equals_read(table, id_column="id")
        _check_stream_equals_read(table)

    folder = tmp_path / "folder"
    for rel in ["b.txt", "a/z.md", "A.txt", "a/.hidden.txt"]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(f"text of {rel}", encoding="utf-8")
    _check_stream_equals_read(folder)
    (folder / "bad.txt").write_bytes(b"line one\ncaf\xe9\n")
    _check_stream_equals_read(folder)
    _check_stream_equals_read(folder, encoding="latin-1")
    _check_stream_equals_read(tmp_path / "empty-folder-missing")


def test_iter_corpus_reports_a_wrong_path_at_once_and_keeps_no_documents(tmp_path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        iter_corpus(tmp_path / "missing")  # before any next()
    (tmp_path / "c.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder, a .jsonl, .csv, .parquet, .txt or .md file"):
        iter_corpus(tmp_path / "c.json")
    with pytest.raises(CorpusError, match="unknown encoding"):
        iter_corpus(tmp_path, encoding="no-such-codec")
    with pytest.raises(ValueError, match="decode_error"):
        iter_corpus(tmp_path, decode_error="skip")
    with pytest.raises(CorpusError, match="empty corpus"):
        list(iter_corpus(tmp_path))
    # Documents are made as they are asked for: the first comes before a later line is even read.
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "first"}\n' + '{"text": "x"}\n' * 100 + "not json\n", encoding="utf-8")
    stream = iter_corpus(path)
    assert next(stream) == "first"
    with pytest.raises(CorpusError, match="line 102: invalid JSON"):
        list(stream)


# ---------------------------------------------------------------------------- Parquet


def _parquet(path, **columns) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path, row_group_size=2)  # several row groups, even when small


def test_parquet_columns_ids_and_rows_as_csv_has_them(tmp_path) -> None:
    pa = pytest.importorskip("pyarrow")
    path = tmp_path / "c.parquet"
    _, articles = read_news_seeds()
    _parquet(path, id=pa.array([7, 8, 9, 10, 11]), text=pa.array(articles, pa.large_string()), key=list("abcde"))
    assert read_corpus(path) == (["7", "8", "9", "10", "11"], articles)
    assert read_corpus(path, id_column="key") == (list("abcde"), articles)
    assert read_corpus(path, text_column="key", id_column="key") == (list("abcde"), list("abcde"))
    _parquet(path, body=["a", "b", "c"])
    assert read_corpus(path, text_column="body") == (["1", "2", "3"], ["a", "b", "c"])  # row numbers
    # binary text is decoded as a CSV file's bytes are
    _parquet(path, text=pa.array([b"caf\xe9", b"ok"], pa.binary()))
    assert read_corpus(path, encoding="latin-1")[1] == ["café", "ok"]
    assert read_corpus(path, decode_error="replace")[1] == ["caf\ufffd", "ok"]
    with pytest.raises(
        CorpusDecodeError, match=r"c.parquet, row 1: the 'text' column is not valid utf-8 at byte offset 3"
    ):
        read_corpus(path)
    # a string column that is not UTF-8 (its writer lied): the same, by decode_error
    _parquet(path, text=pa.array([b"fine", b"ok", b"bad \xff"], pa.binary()).view(pa.string()))
    with pytest.raises(
        CorpusDecodeError, match=r"row 3: the 'text' column is not valid UTF-8 at byte offset 4"
    ) as info:
        read_corpus(path)
    assert info.value.byte_offset == 4
    assert read_corpus(path, decode_error="ignore")[1] == ["fine", "ok", "bad "]


@pytest.mark.parametrize(
    "columns, kw, message",
    [
        ({"body": ["a"], "name": ["x"]}, {}, r"no column 'text' \(columns: 'body', 'name'\)"),
        ({"text": ["a"]}, {"id_column": "key"}, r"no column 'key' \(columns: 'text'\)"),
        ({"text": ["a", "b", None]}, {}, r"row 3: the 'text' column is null"),
        (
            {"text": ["a", "b", "c"], "id": ["x", None, "z"]},
            {},
            r"row 2: the 'id' column must be a string or an integer, got null",
        ),
        (
            {"text": ["a", "b"], "id": [1.5, 2.5]},
            {},
            r"row 1: the 'id' column must be a string or an integer, got float",
        ),
        ({"text": ["a", "b", "c"], "id": ["x", "y", "x"]}, {}, r"duplicate id 'x' \(row 1 and row 3\)"),
        ({"text": [1, 2]}, {}, r"the 'text' column must hold text: .*got Arrow type int64"),
        ({"text": pytest.importorskip("pyarrow").array([], "string")}, {}, r"empty corpus: no documents in"),
    ],
)
def test_what_goes_wrong_in_a_parquet_file(tmp_path, columns, kw, message) -> None:
    path = tmp_path / "c.parquet"
    _parquet(path, **columns)
    with pytest.raises(CorpusError, match=message):
        read_corpus(path, **kw)
    with pytest.raises(CorpusError, match=message):
        list(iter_corpus(path, with_ids=True, **kw))


def test_a_file_that_is_not_parquet_and_a_missing_pyarrow(tmp_path, monkeypatch) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "c.parquet"
    path.write_bytes(b"text\nthis is a csv file\n")
    with pytest.raises(CorpusError, match=r"c.parquet: not a readable Parquet file \("):
        read_corpus(path)
    with pytest.raises(CorpusError, match=r"not a readable Parquet file"):
        iter_corpus(path)  # at once, as for a wrong path
    monkeypatch.setitem(__import__("sys").modules, "pyarrow.parquet", None)  # as if pyarrow were not installed
    for read in (read_corpus, iter_corpus):
        with pytest.raises(
            ImportError, match=r'needs pyarrow, which is not installed: pip install "lexsim\[parquet\]"'
        ):
            read(path)


@pytest.mark.parametrize("rows", [1, 3, 8192])
def test_iter_corpus_streams_a_parquet_file_batch_by_batch(tmp_path, monkeypatch, rows: int) -> None:
    pa = pytest.importorskip("pyarrow")
    import lexsim._corpus_parquet
    import lexsim.corpus

    monkeypatch.setattr(lexsim.corpus, "_PARQUET_ROWS", rows)
    _, articles = read_news_seeds()
    path = tmp_path / "c.parquet"
    texts = [a[: 50 * i] for a in articles for i in range(1, 4)]
    _parquet(path, text=texts, id=[f"x{i}" for i in range(len(texts))])
    _check_stream_equals_read(path)
    _check_stream_equals_read(path, id_column="text")
    _parquet(path, text=texts, id=["same"] * len(texts))
    _check_stream_equals_read(path)
    _parquet(path, text=pa.array(texts[:5] + [None], pa.string_view()))
    _check_stream_equals_read(path)
    # documents come batch by batch: the first before a second batch is converted
    _parquet(path, text=texts)
    batches = []
    convert = lexsim._corpus_parquet._parquet_texts
    monkeypatch.setattr(
        lexsim._corpus_parquet, "_parquet_texts", lambda column, *a: batches.append(len(column)) or convert(column, *a)
    )
    stream = iter_corpus(path)
    assert next(stream) == texts[0] and batches == [min(rows, len(texts))]
    assert list(stream) == texts[1:] and sum(batches) == len(texts)
