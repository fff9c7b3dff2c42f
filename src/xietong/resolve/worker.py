"""The resolver's worker process (``python -m xietong.resolve.worker IN_FD OUT_FD``).

Started by ``xietong.resolve.deferred``: reads batches of messages from the pipe ``IN_FD``,
applies them to a Resolver in order, and writes each batch's answers to ``OUT_FD``. It
stops when the importer closes its end of ``IN_FD``, or dies.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection

from xietong.resolve.deferred import answer, apply
from xietong.resolve.matcher import Match, Resolver


def serve(messages: Connection, answers: Connection) -> None:
    try:
        resolver = Resolver()
        while True:
            try:
                batch = messages.recv()
            except EOFError:
                return  # the importer has finished, or died
            found: list[Match] = []
            for message in batch:
                if message[0] == "resolve":
                    found.append(answer(resolver, message))
                else:
                    apply(resolver, message)
            if found:
                answers.send(found)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return  # the importer is gone (killed): nobody to answer, nothing to report
    except Exception:
        with contextlib.suppress(OSError):
            answers.send(traceback.format_exc())
    finally:
        with contextlib.suppress(OSError):
            answers.close()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importer's to handle
    gc.disable()  # a large, long-lived index and no cycles (see resolve.importer._no_cyclic_gc)
    messages_fd, answers_fd = (int(arg) for arg in sys.argv[1:3])
    serve(Connection(messages_fd, writable=False), Connection(answers_fd, readable=False))
    # everything is sent: skip freeing the index object by object at interpreter exit
    # (half a second on ICKG25, which the importer would wait for)
    os._exit(0)


if __name__ == "__main__":
    main()
