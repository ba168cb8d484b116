#!/usr/bin/env python3
"""ges_sim.py - a local HTTPS simulator of Huawei Cloud GES job-status for loopback tests.

Standard library only (Python 3.11); certificates are made with the `openssl` tool.

    python3 tests/sim/ges_sim.py [--dir DIR] [--state-file FILE] [--token TOKEN]
        [--token-file FILE] [--ak AK] [--sk SK] [--sts-token TOKEN]
        [--clock-skew SECONDS] [--host 127.0.0.1] [--no-keepalive] [--tls12-only]
        [--proxy [--proxy-auth USER:PASS] [--proxy-close-after N] [--proxy-refuse CODE]
        [--proxy-extra]] [--verbose] [--list-jobs] [--selftest]

At start it writes certificates into DIR, listens on four free ports and prints ONE line of
JSON (also written atomically to --state-file):
    {"port": P, "ports": {"expired": P1, "wrongname": P2, "selfsigned": P3},
     "ca": "/abs/ca.pem", "other_ca": "/abs/other-ca.pem", "dir": "/abs/dir",
     "token": "...", "ak": "...", "sk": "...", "sts_token": null, "clock_skew": 0,
     "pid": N}
With --proxy it also listens on a plain-TCP HTTP CONNECT proxy port, "proxy_port" in the
state line (see "CONNECT proxy" in tests/sim/README.md; counters under "proxy" in /_sim/stats).
It runs until SIGTERM/SIGINT, then exits 0. --selftest checks the AK/SK verifier against the
published vectors (ges-api README section 4.2) and exits 0 (all pass) or 1.

Routes (project_id and graph_id are free; path segments are percent-decoded):
    GET /v1.0/{project_id}/graphs/{graph_id}/jobs/{job_id}/status   camelCase answers
    GET /v2/{project_id}/graphs/{graph_id}/jobs/{job_id}/status     snake_case answers
    GET /_sim/stats   counters (no auth)        GET /_sim/reset   zero counters (no auth)
Auth: a request with an Authorization header is verified as AK/SK (SDK-HMAC-SHA256,
independently, with hmac/hashlib); any other must carry X-Auth-Token equal to the token.
Failures get 401 APIG.0301 (gateway shape). Unknown job: 400 GES.7007.
"Now" is real time + --clock-skew: the Date header of every answer and the 15-minute
freshness check of X-Sdk-Date use it.
"poll N" below is the per-job_id count of authenticated requests since start or last reset.

JOB TABLE (job_id -> behaviour)
  Normal jobs (v1.0 route: camelCase; v2 route: snake_case, times "yyyy-MM-dd HH:mm:ss")
  job-success          200, the seed's example body (jobId ff80808167f09aaa0167f19b35ec0305,
                       status success, jobProgress 0, one jobDetail entry per set, log/cause null)
  job-failed           200, status failed, failReason, endTime; vertexset entry failed with
                       log/cause, totalLines 500 failedLines 500 successfulLines 0
  job-partial          200, status partiallyFailed; entries partFailed/success/failed, some
                       line counts -1
  job-import           polls 1-2 pending (endTime null); 3-5 running, jobProgress 25.0/50.5/75.0;
                       poll 6+ success, jobProgress 100, jobDetail with line counts
  job-import-failed    as job-import, but poll 6+ is failed with failReason and a failed entry
  job-import-20        polls 1-19 running with jobProgress 5*n, poll 20+ success (a long wait)
  job-running          200, always running, jobProgress 10
  job-unicode          200, status failed; raw JSON text has escapes: relatedGraph
                       "caf\\u00e9_\\ud83d\\ude00" (= "café_😀"), failReason
                       "line1\\nline2\\tcol \\"quoted\\" back\\\\slash \\u00e9\\ud83d\\ude00"
  job-v2shape          the job-success body in v2 snake_case, even on the v1.0 route
  job-err-camel        400 {"errorMessage":"The job does not exist.","errorCode":"GES.7007"}
  job-err-snake        400 {"error_code":"GES.0001","error_msg":"Invalid parameter: job_id"}
  job-err-nested       500 {"error":{"code":"GES.7006","message":"Engine internal error"}}
  job-err-html         502, Content-Type text/html, a small HTML page
  job-200-errorcode    200 {"errorCode":"GES.7001","errorMessage":"graph not running"}
  job-503-retry        polls 1-2: 503, Retry-After: 1,
                       {"errorCode":"GES.7005","errorMessage":"engine unavailable"}; then success
  (any other id)       400 GES.7007 (v1.0 camelCase, v2 {"error_code","error_msg"})
  Hostile jobs (byte-exact scripts; "success body" = job-success body for the route)
  job-chunked          success body, Transfer-Encoding: chunked; chunks of 1, 7, 100 (hex "64"),
                       5 with extension "5;name=val", rest in one chunk with UPPER-case hex;
                       "Trailer: X-Sim-Trailer" and a trailer line "X-Sim-Trailer: done"
  job-trickle          whole response (Connection: close) one byte every 0.5 s
  job-stall            reads the request, never answers; closes after 60 s or when client does
  job-never            same as job-stall
  job-stall-body       headers with Content-Length 1000, 10 body bytes, then stalls (60 s)
  job-early-close      Content-Length 1000, 50 body bytes, then TLS close_notify and close
  job-reset            Content-Length 1000, 50 body bytes, then TCP reset (SO_LINGER 0)
  job-big-headers      1024 "X-Pad-NNNN: ..." lines of 64 bytes each (65536 bytes of padding
                       headers), then the normal success answer
  job-big-body         200, valid JSON of exactly 100 MiB (Content-Length), huge unknown member
                       "xSimPadding" after status; streamed, never held in memory
  job-big-body-chunked same body, chunked (64 KiB chunks)
  job-redirect         302, Location: https://evil.example/steal, small text/html body
  job-cl-chunked       both Content-Length and Transfer-Encoding: chunked; closes after
  job-cl-conflict      two different Content-Length headers (correct one first); closes after
  job-cl-bad           "Content-Length: 12abc"; closes after
  job-chunk-negative   chunked, first chunk-size line "-5"; closes after
  job-chunk-huge       chunked, first chunk-size line "ffffffffffffffffffff"; closes after
  job-chunk-nonhex     chunked, first chunk-size line "zz"; closes after
  job-nul-header       header "X-Sim-Nul: abc<NUL>def", then a normal success body
  job-no-reason        status line "HTTP/1.1 200" (no space, no reason), normal success body
  job-http10           "HTTP/1.0 200 OK", no Content-Length, body, close_notify, close
  job-100-continue     "HTTP/1.1 100 Continue" interim answer, then the normal 200
  job-tls-records      normal answer written one byte per TLS record (TCP_NODELAY)
  job-deep             200, unknown member "xSimDeep" nested 10,000 deep ({"d":[ ... ]} x 5000)
  job-many             200, 10,000 entries in jobDetail.vertexsetPath
  job-long-strings     200, every string value (incl. status) exactly 1 MiB long (~12 MiB body)
  job-bad-utf8         200, status failed, failReason contains raw bytes 0xC3 0x28
  job-lone-surrogate   200, status failed, failReason contains the escape "\\ud800" alone
  job-bad-json         200, body {"jobId": tru}
  job-keepalive-off    normal success with Connection: close, then close_notify and close
  Desync jobs (issue 13): a running answer (jobId = the asked id, jobProgress 10), kept alive,
  and then bytes that must never be read as the next answer on the connection
  job-dup-same-record  the answer and a stale copy (status failed) in ONE TLS record
  job-stray-crlf       0.2 s later, "\r\n" in a record of its own
  job-late-408         0.2 s later, an unsolicited 408 (Connection: close), close_notify, close
  job-late-answer      0.2 s later, a second answer (status failed)
  job-idle-close       0.2 s later, close_notify and close (the server's idle close)
  job-204-body         204 declaring Content-Length 5, and the 5 bytes sent anyway
  job-gzip             200, the success body gzip-compressed, Content-Encoding: gzip
  job-reset-on-2       even polls: TCP reset without answering; odd polls: normal success
  job-import-faults    a wait's faults: poll 2 TCP reset, poll 4 stalls, poll 5 503 with
                       Retry-After: 1 (GES.7005), polls 1/3/6 running, poll 7+ success
"""

import argparse
import base64
import calendar
import hashlib
import hmac
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import quote, unquote, unquote_to_bytes

DEFAULT_TOKEN = "sim-token-0123456789"
DEFAULT_AK = "sim-ak"
DEFAULT_SK = "sim-sk-0123456789"
MAX_HEADER_BYTES = 64 * 1024      # request head limit
LATER_SECONDS = 0.2               # the desync jobs' delay before their extra bytes
MAX_REQUEST_BODY = 1024 * 1024    # a GET body is read and discarded up to this size
IDLE_TIMEOUT = 30.0               # keep-alive idle timeout and per-I/O timeout
HANDSHAKE_TIMEOUT = 10.0
STALL_SECONDS = 60.0
PIECE = 64 * 1024                 # streaming piece size for big bodies

VERBOSE = False
CLOCK_SKEW = 0.0                  # seconds added to real time: the simulator's "now"


def sim_now():
    """The simulator's notion of the current time (UTC seconds)."""
    return time.time() + CLOCK_SKEW


def log(msg):
    """Diagnostics go to stderr only with --verbose (an unread stderr pipe must never block
    us). Nothing logged ever includes a token."""
    if VERBOSE:
        sys.stderr.write("ges_sim: %s\n" % msg)
        sys.stderr.flush()


# --------------------------------------------------------------------------------------------
# Certificates (openssl command line, ECDSA P-256 everywhere)
# --------------------------------------------------------------------------------------------

OPENSSL_CNF = """\
# Generated by ges_sim.py
[ req ]
distinguished_name = req_dn
prompt             = no
[ req_dn ]
CN = unused
[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
[ v3_wrong ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:wrong.example
[ v3_self ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
subjectAltName         = DNS:localhost, IP:127.0.0.1, IP:::1
# "openssl ca" is used only for expired.pem, because it can set explicit past dates.
[ ca ]
default_ca = sim_ca
[ sim_ca ]
dir             = .
database        = ./ca-index.txt
serial          = ./ca-serial.txt
new_certs_dir   = ./ca-newcerts
certificate     = ./ca.pem
private_key     = ./ca.key
default_md      = sha256
policy          = sim_policy
unique_subject  = no
email_in_dn     = no
copy_extensions = none
[ sim_policy ]
commonName = supplied
"""

EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]


def make_certs(d, san_ip=None, key_args=None):
    """Create every certificate in directory d (cwd for the openssl calls). Returns paths.
    san_ip: one more iPAddress in the valid leaves' SAN; key_args: openssl key options
    instead of EC_KEY."""
    key = key_args or EC_KEY
    openssl = os.environ.get("OPENSSL") or shutil.which("openssl")
    if not openssl:
        raise RuntimeError("the openssl command line tool is needed (apt-get install openssl)")

    def run(*args):
        r = subprocess.run([openssl] + list(args), cwd=d, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError("openssl %s failed: %s" % (args[0], r.stderr.decode(errors="replace")))

    def serial():
        return "0x" + secrets.token_hex(8)

    with open(os.path.join(d, "sim-openssl.cnf"), "w") as f:
        f.write(OPENSSL_CNF.replace("IP:::1", "IP:::1, IP:" + san_ip) if san_ip else OPENSSL_CNF)
    cnf = "sim-openssl.cnf"
    # Two unrelated throwaway CAs.
    for name, cn in (("ca", "ges_sim test CA"), ("other-ca", "ges_sim other CA")):
        run("req", "-config", cnf, "-x509", *key, "-keyout", name + ".key", "-out",
            name + ".pem", "-subj", "/CN=" + cn, "-days", "3650", "-sha256",
            "-extensions", "v3_ca", "-set_serial", serial())
    # CA-signed leaves: server (valid), wrongname (valid, wrong SAN).
    for name, cn, ext in (("server", "localhost", "v3_leaf"),
                          ("wrongname", "wrong.example", "v3_wrong")):
        run("req", "-config", cnf, "-new", *key, "-keyout", name + ".key", "-out",
            name + ".csr", "-subj", "/CN=" + cn)
        run("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-set_serial", serial(), "-days", "825", "-sha256", "-extfile", cnf,
            "-extensions", ext, "-out", name + ".pem")
    # Expired leaf: validity wholly in the past, via "openssl ca" with explicit dates.
    os.makedirs(os.path.join(d, "ca-newcerts"), exist_ok=True)
    open(os.path.join(d, "ca-index.txt"), "w").close()
    with open(os.path.join(d, "ca-serial.txt"), "w") as f:
        f.write(secrets.token_hex(8) + "\n")
    run("req", "-config", cnf, "-new", *key, "-keyout", "expired.key", "-out",
        "expired.csr", "-subj", "/CN=localhost")
    run("ca", "-config", cnf, "-batch", "-notext", "-in", "expired.csr",
        "-out", "expired.pem", "-extensions", "v3_leaf",
        "-startdate", "20200101000000Z", "-enddate", "20200201000000Z")
    # Self-signed leaf for localhost, not from the CA.
    run("req", "-config", cnf, "-x509", *key, "-keyout", "selfsigned.key", "-out",
        "selfsigned.pem", "-subj", "/CN=localhost", "-days", "825", "-sha256",
        "-extensions", "v3_self", "-set_serial", serial())
    p = lambda n: os.path.join(d, n)
    return {"ca": p("ca.pem"), "other_ca": p("other-ca.pem"),
            "main": (p("server.pem"), p("server.key")),
            "expired": (p("expired.pem"), p("expired.key")),
            "wrongname": (p("wrongname.pem"), p("wrongname.key")),
            "selfsigned": (p("selfsigned.pem"), p("selfsigned.key"))}


# --------------------------------------------------------------------------------------------
# Counters for /_sim/stats
# --------------------------------------------------------------------------------------------

class ConnInfo:
    """Per-connection bookkeeping, so that connections used only for /_sim/ requests can be
    left out of the counters (tests fetch stats on their own connection)."""
    def __init__(self, port_name):
        self.port_name = port_name
        self.gen = 0            # Stats generation this connection was counted in
        self.counted = False
        self.handshaked = False
        self.resumed = False
        self.version = None
        self.normal_requests = 0
        self.peer_port = None   # the client's TCP port: a tunnel's when it came via the proxy


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.gen = 0
        self._zero()

    def _zero(self):
        self.connections = self.handshakes = self.resumed = self.requests = 0
        self.handshake_failures = 0
        self.tls_versions = {}
        self.polls = {}
        # Authentication of job requests (never any secret: names and reasons only).
        self.auth_ok = {"token": 0, "aksk": 0}
        self.auth_rejects = {}        # reason key -> count (see AUTH_REASONS)
        self.last_auth = None         # "token" / "aksk" of the last job request
        self.last_auth_result = None  # "ok" or a reason key
        self.last_signed_headers = None
        self.last_project_id = None   # X-Project-Id of the last job request, if any
        self.last_sdk_date = None
        self.apis = {}                # "v1" / "v2" -> job requests routed by that path
        # The CONNECT proxy (--proxy): tunnels opened, refusals by status, what was asked.
        self.proxy = {"connects": 0, "tunnels": 0, "refused": {}, "closed_after": 0,
                      "last_target": None, "last_host": None, "last_auth": None}

    def _add(self, ci, sign):
        self.connections += sign
        if ci.handshaked:
            self.handshakes += sign
            self.resumed += sign if ci.resumed else 0
            self.tls_versions[ci.version] = self.tls_versions.get(ci.version, 0) + sign

    def opened(self, ci):
        with self.lock:
            ci.gen, ci.counted = self.gen, True
            self.connections += 1

    def handshake(self, ci, ok, resumed=False, version=None):
        with self.lock:
            if not ok:
                if ci.gen == self.gen:
                    self.handshake_failures += 1
                return
            ci.handshaked, ci.resumed, ci.version = True, bool(resumed), version
            if ci.counted and ci.gen == self.gen:
                self.handshakes += 1
                self.resumed += 1 if resumed else 0
                self.tls_versions[version] = self.tls_versions.get(version, 0) + 1

    def request(self, ci, control):
        """Count one request. A connection whose first request is /_sim/... is un-counted
        (it is the test's control connection); it is re-counted if it later polls a job."""
        with self.lock:
            if control:
                if ci.counted and ci.normal_requests == 0 and ci.gen == self.gen:
                    self._add(ci, -1)
                    ci.counted = False
                return
            ci.normal_requests += 1
            self.requests += 1
            if not ci.counted:
                ci.gen, ci.counted = self.gen, True
                self._add(ci, +1)

    def auth(self, kind, reason, signed_headers=None, project_id=None, sdk_date=None):
        """Record how one job request authenticated; reason None means accepted."""
        with self.lock:
            self.last_auth = kind
            self.last_auth_result = reason or "ok"
            self.last_signed_headers = signed_headers
            self.last_project_id = project_id
            self.last_sdk_date = sdk_date
            if reason is None:
                self.auth_ok[kind] += 1
            else:
                self.auth_rejects[reason] = self.auth_rejects.get(reason, 0) + 1

    def api(self, api):
        with self.lock:
            self.apis[api] = self.apis.get(api, 0) + 1

    def proxy_event(self, what, **kw):
        """One proxy event: "connect" (with target/host/auth), "tunnel", "refused" (code),
        "closed_after" (the server closed a tunnelled connection after --proxy-close-after)."""
        with self.lock:
            p = self.proxy
            if what == "connect":
                p["connects"] += 1
                p["last_target"], p["last_host"] = kw["target"], kw["host"]
                p["last_auth"] = kw["auth"]
            elif what == "refused":
                p["refused"][str(kw["code"])] = p["refused"].get(str(kw["code"]), 0) + 1
            else:
                p[what + "s" if what == "tunnel" else what] += 1

    def poll(self, job_id):
        with self.lock:
            n = self.polls.get(job_id, 0) + 1
            self.polls[job_id] = n
            return n

    def reset(self):
        with self.lock:
            self.gen += 1
            self._zero()

    def snapshot(self):
        with self.lock:
            return {"connections": self.connections, "handshakes": self.handshakes,
                    "resumed": self.resumed, "requests": self.requests,
                    "polls": dict(self.polls),
                    "handshake_failures": self.handshake_failures,
                    "tls_versions": {k: v for k, v in self.tls_versions.items() if v},
                    "auth_ok": dict(self.auth_ok), "auth_rejects": dict(self.auth_rejects),
                    "last_auth": self.last_auth, "last_auth_result": self.last_auth_result,
                    "last_signed_headers": self.last_signed_headers,
                    "last_project_id": self.last_project_id,
                    "last_sdk_date": self.last_sdk_date, "apis": dict(self.apis),
                    "proxy": dict(self.proxy, refused=dict(self.proxy["refused"]))}


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------

class HttpError(Exception):
    def __init__(self, code, msg):
        super().__init__(msg)
        self.code, self.msg = code, msg


class Request:
    def __init__(self, method, target, version, headers):
        self.method, self.target, self.version, self.headers = method, target, version, headers
        self.api = None          # "v1" or "v2" once routed
        self.job_id = None
        self.keepalive = False
        self.body = b""          # request body (Content-Length), for the AK/SK body hash
        self.request_id = secrets.token_hex(16)

    def header(self, name):
        """All values of a header (name lower-case)."""
        return [v for k, v in self.headers if k == name]


TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
REQUEST_LINE_RE = re.compile(r"^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP/(1\.[01])$")


class Conn:
    """One accepted TLS connection: buffered request reading and raw writes."""

    def __init__(self, sock, info, server):
        self.sock, self.info, self.server = sock, info, server
        self.buf = b""
        self.closed = False

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def read_request(self):
        """Return the next Request, None on a clean EOF between requests; HttpError on
        garbage. Any request body (Content-Length only) is read and discarded."""
        while True:
            # Tolerate empty lines before a request line (RFC 9112 section 2.2).
            while self.buf.startswith(b"\r\n"):
                self.buf = self.buf[2:]
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            if len(self.buf) > MAX_HEADER_BYTES:
                raise HttpError(431, "request header fields too large")
            try:
                self._fill()
            except EOFError:
                if self.buf:
                    raise HttpError(400, "connection closed inside a request head")
                return None
        if end > MAX_HEADER_BYTES:
            raise HttpError(431, "request header fields too large")
        head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
        lines = head.split("\r\n")
        m = REQUEST_LINE_RE.match(lines[0])
        if not m:
            raise HttpError(400, "malformed request line")
        headers = []
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep or not TOKEN_RE.match(name):
                raise HttpError(400, "malformed header line")
            value = value.strip(" \t")
            if any(ch in value for ch in "\x00\r\n"):
                raise HttpError(400, "bad character in header value")
            headers.append((name.lower(), value))
        rq = Request(m.group(1), m.group(2), m.group(3), headers)
        if rq.header("transfer-encoding"):
            raise HttpError(400, "request bodies with Transfer-Encoding are not supported")
        cl = rq.header("content-length")
        if cl:
            if len(set(cl)) != 1 or not cl[0].isdigit():
                raise HttpError(400, "bad Content-Length")
            n = int(cl[0])
            if n > MAX_REQUEST_BODY:
                raise HttpError(413, "request body too large")
            while len(self.buf) < n:
                try:
                    self._fill()
                except EOFError:
                    raise HttpError(400, "connection closed inside a request body")
            rq.body, self.buf = self.buf[:n], self.buf[n:]
        conn_tokens = {t.strip().lower() for v in rq.header("connection") for t in v.split(",")}
        rq.keepalive = (rq.version == "1.1" and "close" not in conn_tokens
                        and not self.server.no_keepalive)
        return rq

    def send(self, data):
        self.sock.sendall(data)

    def close_clean(self):
        """Send TLS close_notify, wait briefly for the peer's, then close the socket."""
        if self.closed:
            return
        try:
            self.sock.settimeout(1.0)
            self.sock.unwrap().close()
        except (OSError, ValueError):
            pass
        self.close_quiet()

    def close_reset(self):
        """Abort: SO_LINGER 0 then close, so the peer sees a TCP RST (no close_notify)."""
        if self.closed:
            return
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_quiet()

    def close_quiet(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    def linger(self, seconds=STALL_SECONDS):
        """Say nothing; return when the peer closes or after `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.sock.settimeout(max(0.1, min(1.0, deadline - time.monotonic())))
                if not self.sock.recv(65536):
                    return
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return


def head_bytes(code, headers, status_line=None):
    """Serialise a status line and header list (values may hold any latin-1 byte)."""
    if status_line is None:
        status_line = "HTTP/1.1 %d %s" % (code, HTTPStatus(code).phrase)
    out = [status_line] + ["%s: %s" % (k, v) for k, v in headers]
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")


def std_headers(rq, ctype="application/json", length=None, keep=True):
    h = [("Content-Type", ctype)]
    if length is not None:
        h.append(("Content-Length", str(length)))
    h += [("X-Request-Id", rq.request_id), ("Date", formatdate(sim_now(), usegmt=True)),
          ("Server", "ges-sim"), ("Connection", "keep-alive" if keep else "close")]
    return h


def respond(c, rq, code, body, ctype="application/json", extra=()):
    """A normal, well-formed answer. Returns whether the connection stays open."""
    keep = rq.keepalive
    c.send(head_bytes(code, std_headers(rq, ctype, len(body), keep) + list(extra)) + body)
    return keep


def jdump(obj):
    return json.dumps(obj, ensure_ascii=True).encode("ascii")


def chunk(data, size_text=None):
    """One chunk of a chunked body; size_text overrides the size line (extensions, case)."""
    return (size_text or "%x" % len(data)).encode("latin-1") + b"\r\n" + data + b"\r\n"


# --------------------------------------------------------------------------------------------
# Job bodies (built in v1.0 camelCase; converted for the v2 route)
# --------------------------------------------------------------------------------------------

SEED_SUCCESS = {
    "jobId": "ff80808167f09aaa0167f19b35ec0305",
    "status": "success",
    "jobType": "GraphManagement",
    "jobName": "ImportGraph",
    "relatedGraph": "GES_UI_AUTO",
    "beginTime": "2018-11-27T21:39:00",
    "endTime": "2018-11-27T21:39:56",
    "jobDetail": {
        "vertexsetPath": [{"path": "ges-ui/auDatas/list_set_vertex.csv", "log": None,
                           "cause": None, "status": "success"}],
        "edgesetPath": [{"path": "ges-ui/auDatas/list_set_edge.csv", "log": None,
                         "cause": None, "status": "success"}],
        "schemaPath": [{"path": "ges-ui/auDatas/list_set_schema.xml", "log": None,
                        "cause": None, "status": "success"}],
    },
    "jobProgress": 0,
}


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def to_v2(obj):
    """camelCase job body -> v2 snake_case; times "yyyy-MM-ddTHH:mm:ss" -> "yyyy-MM-dd HH:mm:ss";
    the v2 200 body has no errorCode/errorMessage."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ("errorCode", "errorMessage"):
                continue
            if k in ("beginTime", "endTime") and isinstance(v, str):
                v = re.sub(r"^(\d{4}-\d\d-\d\d)T", r"\1 ", v)
            out[snake(k)] = to_v2(v)
        return out
    if isinstance(obj, list):
        return [to_v2(v) for v in obj]
    return obj


def key(rq, camel):
    """Field name for byte-built bodies on this route."""
    return snake(camel) if rq.api == "v2" else camel


def entry(path, status, log=None, cause=None, lines=None):
    e = {"path": path, "log": log, "status": status, "cause": cause}
    if lines is not None:
        e["totalLines"], e["failedLines"], e["successfulLines"] = lines
    return e


def base_job(job_id, status, progress, end="2024-05-01T10:05:30"):
    return {"jobId": job_id, "status": status, "jobType": "GraphManagement",
            "jobName": "ImportGraph", "relatedGraph": "sim_graph",
            "beginTime": "2024-05-01T10:00:00", "endTime": end, "jobProgress": progress}


def success_detail():
    return {"schemaPath": [entry("obs://sim-bucket/schema.xml", "success")],
            "edgesetPath": [entry("obs://sim-bucket/edges.csv", "success", lines=(2000, 0, 2000))],
            "vertexsetPath": [entry("obs://sim-bucket/vertices.csv", "success",
                                    lines=(1000, 0, 1000))]}


def failed_job(job_id):
    j = base_job(job_id, "failed", 40.0)
    j["jobDetail"] = {
        "schemaPath": [entry("obs://sim-bucket/schema.xml", "success")],
        "edgesetPath": [entry("obs://sim-bucket/edges.csv", "success", lines=(2000, 0, 2000))],
        "vertexsetPath": [entry("obs://sim-bucket/vertices.csv", "failed",
                                log="obs://sim-bucket/logs/vertices.log",
                                cause="Column 3 is not a valid integer", lines=(500, 500, 0))]}
    j["failReason"] = "Importing vertexset file obs://sim-bucket/vertices.csv failed"
    return j


def scripted_import(job_id, n, final_failed):
    if n <= 2:
        return base_job(job_id, "pending", 0, end=None)
    if n <= 5:
        return base_job(job_id, "running", (25.0, 50.5, 75.0)[n - 3], end=None)
    if final_failed:
        return failed_job(job_id)
    j = base_job(job_id, "success", 100)
    j["jobDetail"] = success_detail()
    return j


def partial_job(job_id):
    j = base_job(job_id, "partiallyFailed", 100)
    j["jobDetail"] = {
        "schemaPath": [entry("obs://sim-bucket/schema.xml", "success")],
        "edgesetPath": [entry("obs://sim-bucket/edges-a.csv", "success", lines=(-1, -1, -1)),
                        entry("obs://sim-bucket/edges-b.csv", "failed",
                              log="obs://sim-bucket/logs/edges-b.log",
                              cause="File not found", lines=(-1, -1, -1))],
        "vertexsetPath": [entry("obs://sim-bucket/vertices.csv", "partFailed",
                                log="obs://sim-bucket/logs/vertices.log",
                                cause="10 lines have a bad label", lines=(1000, 10, 990))]}
    j["failReason"] = "Some files failed to import"
    return j


def unicode_job(job_id):
    j = base_job(job_id, "failed", 0)
    j["relatedGraph"] = "caf\u00e9_\U0001F600"
    j["failReason"] = 'line1\nline2\tcol "quoted" back\\slash \u00e9\U0001F600'
    return j


def plain(code, obj_or_bytes, ctype="application/json", extra=()):
    """An answer that is NOT converted for v2 (error shapes are deliberate)."""
    body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else jdump(obj_or_bytes)
    return code, body, ctype, list(extra)


def job(rq, obj):
    """A job body, in the route's naming."""
    return plain(200, to_v2(obj) if rq.api == "v2" else obj)


HTML_502 = (b"<html><head><title>502 Bad Gateway</title></head>\n"
            b"<body><h1>502 Bad Gateway</h1><p>ges-sim upstream error</p></body></html>\n")

# job_id -> f(rq, n) -> (code, body bytes, content type, extra headers)
NORMAL_JOBS = {
    "job-success": lambda rq, n: job(rq, SEED_SUCCESS),
    "job-failed": lambda rq, n: job(rq, failed_job(rq.job_id)),
    "job-partial": lambda rq, n: job(rq, partial_job(rq.job_id)),
    "job-import": lambda rq, n: job(rq, scripted_import(rq.job_id, n, False)),
    "job-import-failed": lambda rq, n: job(rq, scripted_import(rq.job_id, n, True)),
    "job-running": lambda rq, n: job(rq, base_job(rq.job_id, "running", 10, end=None)),
    "job-import-20": lambda rq, n: job(rq, (
        base_job(rq.job_id, "running", 5.0 * n, end=None) if n < 20 else
        dict(base_job(rq.job_id, "success", 100), jobDetail=success_detail()))),
    "job-unicode": lambda rq, n: job(rq, unicode_job(rq.job_id)),
    "job-v2shape": lambda rq, n: plain(200, to_v2(SEED_SUCCESS)),
    "job-err-camel": lambda rq, n: plain(
        400, {"errorMessage": "The job does not exist.", "errorCode": "GES.7007"}),
    "job-err-snake": lambda rq, n: plain(
        400, {"error_code": "GES.0001", "error_msg": "Invalid parameter: job_id"}),
    "job-err-nested": lambda rq, n: plain(
        500, {"error": {"code": "GES.7006", "message": "Engine internal error"}}),
    "job-err-html": lambda rq, n: plain(502, HTML_502, "text/html"),
    "job-200-errorcode": lambda rq, n: plain(
        200, {"errorCode": "GES.7001", "errorMessage": "graph not running"}),
    "job-503-retry": lambda rq, n: (
        plain(503, {"errorCode": "GES.7005", "errorMessage": "engine unavailable"},
              extra=[("Retry-After", "1")]) if n <= 2 else job(rq, SEED_SUCCESS)),
}


def success_body(rq):
    return job(rq, SEED_SUCCESS)[1]


# --------------------------------------------------------------------------------------------
# Hostile jobs: byte-exact scripts. f(c, rq, n) -> keep the connection open?
# --------------------------------------------------------------------------------------------

class Fill:
    """`n` bytes of a repeated pattern, produced lazily."""
    def __init__(self, pattern, n):
        self.pattern, self.n = pattern, n

    def __len__(self):
        return self.n

    def pieces(self):
        # A whole number of patterns per block, so pieces join seamlessly.
        block = self.pattern * max(1, PIECE // len(self.pattern))
        left = self.n
        while left:
            k = min(left, len(block))
            yield block[:k]
            left -= k


def body_len(parts):
    return sum(len(p) for p in parts)


def body_pieces(parts):
    """Yield <= PIECE-ish byte strings from a list of bytes / Fill parts."""
    for p in parts:
        if isinstance(p, Fill):
            yield from p.pieces()
        else:
            for i in range(0, len(p), PIECE):
                yield p[i:i + PIECE]


def send_parts(c, rq, parts, chunked=False):
    if chunked:
        c.send(head_bytes(200, std_headers(rq, keep=rq.keepalive)
                          + [("Transfer-Encoding", "chunked")]))
        for piece in body_pieces(parts):
            c.send(chunk(piece))
        c.send(b"0\r\n\r\n")
    else:
        c.send(head_bytes(200, std_headers(rq, length=body_len(parts), keep=rq.keepalive)))
        for piece in body_pieces(parts):
            c.send(piece)
    return rq.keepalive


def h_chunked(c, rq, n):
    body = success_body(rq)
    rest = body[113:]
    c.send(head_bytes(200, std_headers(rq, keep=rq.keepalive)
                      + [("Transfer-Encoding", "chunked"), ("Trailer", "X-Sim-Trailer")])
           + chunk(body[0:1]) + chunk(body[1:8]) + chunk(body[8:108])
           + chunk(body[108:113], "5;name=val") + chunk(rest, "%X" % len(rest))
           + b"0\r\nX-Sim-Trailer: done\r\n\r\n")
    return rq.keepalive


def h_trickle(c, rq, n):
    body = success_body(rq)
    data = head_bytes(200, std_headers(rq, length=len(body), keep=False)) + body
    for i in range(len(data)):
        c.send(data[i:i + 1])
        time.sleep(0.5)
    c.close_clean()
    return False


def h_stall(c, rq, n):
    c.linger()
    return False


def h_stall_body(c, rq, n):
    c.send(head_bytes(200, std_headers(rq, length=1000, keep=False)) + success_body(rq)[:10])
    c.linger()
    return False


def truncated(c, rq, clean):
    """Content-Length 1000 but only 50 body bytes, then close_notify or a TCP reset."""
    c.send(head_bytes(200, std_headers(rq, length=1000, keep=False)) + success_body(rq)[:50])
    time.sleep(0.1)   # let the bytes leave before the close/reset
    if clean:
        c.close_clean()
    else:
        c.close_reset()
    return False


def h_big_headers(c, rq, n):
    body = success_body(rq)
    pad = [("X-Pad-%04d" % i, "p" * 50) for i in range(1, 1025)]  # 1024 lines x 64 bytes
    c.send(head_bytes(200, pad + std_headers(rq, length=len(body), keep=rq.keepalive)) + body)
    return rq.keepalive


def big_body_parts(rq):
    total = 100 * 1024 * 1024
    prefix = ('{"%s":%s,"%s":"success","%s":"GraphManagement","%s":"ImportGraph",'
              '"xSimPadding":"' % (key(rq, "jobId"), json.dumps(rq.job_id), key(rq, "status"),
                                   key(rq, "jobType"), key(rq, "jobName"))).encode()
    suffix = ('","%s":100}' % key(rq, "jobProgress")).encode()
    return [prefix, Fill(b"x", total - len(prefix) - len(suffix)), suffix]


def h_redirect(c, rq, n):
    return respond(c, rq, 302, b'<a href="https://evil.example/steal">moved</a>\n',
                   "text/html", [("Location", "https://evil.example/steal")])


def framing(c, rq, headers, body):
    """Send a deliberately broken answer, then close (framing is ambiguous afterwards)."""
    c.send(head_bytes(200, headers) + body)
    time.sleep(0.1)
    c.close_clean()
    return False


def h_cl_chunked(c, rq, n):
    body = success_body(rq)
    return framing(c, rq, std_headers(rq, length=len(body), keep=False)
                   + [("Transfer-Encoding", "chunked")], chunk(body) + b"0\r\n\r\n")


def h_cl_conflict(c, rq, n):
    body = success_body(rq)
    return framing(c, rq, std_headers(rq, length=len(body), keep=False)
                   + [("Content-Length", str(len(body) + 10))], body)


def h_cl_bad(c, rq, n):
    hs = [(k, "12abc" if k == "Content-Length" else v)
          for k, v in std_headers(rq, length=0, keep=False)]
    return framing(c, rq, hs, success_body(rq))


def bad_chunk(size_line):
    def h(c, rq, n):
        return framing(c, rq, std_headers(rq, keep=False) + [("Transfer-Encoding", "chunked")],
                       size_line + b"\r\n" + success_body(rq)[:32] + b"\r\n0\r\n\r\n")
    return h


def h_nul_header(c, rq, n):
    return respond(c, rq, 200, success_body(rq), extra=[("X-Sim-Nul", "abc\x00def")])


def h_no_reason(c, rq, n):
    body = success_body(rq)
    c.send(head_bytes(200, std_headers(rq, length=len(body), keep=rq.keepalive),
                      status_line="HTTP/1.1 200") + body)
    return rq.keepalive


def h_http10(c, rq, n):
    hs = [h for h in std_headers(rq, keep=False) if h[0] != "Connection"]
    c.send(head_bytes(200, hs, status_line="HTTP/1.0 200 OK") + success_body(rq))
    c.close_clean()
    return False


def h_100_continue(c, rq, n):
    c.send(b"HTTP/1.1 100 Continue\r\n\r\n")
    return respond(c, rq, 200, success_body(rq))


def h_tls_records(c, rq, n):
    body = success_body(rq)
    data = head_bytes(200, std_headers(rq, length=len(body), keep=rq.keepalive)) + body
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for i in range(len(data)):
        c.send(data[i:i + 1])     # one SSL_write, hence one TLS record, per byte
    return rq.keepalive


def h_deep(c, rq, n):
    k = lambda s: key(rq, s)
    parts = [('{"%s":"job-deep","%s":"success","xSimDeep":' % (k("jobId"), k("status"))).encode(),
             Fill(b'{"d":[', 6 * 5000), b"1", Fill(b"]}", 2 * 5000),
             (',"%s":"GraphManagement","%s":0}' % (k("jobType"), k("jobProgress"))).encode()]
    return send_parts(c, rq, parts)


def h_many(c, rq, n):
    j = base_job(rq.job_id, "success", 100)
    j["jobDetail"] = {"schemaPath": [entry("obs://sim-bucket/schema.xml", "success")],
                      "edgesetPath": [],
                      "vertexsetPath": [entry("obs://sim-bucket/v/%05d.csv" % i, "success",
                                              lines=(i, 0, i)) for i in range(10000)]}
    return respond(c, rq, 200, jdump(to_v2(j) if rq.api == "v2" else j))


def h_long_strings(c, rq, n):
    mib = 1024 * 1024

    def fields(spec):
        out = []
        for i, (name, letter) in enumerate(spec):
            out += [('%s"%s":"' % ("," if i else "", key(rq, name))).encode(),
                    Fill(letter, mib), b'"']
        return out

    parts = ([b"{"] + fields((("jobId", b"i"), ("status", b"s"), ("jobType", b"t"),
                              ("jobName", b"n"), ("relatedGraph", b"g"), ("beginTime", b"b"),
                              ("endTime", b"e"), ("failReason", b"f")))
             + [(',"%s":{"%s":[{' % (key(rq, "jobDetail"), key(rq, "vertexsetPath"))).encode()]
             + fields((("path", b"p"), ("log", b"l"), ("status", b"s"), ("cause", b"c")))
             + [('}]},"%s":0}' % key(rq, "jobProgress")).encode()])
    return send_parts(c, rq, parts)


def h_bad_utf8(c, rq, n):
    j = base_job(rq.job_id, "failed", 0)
    j["failReason"] = "@@BAD@@"
    body = jdump(to_v2(j) if rq.api == "v2" else j).replace(b"@@BAD@@", b"bad \xc3\x28 utf8")
    return respond(c, rq, 200, body)


def h_lone_surrogate(c, rq, n):
    j = base_job(rq.job_id, "failed", 0)
    j["failReason"] = "@@SUR@@"
    body = jdump(to_v2(j) if rq.api == "v2" else j).replace(b"@@SUR@@", b"lone \\ud800 here")
    return respond(c, rq, 200, body)


def running_answer(rq, status="running"):
    """Head and body of a keep-alive 200 for this job in `status`."""
    body = jdump(base_job(rq.job_id, status, 10, end=None))
    return head_bytes(200, std_headers(rq, length=len(body))) + body


def h_dup_same_record(c, rq, n):
    """The answer and a stale copy of it (status failed) in ONE TLS record, as a
    confused server or proxy would send: the copy must never be read as the next
    answer on this connection."""
    c.send(running_answer(rq) + running_answer(rq, "failed"))
    return True


def later(c, rq, extra, close=False):
    """The answer, then after LATER_SECONDS `extra` in a TLS record of its own (and
    close_notify + close when `close`); the connection stays open otherwise."""
    c.send(running_answer(rq))
    time.sleep(LATER_SECONDS)
    if extra:
        c.send(extra)
    if close:
        c.close_clean()
        return False
    return True


def h_gzip(c, rq, n):
    """200 with the success body gzip-compressed (Content-Encoding: gzip), though the
    client asked for identity."""
    import gzip
    body = gzip.compress(success_body(rq))
    return respond(c, rq, 200, body, extra=[("Content-Encoding", "gzip")])


def h_204_body(c, rq, n):
    """204 that declares Content-Length 5 and sends the 5 bytes anyway."""
    c.send(head_bytes(204, std_headers(rq, length=5)) + b"hello")
    return True


def h_keepalive_off(c, rq, n):
    rq.keepalive = False
    respond(c, rq, 200, success_body(rq))
    c.close_clean()
    return False


def h_reset_on_2(c, rq, n):
    if n % 2 == 0:
        c.close_reset()
        return False
    return respond(c, rq, 200, success_body(rq))


def h_import_faults(c, rq, n):
    """A long job whose polls meet every fault a wait must survive."""
    if n == 2:
        c.close_reset()            # the connection drops under the poll
        return False
    if n == 4:
        c.linger()                 # the poll stalls: the client's poll times out
        return False
    if n == 5:
        return respond(c, rq, 503, jdump({"errorCode": "GES.7005",
                                          "errorMessage": "engine unavailable"}),
                       extra=[("Retry-After", "1")])
    if n < 7:
        return respond(c, rq, 200, jdump(base_job(rq.job_id, "running", 10.0 * n, end=None)))
    j = base_job(rq.job_id, "success", 100)
    j["jobDetail"] = success_detail()
    return respond(c, rq, 200, jdump(j))


HOSTILE_JOBS = {
    "job-import-faults": h_import_faults,
    "job-chunked": h_chunked,
    "job-trickle": h_trickle,
    "job-stall": h_stall,
    "job-never": h_stall,
    "job-stall-body": h_stall_body,
    "job-early-close": lambda c, rq, n: truncated(c, rq, clean=True),
    "job-reset": lambda c, rq, n: truncated(c, rq, clean=False),
    "job-big-headers": h_big_headers,
    "job-big-body": lambda c, rq, n: send_parts(c, rq, big_body_parts(rq)),
    "job-big-body-chunked": lambda c, rq, n: send_parts(c, rq, big_body_parts(rq), chunked=True),
    "job-redirect": h_redirect,
    "job-cl-chunked": h_cl_chunked,
    "job-cl-conflict": h_cl_conflict,
    "job-cl-bad": h_cl_bad,
    "job-chunk-negative": bad_chunk(b"-5"),
    "job-chunk-huge": bad_chunk(b"ffffffffffffffffffff"),
    "job-chunk-nonhex": bad_chunk(b"zz"),
    "job-nul-header": h_nul_header,
    "job-no-reason": h_no_reason,
    "job-http10": h_http10,
    "job-100-continue": h_100_continue,
    "job-tls-records": h_tls_records,
    "job-deep": h_deep,
    "job-many": h_many,
    "job-long-strings": h_long_strings,
    "job-bad-utf8": h_bad_utf8,
    "job-lone-surrogate": h_lone_surrogate,
    "job-bad-json": lambda c, rq, n: respond(c, rq, 200, b'{"jobId": tru}'),
    "job-keepalive-off": h_keepalive_off,
    "job-dup-same-record": h_dup_same_record,
    "job-stray-crlf": lambda c, rq, n: later(c, rq, b"\r\n"),
    "job-late-408": lambda c, rq, n: later(
        c, rq, b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
               b"Connection: close\r\n\r\n", close=True),
    "job-late-answer": lambda c, rq, n: later(c, rq, running_answer(rq, "failed")),
    "job-idle-close": lambda c, rq, n: later(c, rq, b"", close=True),
    "job-204-body": h_204_body,
    "job-gzip": h_gzip,
    "job-reset-on-2": h_reset_on_2,
}


# --------------------------------------------------------------------------------------------
# AK/SK verification (SDK-HMAC-SHA256), written from the algorithm in the ges-api README
# section 4.2 with hashlib/hmac only; it shares no code with the C signer.
# --------------------------------------------------------------------------------------------

SIGN_ALGORITHM = "SDK-HMAC-SHA256"
SIGN_MAX_SKEW = 15 * 60           # seconds between X-Sdk-Date and "now" that APIG accepts
SDK_DATE_RE = re.compile(r"^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")

# Why a request was refused: reason key (in /_sim/stats "auth_rejects") -> the sub-message of
# "Incorrect IAM authentication information: ..." in the 401 APIG.0301 body. Only "expired"
# says "signature expired", the phrase a client may heal its clock on.
AUTH_REASONS = {
    "token": "decrypt token fail",
    "malformed_authorization": "verify aksk signature fail",
    "unknown_ak": "verify aksk signature fail",
    "unsigned_required_header": "verify aksk signature fail",
    "signed_header_missing": "verify aksk signature fail",
    "bad_signature": "verify aksk signature fail",
    "bad_sdk_date": "calc ak sk signature fail:invalid x-sdk-date",
    "expired": "calc ak sk signature fail:signature expired",
    "security_token": "verify security token fail",
}


def sign_encode(raw):
    """Percent-encode bytes outside A-Za-z0-9-_.~, upper-case hex."""
    return quote(raw, safe="-_.~")


def canonical_uri(path):
    """Each '/'-separated segment percent-decoded, then encoded; a trailing '/' added."""
    uri = "/".join(sign_encode(unquote_to_bytes(seg.encode("latin-1")))
                   for seg in path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query_pairs(pairs):
    """(key, value) byte pairs, sorted by key then value, encoded, joined k=v&k=v."""
    return "&".join("%s=%s" % (sign_encode(k), sign_encode(v)) for k, v in sorted(pairs))


def canonical_query(query):
    pairs = []
    for part in query.split("&"):
        if part:
            k, _, v = part.partition("=")
            pairs.append((unquote_to_bytes(k.encode("latin-1")),
                          unquote_to_bytes(v.encode("latin-1"))))
    return canonical_query_pairs(pairs)


def canonical_request(method, target, headers, body_sha256):
    """headers: (lower-case name, value) in SignedHeaders order."""
    path, _, query = target.partition("?")
    return "\n".join([method, canonical_uri(path), canonical_query(query),
                      "".join("%s:%s\n" % (n, v.strip()) for n, v in headers),
                      ";".join(n for n, _ in headers), body_sha256])


def string_to_sign(sdk_date, creq):
    return "%s\n%s\n%s" % (SIGN_ALGORITHM, sdk_date,
                           hashlib.sha256(creq.encode("latin-1")).hexdigest())


def signature(sk, sts):
    return hmac.new(sk.encode("latin-1"), sts.encode("latin-1"), hashlib.sha256).hexdigest()


def parse_authorization(value):
    """"SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex" -> dict, or None."""
    algo, sep, rest = value.partition(" ")
    if algo != SIGN_ALGORITHM or not sep:
        return None
    fields = {}
    for item in rest.split(","):
        k, eq, v = item.strip().partition("=")
        if not eq or k in fields:
            return None
        fields[k] = v
    if set(fields) != {"Access", "SignedHeaders", "Signature"} or not fields["Access"]:
        return None
    names = fields["SignedHeaders"].split(";")
    if not all(names) or not HEX64_RE.match(fields["Signature"]):
        return None
    fields["names"] = [n.lower() for n in names]
    return fields


def sdk_date_epoch(value):
    """X-Sdk-Date "YYYYMMDDTHHMMSSZ" to UTC seconds, None if malformed or not a date."""
    m = SDK_DATE_RE.match(value)
    if not m:
        return None
    try:
        return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return None


class AuthCheck:
    """Result of verifying one request."""
    def __init__(self, reason=None, signed=None, sdk_date=None):
        self.reason, self.signed, self.sdk_date = reason, signed, sdk_date


def verify_aksk(rq, keys, sts_token, now):
    """Verify rq's SDK-HMAC-SHA256 Authorization against keys {AK: SK}. sts_token: the
    security token the key pair needs (temporary credentials), or None: then a request
    carrying X-Security-Token is refused. Returns an AuthCheck (reason None = accepted)."""
    auths = rq.header("authorization")
    f = parse_authorization(auths[0]) if len(auths) == 1 else None
    if f is None:
        return AuthCheck("malformed_authorization")
    signed = ";".join(f["names"])
    sk = keys.get(f["Access"])
    if sk is None:
        return AuthCheck("unknown_ak", signed)
    dates = rq.header("x-sdk-date")
    sdk_date = dates[0] if len(dates) == 1 else None
    epoch = sdk_date_epoch(sdk_date) if sdk_date is not None else None
    if epoch is None:
        return AuthCheck("bad_sdk_date", signed)
    if "x-sdk-date" not in f["names"] or "host" not in f["names"]:
        return AuthCheck("unsigned_required_header", signed, sdk_date)
    headers = []
    for name in f["names"]:
        vals = rq.header(name)
        if len(vals) != 1:            # absent, or repeated (ambiguous)
            return AuthCheck("signed_header_missing", signed, sdk_date)
        headers.append((name, vals[0]))
    tokens = rq.header("x-security-token")
    if sts_token is not None:
        if (len(tokens) != 1 or "x-security-token" not in f["names"]
                or not hmac.compare_digest(tokens[0].encode("latin-1"),
                                           sts_token.encode("latin-1"))):
            return AuthCheck("security_token", signed, sdk_date)
    elif tokens:
        return AuthCheck("security_token", signed, sdk_date)
    content = rq.header("x-sdk-content-sha256")
    body_sha = content[0] if len(content) == 1 else hashlib.sha256(rq.body).hexdigest()
    creq = canonical_request(rq.method, rq.target, headers, body_sha)
    want = signature(sk, string_to_sign(sdk_date, creq))
    if not hmac.compare_digest(want, f["Signature"]):
        return AuthCheck("bad_signature", signed, sdk_date)
    if abs(epoch - now) > SIGN_MAX_SKEW:
        return AuthCheck("expired", signed, sdk_date)
    return AuthCheck(None, signed, sdk_date)


def selftest():
    """The published vectors (ges-api README 4.2) through this verifier. Returns failures."""
    fails = []
    empty = hashlib.sha256(b"").hexdigest()

    def check(name, got, want):
        if got != want:
            fails.append("%s: got %r, want %r" % (name, got, want))

    def req(method, target, headers, body=b""):
        r = Request(method, target, "1.1", [(k.lower(), v) for k, v in headers])
        r.body = body
        return r

    # Go TestSigner_Sign test1: GET /path?limit=1, only x-sdk-date signed.
    creq = canonical_request("GET", "/path?limit=1", [("x-sdk-date", "20060102T150405Z")], empty)
    check("go1 canonical", creq,
          "GET\n/path/\nlimit=1\nx-sdk-date:20060102T150405Z\n\nx-sdk-date\n" + empty)
    check("go1 hash", hashlib.sha256(creq.encode()).hexdigest(),
          "85c3b7730f308aee452b16138a42a914397e43a8f0d732dfa521c0ef2afa98a4")
    check("go1 signature", signature("SecretKey", string_to_sign("20060102T150405Z", creq)),
          "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624")
    # Go test2: POST with a body (trailing newline), Content-Type not signed.
    body = b'{"Name":"test","Id":1}\n'
    creq = canonical_request("POST", "/path?key=value", [("x-sdk-date", "20060102T150405Z")],
                             hashlib.sha256(body).hexdigest())
    check("go2 signature", signature("SecretKey", string_to_sign("20060102T150405Z", creq)),
          "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59")
    # Python test_signer1: host;x-sdk-date, through the whole verifier (AK known, host and
    # x-sdk-date signed, fresh at the vector's own time).
    good = "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
    t = calendar.timegm((2020, 6, 8, 2, 39, 0))
    keys = {"AccessKey": "SecretKey"}

    def py_req(sig, date="20200608T023900Z", extra=()):
        return req("GET", "/resources?size=1", [
            ("Host", "service.endpoint.myhuaweicloud.com"), ("X-Sdk-Date", date),
            ("Authorization", "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
                              "Signature=" + sig)] + list(extra))
    check("py1 accepted", verify_aksk(py_req(good), keys, None, t).reason, None)
    check("py1 +14 min", verify_aksk(py_req(good), keys, None, t + 14 * 60).reason, None)
    check("py1 wrong SK", verify_aksk(py_req(good), {"AccessKey": "x"}, None, t).reason,
          "bad_signature")
    check("py1 unknown AK", verify_aksk(py_req(good), {"Other": "SecretKey"}, None, t).reason,
          "unknown_ak")
    check("py1 bit flip", verify_aksk(py_req(good[:-1] + "3"), keys, None, t).reason,
          "bad_signature")
    check("py1 +16 min", verify_aksk(py_req(good), keys, None, t + 16 * 60).reason, "expired")
    check("py1 -20 min", verify_aksk(py_req(good), keys, None, t - 20 * 60).reason, "expired")
    check("py1 bad date", verify_aksk(py_req(good, "20200608T023900"), keys, None, t).reason,
          "bad_sdk_date")
    check("py1 unexpected X-Security-Token",
          verify_aksk(py_req(good, extra=[("X-Security-Token", "t")]), keys, None, t).reason,
          "security_token")
    check("py1 token required", verify_aksk(py_req(good), keys, "t", t).reason,
          "security_token")
    # Go TestSigner_canonicalQueryString: sorting, repeated keys, encoding.
    check("go query", canonical_query_pairs(
        [(b"enable", b"true"), (b"limit", b"1"), (b"multi", b"1"), (b"multi", b"2"),
         (b"multi", b"3"), (b"path", b"/tmp/123"),
         (b"test", '\u4e00 (&=?!#%.*)'.encode("utf-8"))]),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&"
        "test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29")
    check("go query from the wire", canonical_query(
        "test=%E4%B8%80%20(%26%3D%3F!%23%25.*)&path=/tmp/123&multi=3&multi=1&multi=2"
        "&limit=1&enable=true"),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&"
        "test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29")
    # Path edge cases (as the C unit tests state them): encoded once, slash not doubled.
    check("uri", canonical_uri("/caf\xc3\xa9/a%2Fb/sp%20ace/x y/"),
          "/caf%C3%A9/a%2Fb/sp%20ace/x%20y/")
    check("uri root", canonical_uri("/"), "/")
    return fails


# --------------------------------------------------------------------------------------------
# Request dispatch
# --------------------------------------------------------------------------------------------

def route(target):
    """Return (api, job_id) for a job-status path, else None."""
    path = target.split("?", 1)[0]
    seg = path.split("/")
    if (len(seg) != 8 or seg[0] != "" or seg[1] not in ("v1.0", "v2") or seg[3] != "graphs"
            or seg[5] != "jobs" or seg[7] != "status"):
        return None
    project, graph, job_id = (unquote(s) for s in (seg[2], seg[4], seg[6]))
    if not (project and graph and job_id):
        return None
    return ("v1" if seg[1] == "v1.0" else "v2"), job_id


def apig_error(rq, msg, code):
    return {"error_msg": msg, "error_code": code, "request_id": rq.request_id}


def authenticate(server, rq):
    """AK/SK when the request has an Authorization header (X-Auth-Token is then ignored),
    else the token. Records the outcome in the stats; returns None or a reason key."""
    pids = rq.header("x-project-id")
    pid = pids[-1] if pids else None
    if rq.header("authorization"):
        chk = verify_aksk(rq, server.keys, server.sts_token, sim_now())
        server.stats.auth("aksk", chk.reason, chk.signed, pid, chk.sdk_date)
        return chk.reason
    tokens = rq.header("x-auth-token")
    ok = len(tokens) == 1 and hmac.compare_digest(tokens[0].encode("latin-1"),
                                                  server.token.encode("latin-1"))
    server.stats.auth("token", None if ok else "token", None, pid)
    return None if ok else "token"


def handle(server, c, rq):
    """Answer one request; return whether to keep the connection open."""
    path = rq.target.split("?", 1)[0]
    control = path.startswith("/_sim/")
    server.stats.request(c.info, control)
    if rq.method != "GET":
        log("%s %s -> 405" % (rq.method, path))
        return respond(c, rq, 405, jdump(apig_error(rq, "Method not allowed", "APIG.0101")),
                       extra=[("Allow", "GET")])
    if control:
        if path == "/_sim/stats":
            return respond(c, rq, 200, jdump(server.stats.snapshot()))
        if path == "/_sim/reset":
            server.stats.reset()
            return respond(c, rq, 200, b'{"reset": true}')
    r = route(rq.target)
    if r is None:
        log("GET %s -> 404" % path)
        return respond(c, rq, 404, jdump(apig_error(rq, "API not found", "APIG.0101")))
    rq.api, rq.job_id = r
    server.stats.api(rq.api)
    reason = authenticate(server, rq)
    if reason is not None:
        log("GET %s job=%r -> 401 (%s)" % (rq.api, rq.job_id, reason))
        return respond(c, rq, 401, jdump(apig_error(
            rq, "Incorrect IAM authentication information: " + AUTH_REASONS[reason],
            "APIG.0301")))
    n = server.stats.poll(rq.job_id)
    log("GET %s job=%r poll=%d port=%s" % (rq.api, rq.job_id, n, c.info.port_name))
    if rq.job_id in HOSTILE_JOBS:
        return HOSTILE_JOBS[rq.job_id](c, rq, n)
    if rq.job_id in NORMAL_JOBS:
        code, body, ctype, extra = NORMAL_JOBS[rq.job_id](rq, n)
        return respond(c, rq, code, body, ctype, extra)
    err = ({"errorMessage": "The job does not exist.", "errorCode": "GES.7007"} if rq.api == "v1"
           else {"error_code": "GES.7007", "error_msg": "The job does not exist."})
    return respond(c, rq, 400, jdump(err))


# --------------------------------------------------------------------------------------------
# Server: one accept thread per listener, one daemon thread per connection
# --------------------------------------------------------------------------------------------

class Server:
    def __init__(self, args, token, certs):
        self.token = token
        self.keys = {args.ak: args.sk}          # AK -> SK
        self.sts_token = args.sts_token         # None: permanent AK/SK
        self.no_keepalive = args.no_keepalive
        self.stats = Stats()
        self.listeners = {}
        self.proxy = None
        if args.proxy:
            self.proxy = {"auth": args.proxy_auth, "close_after": args.proxy_close_after,
                          "refuse": args.proxy_refuse, "extra": args.proxy_extra,
                          "host": args.host, "tunnel_ports": set(),
                          "lock": threading.Lock()}
        family = socket.getaddrinfo(args.host, 0, type=socket.SOCK_STREAM,
                                    flags=socket.AI_PASSIVE)[0][0]
        for name in ("main", "expired", "wrongname", "selfsigned"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            if args.tls12_only:
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            ctx.load_cert_chain(*certs[name])
            ls = socket.socket(family, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((args.host, 0))
            ls.listen(128)
            self.listeners[name] = (ls, ctx)
        if self.proxy is not None:
            ls = socket.socket(family, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((args.host, 0))
            ls.listen(128)
            self.listeners["proxy"] = (ls, None)

    def port(self, name):
        return self.listeners[name][0].getsockname()[1]

    def start(self):
        for name, (ls, ctx) in self.listeners.items():
            threading.Thread(target=self.accept_loop, args=(name, ls, ctx), daemon=True,
                             name="accept-" + name).start()

    def accept_loop(self, name, ls, ctx):
        serve = self.serve_proxy if name == "proxy" else self.serve
        while True:
            try:
                raw, addr = ls.accept()
            except OSError:
                time.sleep(0.05)      # e.g. EMFILE; never let the listener die
                continue
            threading.Thread(target=serve, args=(name, raw, ctx), daemon=True).start()

    def via_proxy(self, info):
        """Whether this connection is the server end of one of our proxy's tunnels."""
        if self.proxy is None or info.peer_port is None:
            return False
        with self.proxy["lock"]:
            return info.peer_port in self.proxy["tunnel_ports"]

    def serve_proxy(self, name, raw, ctx_unused):
        """One CONNECT: read the head, check it, open the tunnel to one of our own ports and
        copy bytes both ways until either side closes. Never logs credentials."""
        px = self.proxy
        up = None
        try:
            raw.settimeout(HANDSHAKE_TIMEOUT)
            head = b""
            while b"\r\n\r\n" not in head:
                if len(head) > 8192:
                    raise OSError("CONNECT head too long")
                b = raw.recv(4096)
                if not b:
                    raise OSError("closed before the CONNECT head ended")
                head += b
            head, rest = head.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            hdrs = {}
            for ln in lines[1:]:
                k, _, v = ln.partition(":")
                hdrs[k.strip().lower()] = v.strip()
            target = parts[1] if len(parts) == 3 else ""
            auth = hdrs.get("proxy-authorization")
            self.stats.proxy_event("connect", target=target, host=hdrs.get("host"),
                                   auth=auth.split(" ", 1)[0] if auth else None)

            def refuse(code, reason, extra=""):
                self.stats.proxy_event("refused", code=code)
                raw.sendall(("HTTP/1.1 %d %s\r\n%sContent-Length: 0\r\n"
                             "Connection: close\r\n\r\n" % (code, reason, extra))
                            .encode("latin-1"))

            if len(parts) != 3 or parts[0] != "CONNECT" or not parts[2].startswith("HTTP/1."):
                return refuse(400, "Bad Request")
            if px["refuse"]:
                return refuse(px["refuse"], "Refused")
            if px["auth"] is not None:
                want = "Basic " + base64.b64encode(
                    px["auth"].encode("utf-8")).decode("ascii")
                if auth is None or not hmac.compare_digest(auth.encode(), want.encode()):
                    return refuse(407, "Proxy Authentication Required",
                                  'Proxy-Authenticate: Basic realm="ges_sim"\r\n')
            host, _, port = target.rpartition(":")
            ours = {self.port(n) for n in self.listeners if n != "proxy"}
            if (host not in ("localhost", "127.0.0.1", "[::1]") or not port.isdigit()
                    or int(port) not in ours or hdrs.get("host") != target):
                return refuse(403, "Forbidden")
            up = socket.create_connection((px["host"], int(port)), timeout=HANDSHAKE_TIMEOUT)
            with px["lock"]:
                px["tunnel_ports"].add(up.getsockname()[1])
            self.stats.proxy_event("tunnel")
            answer = b"HTTP/1.1 200 Connection established\r\nProxy-Agent: ges_sim\r\n\r\n"
            if px["extra"]:
                answer += b"XYZ\r\n"   # bytes that are not the TLS server's, in the same segment
            raw.sendall(answer)
            if rest:
                up.sendall(rest)
            self.pump(raw, up)
        except (OSError, ValueError, IndexError) as e:
            log("proxy connection ended: %s" % e)
        finally:
            for s in (raw, up):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass

    @staticmethod
    def pump(a, b):
        """Copy bytes both ways until one side closes or both are idle IDLE_TIMEOUT."""
        a.setblocking(False)
        b.setblocking(False)
        peer = {a: b, b: a}
        while True:
            r, _, _ = select.select([a, b], [], [], IDLE_TIMEOUT)
            if not r:
                return
            for s in r:
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    return
                peer[s].setblocking(True)
                peer[s].sendall(data)
                peer[s].setblocking(False)

    def serve(self, name, raw, ctx):
        info = ConnInfo(name)
        try:
            info.peer_port = raw.getpeername()[1]
        except OSError:
            pass
        self.stats.opened(info)
        try:
            raw.settimeout(HANDSHAKE_TIMEOUT)
            sock = ctx.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
            sock.do_handshake()
        except (OSError, ValueError) as e:
            self.stats.handshake(info, False)
            log("handshake failed on %s: %s" % (name, e))
            raw.close()
            return
        self.stats.handshake(info, True, sock.session_reused, sock.version())
        sock.settimeout(IDLE_TIMEOUT)
        c = Conn(sock, info, self)
        keep = True
        try:
            while keep:
                try:
                    rq = c.read_request()
                except HttpError as e:
                    # Garbage: answer and close. Counted as a (non-control) request.
                    self.stats.request(info, False)
                    rq = Request("GET", "/", "1.1", [])
                    rq.keepalive = False
                    body = jdump(apig_error(rq, e.msg, "APIG.0201"))
                    c.send(head_bytes(e.code, std_headers(rq, length=len(body), keep=False))
                           + body)
                    c.close_clean()
                    return
                except TimeoutError:
                    break                  # keep-alive idle timeout: close_notify below
                if rq is None:
                    break
                keep = handle(self, c, rq)
                n_after = self.proxy["close_after"] if self.proxy else 0
                if (keep and n_after and info.normal_requests >= n_after
                        and self.via_proxy(info)):
                    # --proxy-close-after: the tunnel closes after its Nth request (answered
                    # with keep-alive; close_notify and FIN follow at once).
                    self.stats.proxy_event("closed_after")
                    keep = False
            c.close_clean()
        except (OSError, ValueError) as e:   # timeouts, resets, TLS errors
            log("connection on %s ended: %s" % (name, e))
        finally:
            c.close_quiet()


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def write_state(path, line):
    """Write the state line atomically: temp name in the same directory, then rename."""
    path = os.path.abspath(path)
    fd, tmp = tempfile.mkstemp(prefix=".ges_sim_state.", dir=os.path.dirname(path))
    with os.fdopen(fd, "w") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    global VERBOSE, CLOCK_SKEW
    ap = argparse.ArgumentParser(description="Local HTTPS simulator of GES job status.")
    ap.add_argument("--dir", help="directory for certificates (default: new temp dir, "
                                   "removed at exit)")
    ap.add_argument("--state-file", help="also write the state JSON line here (atomically)")
    tok = ap.add_mutually_exclusive_group()
    tok.add_argument("--token", help="accepted X-Auth-Token (default %s)" % DEFAULT_TOKEN)
    tok.add_argument("--token-file", help="read the token from this file (trailing newline "
                                          "stripped)")
    ap.add_argument("--ak", default=DEFAULT_AK,
                    help="access key accepted for AK/SK signing (default %s)" % DEFAULT_AK)
    ap.add_argument("--sk", default=DEFAULT_SK,
                    help="its secret key (default %s)" % DEFAULT_SK)
    ap.add_argument("--sts-token", help="temporary credentials: AK/SK requests must carry "
                                        "and sign X-Security-Token equal to this")
    ap.add_argument("--clock-skew", type=float, default=0.0, metavar="SECONDS",
                    help="the simulator's now = real time + SECONDS (Date headers and the "
                         "X-Sdk-Date freshness check); may be negative")
    ap.add_argument("--selftest", action="store_true",
                    help="check the AK/SK verifier against the published vectors; exit 0/1")
    ap.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    ap.add_argument("--no-keepalive", action="store_true",
                    help="answer every request with Connection: close")
    ap.add_argument("--tls12-only", action="store_true", help="refuse TLS 1.3")
    ap.add_argument("--san-ip", metavar="ADDR",
                    help="add IP:ADDR to the SAN of the valid leaves (for a --host address)")
    ap.add_argument("--key", choices=("ec-p256", "rsa2048"), default="ec-p256",
                    help="key type of every certificate (default ec-p256)")
    ap.add_argument("--proxy", action="store_true",
                    help="also listen on a plain-TCP HTTP CONNECT proxy port (proxy_port)")
    ap.add_argument("--proxy-auth", metavar="USER:PASS",
                    help="the proxy requires Proxy-Authorization: Basic of USER:PASS (else 407)")
    ap.add_argument("--proxy-close-after", type=int, default=0, metavar="N",
                    help="a tunnelled connection is closed by the server after its Nth request")
    ap.add_argument("--proxy-refuse", type=int, default=0, metavar="CODE",
                    help="the proxy answers every CONNECT with this status (e.g. 403, 502)")
    ap.add_argument("--proxy-extra", action="store_true",
                    help="the proxy sends bytes of its own right after its 200, in the same "
                         "segment, before the TLS server's")
    ap.add_argument("--verbose", "-v", action="store_true", help="log requests to stderr")
    ap.add_argument("--list-jobs", action="store_true", help="print the job table and exit")
    args = ap.parse_args(argv)
    if args.list_jobs:
        print(__doc__[__doc__.index("JOB TABLE"):].rstrip())
        return 0
    if args.selftest:
        fails = selftest()
        for f in fails:
            print("FAIL " + f)
        print("selftest: %s" % ("ok" if not fails else "%d failed" % len(fails)))
        return 1 if fails else 0
    VERBOSE = args.verbose
    CLOCK_SKEW = args.clock_skew

    token = args.token if args.token is not None else DEFAULT_TOKEN
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            token = f.read().rstrip("\r\n")
    if not token or any(ch in token for ch in "\r\n\x00"):
        sys.stderr.write("ges_sim: the token must be non-empty and hold no CR/LF/NUL\n")
        return 2
    for name, v in (("--ak", args.ak), ("--sk", args.sk), ("--sts-token", args.sts_token)):
        if v is not None and (not v or any(ord(ch) < 0x21 or ord(ch) > 0x7e for ch in v)):
            sys.stderr.write("ges_sim: %s must be non-empty printable ASCII without spaces\n"
                             % name)
            return 2
    if not -10 * 365 * 86400 < args.clock_skew < 10 * 365 * 86400:
        sys.stderr.write("ges_sim: --clock-skew must be within 10 years\n")
        return 2

    own_dir = args.dir is None
    d = os.path.abspath(tempfile.mkdtemp(prefix="ges_sim.") if own_dir else args.dir)
    os.makedirs(d, exist_ok=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda s, f: stop.set())
    try:
        certs = make_certs(d, args.san_ip,
                           ["-newkey", "rsa:2048", "-nodes"] if args.key == "rsa2048" else None)
        server = Server(args, token, certs)
    except (RuntimeError, OSError) as e:
        sys.stderr.write("ges_sim: start-up failed: %s\n" % e)
        if own_dir:
            shutil.rmtree(d, ignore_errors=True)
        return 1
    server.start()

    state = {"port": server.port("main"),
             "ports": {n: server.port(n) for n in ("expired", "wrongname", "selfsigned")},
             "ca": certs["ca"], "other_ca": certs["other_ca"], "dir": d,
             "token": token, "ak": args.ak, "sk": args.sk, "sts_token": args.sts_token,
             "clock_skew": args.clock_skew, "pid": os.getpid()}
    if server.proxy is not None:
        state["proxy_port"] = server.port("proxy")
    line = json.dumps(state)
    if args.state_file:
        write_state(args.state_file, line)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

    while not stop.wait(0.5):
        pass
    # Connection threads are daemonic and may be blocked in recv/sleep: do not join them.
    for ls, _ in server.listeners.values():
        ls.close()
    if own_dir:
        shutil.rmtree(d, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
