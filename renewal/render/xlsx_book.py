"""An xlsxwriter workbook in constant_memory mode whose scratch files do not outlive the run.

xlsxwriter keeps each worksheet's rows in a temporary file (`tempfile.mkstemp`, reopened by
name) from the sheet's creation to `close()`, and at `close()` writes every part of the
workbook (the sheets' XML, styles, shared strings …) to named temporary files, which it
then zips by name and removes. Left alone, a run that fails or is stopped leaves them all
in the temporary directory: the merchant data, about 120 MB a 100,000 rows.

Here a sheet's row file is unlinked as soon as it is made: xlsxwriter goes on through the
handle it holds, and the system frees the space however the run ends, even by SIGKILL. The
parts of `close()` must have names (they are opened again by name), so they go to a
private directory (`renewal.render.output.scratch_dir`) that is removed however `close()`
ends, SIGTERM and Ctrl-C included; only a SIGKILL during `close()` leaves it behind.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.worksheet import Worksheet

from renewal.render.output import scratch_dir


class _Worksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter has no type hints
    """A worksheet whose row data (constant_memory) has no name on disk."""

    _unnamed = False

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize(init_data)
        named = getattr(self, "row_data_filename", None)
        if self.constant_memory and named and getattr(self, "row_data_fh", None) is not None:
            os.unlink(named)  # the open handle keeps the rows
            self._unnamed = True

    def _opt_reopen(self) -> None:
        # xlsxwriter reopens the row data by name only if it was closed before the sheet is
        # written: with no name, that would be an empty file, and an empty sheet
        if self._unnamed and self.row_data_fh_closed:
            raise RuntimeError("xlsxwriter closed a sheet's unnamed row data before writing it")
        super()._opt_reopen()

    def _write_optimized_sheet_data(self) -> None:
        if self._unnamed:
            # xlsxwriter removes the row data by name once it is copied: give it a name to
            # remove, in the directory close() removes anyway
            handle, self.row_data_filename = tempfile.mkstemp(dir=self.tmpdir)
            os.close(handle)
        super()._write_optimized_sheet_data()


class Workbook(xlsxwriter.Workbook):  # type: ignore[misc]  # xlsxwriter has no type hints
    """`xlsxwriter.Workbook`, always constant_memory, leaving no scratch file behind."""

    worksheet_class = _Worksheet

    def __init__(self, stream: BinaryIO, options: dict[str, Any]) -> None:
        self._out = _Detachable(stream)
        super().__init__(self._out, {**options, "constant_memory": True})

    def close(self) -> None:
        with scratch_dir() as parts:
            self.tmpdir = str(parts)
            for sheet in self.worksheets():
                sheet.tmpdir = self.tmpdir
            try:
                super().close()
            except BaseException as exc:
                # the zip file xlsxwriter opened on the stream is left to the collector,
                # whose close would write into a stream closed by then (a traceback
                # "Exception ignored in ZipFile.__del__"): it writes into nothing
                self._out.detach()
                cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else None
                if isinstance(cause, OSError):
                    # a full disk (the output's or the temporary one) says so, as any write does
                    raise cause from None
                raise


class _Detachable:
    """The output stream as xlsxwriter's zip file sees it until detached; then a sink that
    keeps count of the offset, so that what the zip file computes from it stays sound."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream: BinaryIO | None = stream
        self._at = 0

    def detach(self) -> None:
        if self._stream is not None:
            with suppress(OSError, ValueError):
                self._at = self._stream.tell()
            self._stream = None

    def write(self, data: bytes) -> int:
        if self._stream is not None:
            return self._stream.write(data)
        self._at += len(data)
        return len(data)

    def tell(self) -> int:
        return self._stream.tell() if self._stream is not None else self._at

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if self._stream is not None:
            return self._stream.seek(offset, whence)
        self._at = offset if whence == os.SEEK_SET else self._at + offset
        return self._at

    def flush(self) -> None:
        if self._stream is not None:
            self._stream.flush()
