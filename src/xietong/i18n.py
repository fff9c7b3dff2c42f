"""User-facing text. Chinese is the source language: every message is written in Chinese and
wrapped in ``_()``; other languages come from the gettext catalogues in ``xietong/locale``
(``LANG=en_US.UTF-8`` selects English). Identifiers, logs and docs stay English.

    >>> from xietong.i18n import _
    >>> print(_("数据库就绪"))
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from importlib import resources

DOMAIN = "xietong"
LOCALE_DIR = resources.files("xietong") / "locale"


def user_languages(environ: Mapping[str, str] = os.environ) -> list[str]:
    """The languages asked for, as GNU gettext reads them: the locale from LC_ALL,
    LC_MESSAGES or LANG, and LANGUAGE's list unless that locale is C/POSIX. Empty for the
    C locale: Python's gettext would expand ``C.UTF-8`` to ``en_US`` and answer in English."""
    locale = next((environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(v)), "")
    base = locale.split(".")[0].split("@")[0]
    if base in ("", "C", "POSIX") and not (base == "" and environ.get("LANGUAGE")):
        return []
    listed = [lang for lang in environ.get("LANGUAGE", "").split(":") if lang]
    return listed or [locale]


_translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR),
                                   languages=user_languages() or ["C"], fallback=True)


def _(message: str) -> str:
    """The message in the user's language (the Chinese original when no catalogue applies)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a table of messages); it is
    translated with ``_()`` where it is shown."""
    return message
