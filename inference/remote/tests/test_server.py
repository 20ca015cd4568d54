"""The reference server's access rules: a bearer token on every request, --insecure on loopback only."""
import json
import os
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

import server

CARD = {"name": "stub", "version": "1", "uid": "2.25.7"}


class StubBackend:
    card = CARD
    card_bytes = json.dumps(CARD).encode()


def args(*argv):
    return server.parse_args(["--package", "unused", *argv])


class TokenRuleTest(unittest.TestCase):

    def assertRefused(self, text, parsed, environ):
        with self.assertRaises(SystemExit) as caught:
            server.read_token(parsed, environ)
        self.assertIn(text, str(caught.exception.code))

    def test_a_token_is_required_by_default(self):
        self.assertRefused("a bearer token is required", args(), {})
        self.assertEqual(server.read_token(args(), {"GROUNDFLOW_MODEL_TOKEN": "t0k"}), "t0k")

    def test_insecure_is_refused_on_a_non_loopback_host(self):
        self.assertRefused("--insecure is allowed on a loopback --host only", args("--insecure", "--host", "0.0.0.0"), {})
        self.assertRefused("got --host ::", args("--insecure", "--host", "::"), {})

    def test_insecure_on_loopback_serves_without_a_token(self):
        for host in ("127.0.0.1", "::1", "localhost"):
            self.assertIsNone(server.read_token(args("--insecure", "--host", host), {}), host)

    def test_insecure_and_a_token_exclude_each_other(self):
        self.assertRefused("use one or the other", args("--insecure"), {"GROUNDFLOW_MODEL_TOKEN": "t0k"})

    def test_the_token_file_is_read_and_an_empty_one_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "token")
            with open(path, "w", encoding="utf-8") as f:
                f.write("from-file\n")
            self.assertEqual(server.read_token(args("--token-file", path), {"GROUNDFLOW_MODEL_TOKEN": "env"}),
                             "from-file")
            open(path, "w").close()
            self.assertRefused("is empty", args("--token-file", path), {})

    def test_the_default_host_is_loopback(self):
        self.assertEqual(args().host, "127.0.0.1")
        self.assertTrue(server.is_loopback(args().host))
        self.assertFalse(server.is_loopback("0.0.0.0"))


class AuthorisationTest(unittest.TestCase):
    """A real server on a loopback port, with a token."""

    @classmethod
    def setUpClass(cls):
        cls.httpd = server.bind(server.Service(StubBackend(), "s3cret"), args().host, 0)
        cls.thread = threading.Thread(target=cls.httpd.serve_forever, daemon=True)
        cls.thread.start()
        cls.url = f"http://127.0.0.1:{cls.httpd.server_address[1]}/v1/health"

    @classmethod
    def tearDownClass(cls):
        cls.httpd.shutdown()
        cls.httpd.server_close()

    def status(self, authorization=None):
        request = urllib.request.Request(self.url)
        if authorization is not None:
            request.add_header("Authorization", authorization)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def test_the_server_listens_on_loopback(self):
        self.assertEqual(self.httpd.server_address[0], "127.0.0.1")

    def test_a_call_without_the_token_is_refused(self):
        self.assertEqual(self.status(), (401, {"error": {"code": "unauthorised",
                                                         "message": "a valid bearer token is required"}}))

    def test_a_wrong_token_is_refused(self):
        for wrong in ("Bearer s3cre", "Bearer s3cret2", "s3cret", "Basic czNjcmV0", "Bearer "):
            self.assertEqual(self.status(wrong)[0], 401, wrong)

    def test_the_right_token_is_served(self):
        self.assertEqual(self.status("Bearer s3cret"), (200, {"status": "ok", "model": CARD}))


if __name__ == "__main__":
    unittest.main()
