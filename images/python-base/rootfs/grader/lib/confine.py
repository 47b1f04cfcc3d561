"""Keeps a submission's process away from the grader's files with Landlock (Linux >= 5.13, unprivileged).

The submission runs as the same user as the grader (no capabilities in the sandbox, so no second uid), so without
this it could read /grader/assignment/grade.out and print the hidden answers. Landlock lets an unprivileged process
(no_new_privs is already set by the sandbox) drop file access for itself and its children: we allow the system
directories and /tmp, and nothing under /grader. Kernel ABI: https://docs.kernel.org/userspace-api/landlock.html
"""
import ctypes
import os
import struct

_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446  # x86_64 and arm64 share these numbers
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# ABI 1 file-system rights (bits 0-12).
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
ALL_V1 = (1 << 13) - 1
READ = EXECUTE | READ_FILE | READ_DIR

# What a Python program needs to read, and where it may write. /grader, /home, /root, /var, /opt are not listed.
ALLOWED = [("/usr", READ), ("/bin", READ), ("/lib", READ), ("/lib64", READ), ("/etc", READ), ("/proc", READ),
           ("/dev", READ | WRITE_FILE), ("/tmp", ALL_V1)]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def available():
    """The Landlock ABI version, 0 when the kernel or the container's seccomp profile does not offer it."""
    version = _libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def confine():
    """Restricts the calling process (use as Popen's preexec_fn). Raises OSError when Landlock refuses."""
    attr = ctypes.create_string_buffer(struct.pack("=Q", ALL_V1))
    ruleset = _libc.syscall(_SYS_CREATE_RULESET, attr, ctypes.c_size_t(8), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for path, access in ALLOWED:
            if not os.path.exists(path):
                continue
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                # struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd.
                rule = ctypes.create_string_buffer(struct.pack("=Qi", access if os.path.isdir(path) else access & 7, fd))
                if _libc.syscall(_SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH), rule,
                                 ctypes.c_uint32(0)) < 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
            finally:
                os.close(fd)
        if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
        if _libc.syscall(_SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
