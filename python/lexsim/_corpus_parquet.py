"""Reading a Parquet file of a corpus for lexsim.corpus, batch by batch (needs pyarrow)."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import Any, Optional

from ._corpus_files import CorpusDecodeError, CorpusError, _as_id


def _started(records: Iterator[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
    """``records`` with its first item already read (and so its set-up errors already raised)."""
    first = next(records, None)

    def rest() -> Iterator[tuple[str, str, str]]:
        if first is not None:
            yield first
            yield from records

    return rest()


def _parquet_records(
    path: pathlib.Path, text_column: str, id_column: Optional[str], encoding: str, decode_error: str, batch_rows: int
) -> Iterator[tuple[str, str, str]]:
    """(id, text, "row N") of each row of a Parquet file, read batch by batch (only the columns used)."""
    where = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(
            f'reading {where} needs pyarrow, which is not installed: pip install "lexsim[parquet]"'
        ) from None
    try:
        file = pq.ParquetFile(path)
        names = list(file.schema_arrow.names)
    except OSError as e:  # permission, I/O error...: name the file
        raise OSError(e.errno, f"cannot read {where}: {e.strerror or e}") from None
    except Exception as e:  # pyarrow's ArrowInvalid (a ValueError) and friends: not Parquet, damaged
        raise CorpusError(f"{where}: not a readable Parquet file ({_first_line(e)})") from None
    listed = ", ".join(map(repr, names))
    if text_column not in names:
        raise CorpusError(f"{where}: no column {text_column!r} (columns: {listed})")
    if id_column is not None and id_column not in names:
        raise CorpusError(f"{where}: no column {id_column!r} (columns: {listed})")
    if id_column is None and "id" in names:  # as a JSON Lines file's "id" field is
        id_column = "id"
    columns = [text_column] + ([id_column] if id_column is not None and id_column != text_column else [])
    row = 0  # rows before this batch
    try:
        with file:
            for batch in file.iter_batches(batch_size=batch_rows, columns=columns):
                texts = _parquet_texts(batch.column(0), row, where, text_column, encoding, decode_error)
                if id_column is None:
                    ids = [str(row + n + 1) for n in range(len(texts))]
                else:
                    ids = _parquet_ids(batch.column(columns.index(id_column)).to_pylist(), row, where, id_column)
                for n, (doc_id, doc) in enumerate(zip(ids, texts)):
                    yield doc_id, doc, f"row {row + n + 1}"
                row += len(texts)
    except (CorpusError, OSError):
        raise
    except Exception as e:  # a damaged row group, found when it is read
        if type(e).__module__.split(".", 1)[0] != "pyarrow":
            raise
        raise CorpusError(f"{where}: not a readable Parquet file ({_first_line(e)})") from None


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _parquet_texts(column: Any, row: int, where: str, name: str, encoding: str, decode_error: str) -> list[str]:
    """A batch's texts, read through lexsim's Arrow reader (strings are UTF-8; binary is decoded)."""
    from . import _core

    if column.null_count:
        first = column.is_null().to_pylist().index(True)
        raise CorpusError(f"{where}, row {row + first + 1}: the {name!r} column is null")
    try:
        docs = _core.ArrowDocuments(column)
    except TypeError as e:
        raise CorpusError(f"{where}: the {name!r} column must hold text: {e}") from None
    try:
        values = docs.to_list(decode_error)
    except UnicodeDecodeError as e:
        n = row + int(getattr(e, "document", 0)) + 1
        raise CorpusDecodeError(
            f"{where}, row {n}: the {name!r} column is not valid UTF-8 at byte offset {e.start} of the value",
            where,
            e.start,
        ) from None
    if not docs.binary:
        return values
    out = []
    for n, value in enumerate(values):
        try:
            out.append(value.decode(encoding, decode_error))
        except UnicodeDecodeError as e:
            raise CorpusDecodeError(
                f"{where}, row {row + n + 1}: the {name!r} column is not valid {encoding} at byte offset {e.start} "
                "of the value",
                where,
                e.start,
            ) from None
    return out


def _parquet_ids(values: list, row: int, where: str, name: str) -> list[str]:
    out = []
    for n, value in enumerate(values):
        doc_id = _as_id(value)
        if doc_id is None:
            raise CorpusError(
                f"{where}, row {row + n + 1}: the {name!r} column must be a string or an integer, "
                f"got {'null' if value is None else type(value).__name__}"
            )
        out.append(doc_id)
    return out
