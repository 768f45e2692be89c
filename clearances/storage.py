"""Where clearance letters are kept: a private directory that has no URL."""

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileStorage(FileSystemStorage):
    """Files on the local disk that no web server serves: readable by the app's user only,
    and without a URL, so a template can never link to one by mistake."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(base_url=None, **kwargs)

    def url(self, name):
        raise ValueError("Private files have no URL: the clearances views serve them.")


class ClearanceStorage(Storage):
    """settings.STORAGES["clearances"], looked up at each call rather than once at import,
    so a change of settings (the tests' private folders) reaches the model's field."""

    @staticmethod
    def _target() -> Storage:
        return storages["clearances"]

    def open(self, name, mode="rb"):
        return self._target().open(name, mode)

    def save(self, name, content, max_length=None):
        return self._target().save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self._target().generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self._target().get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self._target().delete(name)

    def exists(self, name):
        return self._target().exists(name)

    def size(self, name):
        return self._target().size(name)

    def listdir(self, path):
        return self._target().listdir(path)

    def path(self, name):
        return self._target().path(name)

    def url(self, name):
        return self._target().url(name)


_clearance_storage = ClearanceStorage()


def clearance_storage() -> Storage:
    """The storage of clearance letters (settings.STORAGES["clearances"])."""
    return _clearance_storage
