"""User-facing text. Chinese is the source language: every message is written in Chinese and
wrapped in ``_()``; other languages come from the gettext catalogues in ``xietong/locale``
(``LANG=en_US.UTF-8`` selects English). Identifiers, logs and docs stay English.

    >>> from xietong.i18n import _
    >>> print(_("数据库就绪"))
"""

from __future__ import annotations

import gettext
from importlib import resources

DOMAIN = "xietong"
LOCALE_DIR = resources.files("xietong") / "locale"

_translation = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), fallback=True)


def _(message: str) -> str:
    """The message in the user's language (the Chinese original when no catalogue applies)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a table of messages); it is
    translated with ``_()`` where it is shown."""
    return message
