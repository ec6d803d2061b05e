"""The static files of the pages: exactly the vendored front-end files they use, and a deployment check that
the production build (collectstatic) is there.

A whole ``dist/`` folder of an npm package is no static folder: @utrecht/design-tokens ships 15 MB, among it
a CSS file whose ``url("./pijltje.svg")`` points at a file the package does not contain, and
ManifestStaticFilesStorage (rightly) stops the build at such a reference. So the vendored files are listed one
by one in ``MEEDOEN_VENDOR_FILES`` (URL path under STATIC_URL -> file), and only they are collected.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.files.storage import FileSystemStorage

# The files every page links (base.html and 500.html): the build is broken without any of them.
PAGE_ASSETS = ("meedoen/meedoen.css",)


class VendorFinder(BaseFinder):
    """Finds the files of ``settings.MEEDOEN_VENDOR_FILES``, for collectstatic and WhiteNoise (demo)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files = {name: Path(path) for name, path in settings.MEEDOEN_VENDOR_FILES.items()}

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(
                f"The vendored static file {name} is missing: {source} (run `npm ci`).",
                id="meedoen.E010",
            )
            for name, source in self.files.items()
            if not source.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        find_all = find_all or kwargs.get("all", False)  # the name before Django 5.2
        source = self.files.get(path)
        if source is None or not source.is_file():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, source in self.files.items():
            if source.is_file():
                storage = FileSystemStorage(location=source.parent)
                storage.prefix = os.path.dirname(name)  # type: ignore[attr-defined]  # as FileSystemFinder does
                yield source.name, storage


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With a manifest storage (production), the manifest must exist and name every file the pages link:
    without it every page, the error page too, fails to render."""
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.read_manifest() is None:
        return [
            Error(
                f"The static files manifest {storage.manifest_name} is missing from STATIC_ROOT "
                f"({settings.STATIC_ROOT}): every page would answer 500.",
                hint="Run `meedoen collectstatic --noinput` with these settings before serving.",
                id="meedoen.E011",
            )
        ]
    listed, _hash = storage.load_manifest()
    missing = [name for name in (*PAGE_ASSETS, *settings.MEEDOEN_VENDOR_FILES) if name not in listed]
    if missing:
        return [
            Error(
                f"The static files manifest lacks {', '.join(missing)}: the pages link them.",
                hint="Run `meedoen collectstatic --noinput` again with these settings.",
                id="meedoen.E012",
            )
        ]
    return []
