"""kaiku serve over HTTPS (--tls-cert/--tls-key) and the Secure cookie flag:
Secure with TLS and with --secure-cookies behind an HTTPS proxy, never on
plain HTTP. Needs the openssl command for a throwaway certificate."""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys

import kaikutest


class TlsServer(kaikutest.Server):
    """A kaikutest.Server started with extra serve options, spoken to over
    HTTPS when a CA file is given."""

    def __init__(self, binary, workdir, extra, cafile=None):
        super().__init__(binary, workdir)
        self.serve_args = extra
        self.cafile = cafile

    def call(self, method, path, body=None, token=None, headers=None, raw=None, lang=None):
        if not self.cafile:
            return super().call(method, path, body, token, headers, raw, lang)
        ctx = ssl.create_default_context(cafile=self.cafile)
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=60, context=ctx)
        h = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            h["Authorization"] = "Bearer " + token
        try:
            conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                         headers=h)
            resp = conn.getresponse()
            text = resp.read()
            return (resp.status, json.loads(text) if text else None,
                    {k.lower(): v for k, v in resp.getheaders()})
        finally:
            conn.close()


def start(t, name, extra, cafile=None):
    d = os.path.join(t.tmp.name, name)
    os.mkdir(d)
    srv = TlsServer(t.binary, d, extra, cafile).start()
    t.servers.append(srv)
    return srv


def cookie_of(srv):
    st, _, hdrs = srv.call("POST", "/api/v1/login",
                           {"username": kaikutest.NATIONAL, "password": kaikutest.PASSWORD})
    return st, hdrs.get("set-cookie", "")


def handshake(port, version):
    """True when a TLS handshake of exactly `version` succeeds."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client offer old versions at all
    ctx.minimum_version = version
    ctx.maximum_version = version
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with ctx.wrap_socket(raw) as s:
                return s.version() is not None
    except (ssl.SSLError, OSError):
        return False


def run(t):
    if not shutil.which("openssl"):
        t.check("openssl is installed (scripts/deps.sh installs it)", False)
        return
    cert = os.path.join(t.tmp.name, "cert.pem")
    key = os.path.join(t.tmp.name, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=kaiku test",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       capture_output=True, text=True, timeout=60)
    if not t.check("a throwaway certificate", r.returncode == 0, r.stderr):
        return

    tls = start(t, "tls", ["--tls-cert", cert, "--tls-key", key], cafile=cert)
    st, body, _ = tls.call("GET", "/healthz")
    t.check("HTTPS healthz", st == 200 and body == {"status": "ok"}, (st, body))
    st, cookie = cookie_of(tls)
    t.check("HTTPS login", st == 200, st)
    t.check("cookie Secure over TLS", "; Secure" in cookie and "HttpOnly" in cookie and
            "SameSite=Strict" in cookie, cookie)
    plain_to_tls = TlsServer(t.binary, tls.dir, [])
    plain_to_tls.port = tls.port
    try:
        st = plain_to_tls.call("GET", "/healthz")[0]
    except (OSError, http.client.HTTPException):
        st = None
    t.check("plain HTTP to the TLS port is not served", st != 200, st)
    st, _, hdrs = tls.call("GET", "/healthz")
    t.check("HSTS over TLS", hdrs.get("strict-transport-security") == "max-age=31536000", hdrs)
    for version, want in ((ssl.TLSVersion.TLSv1_1, False), (ssl.TLSVersion.TLSv1_2, True),
                          (ssl.TLSVersion.TLSv1_3, True)):
        t.check("%s %s" % (version.name, "served" if want else "refused"),
                handshake(tls.port, version) == want, version)
    t.check("log says https", "listening on https://127.0.0.1:" in tls.log_text(), tls.log_text())

    plain = start(t, "plain", [])
    t.check("no Secure on plain HTTP", "Secure" not in cookie_of(plain)[1])
    t.check("no HSTS on plain HTTP", "strict-transport-security" not in
            plain.call("GET", "/healthz")[2])
    proxied = start(t, "proxied", ["--secure-cookies"])
    t.check("Secure behind an HTTPS proxy", "; Secure" in cookie_of(proxied)[1])

    bad = kaikutest.Server(t.binary, tls.dir)
    r = bad.run("serve", "--db", tls.db, "--listen", "127.0.0.1:1", "--tls-cert", cert)
    t.check("--tls-cert without --tls-key", r.returncode == 2 and
            r.stderr.count("\n") == 1 and "go together" in r.stderr, r.stderr)
    r = bad.run("serve", "--db", tls.db, "--listen", "127.0.0.1:1", "--tls-cert", cert,
                "--tls-key", os.path.join(t.tmp.name, "missing.pem"))
    t.check("a missing key file", r.returncode == 1 and r.stderr.count("\n") == 1 and
            "missing.pem" in r.stderr, r.stderr)
    not_pem = os.path.join(t.tmp.name, "not-a-certificate.pem")
    with open(not_pem, "wb") as f:
        f.write(b"SQLite format 3\x00" + bytes(range(256)))
    r = bad.run("serve", "--db", tls.db, "--listen", "127.0.0.1:1", "--tls-cert", not_pem,
                "--tls-key", key)
    t.check("a certificate that is not PEM", r.returncode == 1 and r.stderr.count("\n") == 1 and
            "not a PEM file" in r.stderr, r.stderr)


if __name__ == "__main__":
    kaikutest.main(run)
