"""The child side of query processes (see `isolation`): the zygote's loop, a query
process's loop, and the framing both sides of a socket use (a length, then a pickle).

Everything here runs in a forked copy of a gunicorn worker and leaves with os._exit, so the
worker's exit handlers never run twice.
"""

import ctypes
import os
import pickle
import signal
import socket
import struct
import threading
import traceback

_LENGTH = struct.Struct("!Q")
TAKEN = b"."       # an evaluator's acknowledgement of a request, before it starts on it
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
# signals gunicorn's master handles (its handlers are still installed when post_fork runs)
_RESET = ("SIGHUP", "SIGTERM", "SIGINT", "SIGQUIT", "SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGUSR2",
          "SIGWINCH")


class EvaluatorLost(Exception):
    """The evaluator process ended (killed at the timeout, or crashed) before answering;
    `delivered`: whether it had the request (if not, another evaluator may be asked)."""

    def __init__(self, message: str, delivered: bool = True):
        super().__init__(message)
        self.delivered = delivered


def send(sock: socket.socket, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_LENGTH.pack(len(data)) + data)


def receive(sock: socket.socket):
    head = exactly(sock, _LENGTH.size)
    return pickle.loads(exactly(sock, _LENGTH.unpack(head)[0]))


def exactly(sock: socket.socket, size: int) -> bytes:
    parts, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EvaluatorLost("the query process ended before answering")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def run_child(body) -> None:
    """Run `body` as a forked child and leave without the parent's exit handlers."""
    code = 0
    try:
        for name in _RESET:
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        body()
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _prctl(option: int, value) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value)
    except (OSError, AttributeError):       # not Linux: evaluators end at their socket's EOF
        pass


def zygote(control: socket.socket, answer, stack_bytes: int) -> None:
    _prctl(_PR_SET_NAME, b"chipkg-zygote")     # as ps and top show it
    signal.signal(signal.SIGCHLD, _reap)
    parent = os.getpid()
    while control.recv(1):          # EOF: the worker has ended
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()

            def evaluate():
                _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
                _prctl(_PR_SET_NAME, b"chipkg-query")
                if os.getppid() != parent:      # it died before the line above
                    return
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                # the thread path's large stack: Oxigraph recurses as deep as the query
                threading.stack_size(stack_bytes)
                serving = threading.Thread(target=_evaluator, args=(theirs, answer))
                serving.start()
                serving.join()
            run_child(evaluate)
        theirs.close()
        socket.send_fds(control, [str(pid).encode()], [ours.fileno()])
        ours.close()


def _reap(signum, frame) -> None:
    """Collect ended evaluators (so their CPU time is counted in the zygote's, as ps shows it)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _evaluator(sock: socket.socket, answer) -> None:
    while True:
        try:
            request = receive(sock)
            sock.sendall(TAKEN)    # so a request never taken can be given to another
        except (EvaluatorLost, OSError):
            return                  # the worker closed its end: nothing more to do
        value = answer(request)
        try:
            send(sock, value)
        except OSError:
            return
