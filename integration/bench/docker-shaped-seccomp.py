#!/usr/bin/env python3
"""Prints a linux.seccomp profile of the shape of Docker's default one, for benchmarks.

Docker's profile is an allow list under SCMP_ACT_ERRNO: some 350 syscall names in one rule,
a few more gated on arguments (personality) or answered with ENOSYS (clone3), for x86_64, x86
and x32. This one is built from the kernel headers' x86_64 syscall table, so it needs no copy of
Docker's file and names only syscalls that exist.

usage: docker-shaped-seccomp.py [UNISTD_64_H]
"""
import json
import re
import sys

header = sys.argv[1] if len(sys.argv) > 1 else "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
with open(header) as f:
    names = re.findall(r"^#define __NR_(\w+)\s", f.read(), re.M)
# What Docker's profile leaves to capabilities or refuses outright.
held_back = {"personality", "clone3", "kexec_load", "kexec_file_load", "reboot", "mount", "umount2",
             "init_module", "finit_module", "delete_module", "swapon", "swapoff", "acct", "bpf",
             "perf_event_open", "ptrace", "settimeofday", "clock_settime", "pivot_root", "unshare",
             "setns", "open_by_handle_at", "lookup_dcookie", "quotactl", "iopl", "ioperm"}
rules = [{"names": [n for n in names if n not in held_back], "action": "SCMP_ACT_ALLOW"}]
for persona in (0x0, 0x8, 0x20000, 0x20008, 0xffffffff):
    rules.append({"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                  "args": [{"index": 0, "value": persona, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]})
rules.append({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})
json.dump({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
           "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
           "syscalls": rules}, sys.stdout)
