#!/usr/bin/env python3
"""Run one command against a freshly started GES simulator (tests/sim/ges_sim.py).

    python3 tests/mbedtls/with_sim.py [--sim-arg ARG]... -- CMD [ARG...]
    python3 tests/mbedtls/with_sim.py --rsa-tls12 -- CMD [ARG...]

The simulator is started by tests/simlib.py, as the integration suites start it; in CMD's arguments {port} {ca} {token} {expired} {wrongname} are
replaced by the simulator's state. Exits with CMD's status (124 on a 120 s timeout,
times GES_TEST_TIMEOUT_SCALE,
and "0 passed, 1 failed" is printed when the server does not start).

--rsa-tls12 starts `openssl s_server -WWW -tls1_2` instead, with an RSA chain made
here (RSA-2048 root, intermediate, leaf for localhost; the server sends leaf and
intermediate), serving the job-success answer as a file at
/v1.0/probe-project/graphs/probe-graph/jobs/job-success/status: what a TLS 1.2-only
gateway with an RSA certificate looks like (OpenSSL then prefers RSA-PSS signatures).
Only {port}, {ca} and {token} are meaningful there.
Standard library only (and the openssl tool).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from simlib import Sim  # noqa: E402  (the simulator as integration.py starts it)
# GES_TEST_TIMEOUT_SCALE (as tests/integration.py): valgrind's runs take longer.
TIMEOUT = 120 * int(os.environ.get("GES_TEST_TIMEOUT_SCALE", "1"))


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def openssl(d, *args):
    r = subprocess.run(["openssl"] + list(args), cwd=d, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (args[0], r.stderr.decode(errors="replace")))


def start_rsa_tls12(d):
    """An RSA chain and an `openssl s_server -WWW -tls1_2` on a free port."""
    with open(os.path.join(d, "int.ext"), "w") as f:
        f.write("basicConstraints=critical,CA:TRUE,pathlen:0\n"
                "keyUsage=critical,keyCertSign,cRLSign\n")
    with open(os.path.join(d, "leaf.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    openssl(d, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key",
            "-out", "root.pem", "-days", "2", "-subj", "/CN=ges_job test RSA root",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, issuer, subj, ext in (("int", "root", "/CN=ges_job test RSA intermediate",
                                     "int.ext"),
                                    ("leaf", "int", "/CN=localhost", "leaf.ext")):
        openssl(d, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", subj)
        openssl(d, "x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem",
                "-CAkey", issuer + ".key", "-CAcreateserial", "-out", name + ".pem",
                "-days", "2", "-sha256", "-extfile", ext)
    www = os.path.join(d, "www")
    job = os.path.join(www, "v1.0", "probe-project", "graphs", "probe-graph", "jobs",
                       "job-success")
    os.makedirs(job)
    with open(os.path.join(job, "status"), "w") as f:
        f.write('{"jobId":"ff80808167f09aaa0167f19b35ec0305","status":"success",'
                '"jobType":"GraphManagement"}')
    port = free_port()
    err = open(os.path.join(d, "server.log"), "w+b")
    proc = subprocess.Popen(["openssl", "s_server", "-quiet", "-WWW", "-tls1_2",
                             "-accept", "127.0.0.1:%d" % port,
                             "-cert", os.path.join(d, "leaf.pem"),
                             "-key", os.path.join(d, "leaf.key"),
                             "-cert_chain", os.path.join(d, "int.pem")],
                            cwd=www, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=err)
    import socket
    end = time.monotonic() + 10
    while time.monotonic() < end and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    if proc.poll() is not None:
        raise RuntimeError("openssl s_server exited")
    return proc, err, {"port": str(port), "ca": os.path.join(d, "root.pem"),
                       "token": "rsa-token", "expired": "0", "wrongname": "0"}


def main(argv):
    if "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    i = argv.index("--")
    opts, cmd = argv[1:i], argv[i + 1:]
    sim_args = [opts[j + 1] for j in range(len(opts) - 1) if opts[j] == "--sim-arg"]
    with tempfile.TemporaryDirectory(prefix="ges_mbedtls_sim.") as d:
        if "--rsa-tls12" in opts:
            try:
                sim, err, subst = start_rsa_tls12(d)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
                print("the openssl server did not start: %s" % e)
                print("0 passed, 1 failed")
                return 1
            return run_cmd(cmd, subst, lambda: stop_server(sim, err))
        sim = Sim(d, "sim", sim_args, log=True)
        try:
            sim.wait_ready(timeout=20)
        except RuntimeError as e:
            sim.stop()
            with open(os.path.join(sim.dir, "sim.log")) as f:
                print("%s: %s" % (e, f.read().strip()))
            print("0 passed, 1 failed")
            return 1
        st = sim.state
        subst = {"port": str(st["port"]), "ca": st["ca"], "token": st["token"],
                 "expired": str(st["ports"]["expired"]),
                 "wrongname": str(st["ports"]["wrongname"])}
        return run_cmd(cmd, subst, sim.stop)


def stop_server(server, err):
    """Stop the openssl server by its pid."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    err.close()


def run_cmd(cmd, subst, stop):
    """Run cmd with the placeholders filled, then stop the server."""
    real = [a.format(**subst) if "{" in a else a for a in cmd]
    try:
        rc = subprocess.run(real, stdin=subprocess.DEVNULL, timeout=TIMEOUT).returncode
    except subprocess.TimeoutExpired:
        print("%s timed out after %d s" % (os.path.basename(real[0]), TIMEOUT))
        rc = 124
    finally:
        stop()
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
