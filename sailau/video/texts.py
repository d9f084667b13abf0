"""Why a camera or a recording is refused, in kk, ru and en: the `code` is stable (clients match
on it), the message is what a page or the API shows in the asker's language.

StorageUnavailable is the project's one refusal for a storage that did not answer (503)."""

from sailau.errors import MESSAGES, BadInput, Code, Conflict, SailauError, StorageUnavailable
from sailau.languages import texts

T = texts("video.texts")

NOT_VIDEO = Code.NOT_VIDEO
TRUNCATED = Code.TRUNCATED
HASH_MISMATCH = Code.HASH_MISMATCH
OTHER_STATION = Code.OTHER_STATION
NO_START_TIME = Code.NO_START_TIME
STORAGE_UNAVAILABLE = Code.STORAGE_UNAVAILABLE
CHECKSUM_MISMATCH = Code.CHECKSUM_MISMATCH
OFFSET_MISMATCH = Code.OFFSET_MISMATCH
BEYOND_LENGTH = Code.BEYOND_LENGTH
LENGTH_REQUIRED = Code.LENGTH_REQUIRED
CAMERA_REMOVED = Code.CAMERA_REMOVED
NO_FFPROBE = Code.NO_FFPROBE
ABANDONED = Code.ABANDONED

# What each refusal says is the catalogue's (sailau.errors.catalogue); a full storage is said in the
# recordings' own words: what to do next in a resumable upload is to send the last chunk again.
TEXTS = {code: MESSAGES[code] for code in (
    NOT_VIDEO, TRUNCATED, HASH_MISMATCH, OTHER_STATION, NO_START_TIME, CHECKSUM_MISMATCH,
    OFFSET_MISMATCH, BEYOND_LENGTH, LENGTH_REQUIRED, CAMERA_REMOVED, NO_FFPROBE, ABANDONED)}
TEXTS[STORAGE_UNAVAILABLE] = T(
    "The recordings storage is unavailable: nothing was recorded, send the last chunk "
    "again later")


class ChecksumMismatch(SailauError, status=460, code=CHECKSUM_MISMATCH):
    """tus's own status for a chunk whose Upload-Checksum differs."""


def refused(code: str, field: str | None = None, detail: dict | None = None) -> SailauError:
    """The refusal for `code`, with its text in every language."""
    kinds = {STORAGE_UNAVAILABLE: StorageUnavailable, CHECKSUM_MISMATCH: ChecksumMismatch,
             OFFSET_MISMATCH: Conflict, NO_FFPROBE: StorageUnavailable}
    if code == LENGTH_REQUIRED:  # HTTP's own answer to a body of unknown length
        return SailauError(code=code, message=TEXTS[code], field=field, status=411, detail=detail)
    kind = kinds.get(code, BadInput)
    return kind(code=code, message=TEXTS[code], field=field, detail=detail)
