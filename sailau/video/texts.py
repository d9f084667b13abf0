"""Why a camera or a recording is refused, in kk, ru and en: the `code` is stable (clients match
on it), the message is what a page or the API shows in the asker's language."""

# StorageUnavailable is the project's one refusal for a storage that did not answer (503); the
# recordings' text below says what to do next in a resumable upload: send the last chunk again.
from sailau.errors import BadInput, Code, Conflict, SailauError, StorageUnavailable

NOT_VIDEO = "not_video"
TRUNCATED = "truncated"
HASH_MISMATCH = "hash_mismatch"
OTHER_STATION = "other_station"
NO_START_TIME = "no_start_time"
STORAGE_UNAVAILABLE = Code.STORAGE_UNAVAILABLE
CHECKSUM_MISMATCH = "checksum_mismatch"
OFFSET_MISMATCH = "offset_mismatch"
BEYOND_LENGTH = "beyond_length"
LENGTH_REQUIRED = "length_required"
CAMERA_REMOVED = "camera_removed"
NO_FFPROBE = "no_ffprobe"


def _m(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


TEXTS = {
    NOT_VIDEO: _m("Файл бейнежазба емес (ffprobe онда бейне ағынын таппады)",
                  "Файл не является видеозаписью (ffprobe не нашёл в нём видеопотока)",
                  "The file is not a video (ffprobe found no video stream in it)"),
    TRUNCATED: _m("Бейнежазба толық емес немесе бүлінген: соңы жоқ",
                  "Видеозапись неполная или повреждена: у неё нет конца",
                  "The recording is truncated or corrupt: its end is missing"),
    HASH_MISMATCH: _m("Файлдың SHA-256 хэші жарияланған хэшке сәйкес емес",
                      "SHA-256 файла не совпадает с заявленным",
                      "The file's SHA-256 does not match the declared one"),
    OTHER_STATION: _m("Бейнежазба басқа учаскеге тиесілі",
                      "Видеозапись относится к другому участку",
                      "The recording belongs to another station"),
    NO_START_TIME: _m("Бейнежазбаның басталу уақыты белгісіз (creation_time жоқ, "
                      "started_at берілмеген)",
                      "Неизвестно время начала записи (нет creation_time, не передан "
                      "started_at)",
                      "The recording's start time is unknown (no creation_time tag, no "
                      "started_at given)"),
    STORAGE_UNAVAILABLE: _m("Жазбалар қоймасы қолжетімсіз: ештеңе сақталмады, соңғы бөлікті "
                            "кейінірек қайта жіберіңіз",
                            "Хранилище записей недоступно: ничего не сохранено, отправьте "
                            "последнюю часть позже",
                            "The recordings storage is unavailable: nothing was recorded, send "
                            "the last chunk again later"),
    CHECKSUM_MISMATCH: _m("Бөліктің бақылау сомасы сәйкес емес: бөлікті қайта жіберіңіз",
                          "Контрольная сумма части не совпадает: отправьте часть заново",
                          "The chunk's checksum does not match: send the chunk again"),
    OFFSET_MISMATCH: _m("Upload-Offset серверде сақталған ығысуға сәйкес емес",
                        "Upload-Offset не совпадает со смещением на сервере",
                        "Upload-Offset does not match the offset kept by the server"),
    LENGTH_REQUIRED: _m("Бөліктің ұзындығы (Content-Length) көрсетілмеген: оны көрсетіп, "
                        "бөлікті қайта жіберіңіз",
                        "Не указана длина части (Content-Length): отправьте часть снова с ней",
                        "The chunk's length (Content-Length) is missing: send the chunk again "
                        "with it"),
    BEYOND_LENGTH: _m("Бөлік жарияланған файл ұзындығынан асады",
                      "Часть выходит за объявленную длину файла",
                      "The chunk goes beyond the declared length of the file"),
    CAMERA_REMOVED: _m("Бұл камера тіркеуден шығарылған",
                       "Эта камера снята с учёта",
                       "This camera has been removed from the registry"),
    NO_FFPROBE: _m("Серверде ffprobe жоқ (Debian-ның ffmpeg пакеті): бейнежазбаны тексеру "
                   "мүмкін емес",
                   "На сервере нет ffprobe (пакет ffmpeg из Debian): запись нельзя проверить",
                   "ffprobe (Debian's ffmpeg package) is missing on the server: the recording "
                   "cannot be checked"),
}


class ChecksumMismatch(SailauError, status=460, code=CHECKSUM_MISMATCH):
    """tus's own status for a chunk whose Upload-Checksum differs."""


def refused(code: str, field: str | None = None, detail: dict | None = None) -> SailauError:
    """The refusal for `code`, with its text in every language."""
    kinds = {STORAGE_UNAVAILABLE: StorageUnavailable, CHECKSUM_MISMATCH: ChecksumMismatch,
             OFFSET_MISMATCH: Conflict, NO_FFPROBE: StorageUnavailable}
    if code == LENGTH_REQUIRED:  # HTTP's own answer to a body of unknown length
        return SailauError(code, TEXTS[code], field, status=411, detail=detail)
    kind = kinds.get(code, BadInput)
    return kind(code, TEXTS[code], field, detail=detail)
