#!/usr/bin/env python3
"""Captures real per-process GPU output for the per-model attribution tests: two stand-in
"servers" on one card, shaped like vLLM (server A: a listener on 127.0.0.1 whose forked
child holds the GPU memory, as vLLM's API server and its engine core; server B: one process
on [::1] holding its own). GPU memory is taken through the CUDA driver API (ctypes,
libcuda), so nothing but the driver is needed. Writes into OUT_DIR:

  apps.csv       nvidia-smi --query-compute-apps=pid,gpu_uuid,used_memory --format=csv,noheader,nounits
  apps-named.csv nvidia-smi --query-compute-apps=pid,process_name,gpu_uuid,used_memory ...
  gpus.csv       nvidia-smi --query-gpu=index,uuid --format=csv,noheader,nounits
  load.csv       nvidia-smi --query-gpu=<QUERY.txt fields> --format=csv,noheader,nounits
  pids.json      the real PIDs and ports (what nvidia-smi should list, to see whether it can)
  proc-net-tcp.txt, proc-net-tcp6.txt   /proc/net/tcp{,6} while both listen

    python3 capture_two_servers.py OUT_DIR [MIB_A MIB_B]
"""
import ctypes
import json
import os
import socket
import subprocess
import sys
import time

out_dir = sys.argv[1]
mib_a = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
mib_b = int(sys.argv[3]) if len(sys.argv) > 3 else 1200
QUERY = "index,name,uuid,driver_version,pstate,temperature.gpu,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,power.draw,power.limit,clocks.sm,clocks.mem"


def hold_gpu_memory(mib, ready_w):
    cuda = ctypes.CDLL("libcuda.so.1")
    assert cuda.cuInit(0) == 0
    dev = ctypes.c_int()
    assert cuda.cuDeviceGet(ctypes.byref(dev), 0) == 0
    ctx = ctypes.c_void_p()
    assert cuda.cuCtxCreate_v2(ctypes.byref(ctx), 0, dev) == 0
    ptr = ctypes.c_uint64()
    assert cuda.cuMemAlloc_v2(ctypes.byref(ptr), ctypes.c_size_t(mib * 1024 * 1024)) == 0
    os.write(ready_w, b"1")
    time.sleep(600)


def listener(family, host):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((host, 0))
    s.listen(8)
    return s


r, w = os.pipe()
pids = {}
sock_a = listener(socket.AF_INET, "127.0.0.1")
port_a = sock_a.getsockname()[1]
pid_a = os.fork()
if pid_a == 0:
    # server A's API process: it forks the engine core that holds the memory, and waits.
    child = os.fork()
    if child == 0:
        hold_gpu_memory(mib_a, w)
    time.sleep(600)
    os._exit(0)
sock_a.close()  # the listener now belongs to server A's process only
sock_b = listener(socket.AF_INET6, "::1")
port_b = sock_b.getsockname()[1]
pid_b = os.fork()
if pid_b == 0:
    hold_gpu_memory(mib_b, w)
sock_b.close()
os.read(r, 1)
os.read(r, 1)
time.sleep(2)


def smi(*args):
    return subprocess.run(["nvidia-smi", *args], capture_output=True, text=True).stdout


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


files = {
    "apps.csv": smi("--query-compute-apps=pid,gpu_uuid,used_memory", "--format=csv,noheader,nounits"),
    "apps-named.csv": smi("--query-compute-apps=pid,process_name,gpu_uuid,used_memory", "--format=csv,noheader,nounits"),
    "gpus.csv": smi("--query-gpu=index,uuid", "--format=csv,noheader,nounits"),
    "load.csv": smi(f"--query-gpu={QUERY}", "--format=csv,noheader,nounits"),
    "proc-net-tcp.txt": open("/proc/net/tcp").read(),
    "proc-net-tcp6.txt": open("/proc/net/tcp6").read(),
}
info = {
    "serverA": {"listenerPid": pid_a, "port": port_a, "childPids": children(pid_a), "heldMiB": mib_a},
    "serverB": {"listenerPid": pid_b, "port": port_b, "childPids": children(pid_b), "heldMiB": mib_b},
}
os.makedirs(out_dir, exist_ok=True)
for name, text in files.items():
    with open(os.path.join(out_dir, name), "w") as f:
        f.write(text)
with open(os.path.join(out_dir, "pids.json"), "w") as f:
    json.dump(info, f, indent=2)
for name in ("apps.csv", "gpus.csv"):
    print(name, "\n" + files[name])
print(json.dumps(info))
for p in [*children(pid_a), pid_a, pid_b]:
    os.kill(p, 9)
