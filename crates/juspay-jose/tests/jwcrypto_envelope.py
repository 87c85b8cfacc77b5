"""The Juspay encrypted-API envelope made and opened with jwcrypto, an independent JOSE
implementation, for the interop tests of juspay-jose (tests/interop_jwcrypto.rs).

    python jwcrypto_envelope.py seal --own PRIVATE.pem --peer PUBLIC.pem --kid KID [options] < payload > envelope
    python jwcrypto_envelope.py open --own PRIVATE.pem --peer PUBLIC.pem --kid KID < envelope > payload

`seal` signs with --own (JWS RS256) and encrypts to --peer (JWE RSA-OAEP-256 + A256GCM);
--jws-alg, --jwe-alg, --jwe-enc and --jwe-kid/--jws-kid override the headers, to make
envelopes juspay-jose must refuse. `open` decrypts with --own, checks alg/enc/kid and
verifies with --peer. Exit status 0 on success, 1 (with a message on stderr) on failure.
"""

import argparse
import json
import sys

from jwcrypto import jwe, jwk, jws
from jwcrypto.common import json_encode

JWE_PARTS = ["header", "encryptedKey", "iv", "encryptedPayload", "tag"]
JWS_PARTS = ["header", "payload", "signature"]


def load(path):
    with open(path, "rb") as f:
        return jwk.JWK.from_pem(f.read())


def seal(args, payload):
    own, peer = load(args.own), load(args.peer)
    jws_alg = args.jws_alg or "RS256"
    signed = jws.JWS(payload)
    signed.allowed_algs = [jws_alg]
    signed.add_signature(own, alg=jws_alg,
                         protected=json_encode({"alg": jws_alg, "kid": args.jws_kid or args.kid}))
    header, body, signature = signed.serialize(compact=True).split(".")
    inner = json.dumps({"header": header, "payload": body, "signature": signature},
                       separators=(",", ":"))
    alg, enc = args.jwe_alg or "RSA-OAEP-256", args.jwe_enc or "A256GCM"
    encrypted = jwe.JWE(inner.encode(),
                        protected=json_encode({"alg": alg, "enc": enc, "kid": args.jwe_kid or args.kid}))
    encrypted.allowed_algs = [alg, enc]
    encrypted.add_recipient(peer)
    parts = encrypted.serialize(compact=True).split(".")
    return json.dumps(dict(zip(JWE_PARTS, parts))).encode()


def open_(args, envelope):
    own, peer = load(args.own), load(args.peer)
    outer = json.loads(envelope)
    encrypted = jwe.JWE()
    encrypted.allowed_algs = ["RSA-OAEP-256", "A256GCM"]
    encrypted.deserialize(".".join(outer[k] for k in JWE_PARTS), key=own)
    header = json.loads(encrypted.objects["protected"])
    if (header.get("alg"), header.get("enc"), header.get("kid")) != ("RSA-OAEP-256", "A256GCM", args.kid):
        raise ValueError(f"unexpected JWE header {header}")
    inner = json.loads(encrypted.payload)
    signed = jws.JWS()
    signed.allowed_algs = ["RS256"]
    signed.deserialize(".".join(inner[k] for k in JWS_PARTS))
    signed.verify(peer, alg="RS256")
    if signed.jose_header.get("kid") != args.kid:
        raise ValueError(f"unexpected JWS header {signed.jose_header}")
    return signed.payload


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["seal", "open"])
    parser.add_argument("--own", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--kid", required=True)
    for option in ["--jws-alg", "--jwe-alg", "--jwe-enc", "--jws-kid", "--jwe-kid"]:
        parser.add_argument(option)
    args = parser.parse_args()
    data = sys.stdin.buffer.read()
    try:
        out = seal(args, data) if args.command == "seal" else open_(args, data)
    except Exception as error:  # every failure is an exit status 1 for the test
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
