#!/bin/sh
# Regenerates the age conformance vectors that tests/conformance.rs runs through mend's
# decrypt path. The vectors are committed; CI never runs this script.
#
# Why our own vectors: the public C2SP CCTV age vectors would do, but their licence was
# not checked, so they are not shipped. These are made with the stock `age` and
# `age-keygen` tools (https://age-encryption.org, tested with age 1.1.1), then damaged
# on purpose by the Python helper at the bottom, which needs python3 and its
# `cryptography` package (to recompute the header MAC, so that a vector with a broken
# structure is refused for that structure, not merely for a wrong MAC).
#
# Usage: tests/vectors/generate.sh        (from anywhere; rewrites tests/vectors/)
#
# What it writes, all in tests/vectors/:
#   keys/ours-private.txt, keys/ours-shared.txt   the test person's two identities
#   keys/stranger.txt                             someone else's identity
#   *.age, *.age.txt                              the vectors (.age.txt: armored)
#   manifest.txt                                  one line per vector: what must happen
#
# Every key here is a test key, made for these files and used nowhere else.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
rm -f ./*.age ./*.age.txt manifest.txt
mkdir -p keys
# Identities are made once and kept, so regenerating changes only the random parts.
for who in ours-private ours-shared stranger; do
    [ -f "keys/$who.txt" ] || age-keygen -o "keys/$who.txt" 2>/dev/null
done
exec python3 - "$here" <<'PY'
import base64, hashlib, hmac, os, pty, subprocess, sys, time
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes, serialization

here = sys.argv[1]
os.chdir(here)
PASSPHRASE = "correct horse conformance staple"
PERSON = "7e5700c0ffee"          # the person id inside the key-file vectors
manifest = []

def identity(who):
    lines = open(f"keys/{who}.txt").read().splitlines()
    public = [l.split(": ")[1] for l in lines if l.startswith("# public key: ")][0]
    secret = [l for l in lines if l.startswith("AGE-SECRET-KEY-")][0]
    return secret, public

def bech32_data(text):
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    data = text.lower().rsplit("1", 1)[1][:-6]
    bits, value, out = 0, 0, bytearray()
    for c in data:
        value = (value << 5) | charset.index(c)
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((value >> bits) & 0xFF)
    return bytes(out)

def b64(data):
    return base64.b64encode(data).decode().rstrip("=")

def unb64(text):
    return base64.b64decode(text + "=" * (-len(text) % 4))

def hkdf(ikm, salt, info):
    return HKDF(hashes.SHA256(), 32, salt, info).derive(ikm)

def age(args, plain):
    return subprocess.run(["age", *args], input=plain, stdout=subprocess.PIPE, check=True).stdout

def age_with_passphrase(plain):
    """`age -p` reads the passphrase from the terminal, so give it one."""
    with open("plain.tmp", "wb") as f:
        f.write(plain)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("age", ["age", "-p", "-o", "out.tmp", "plain.tmp"])
    seen = b""
    for _ in range(2):  # "Enter passphrase" and "Confirm passphrase"
        while b"passphrase" not in seen:
            seen += os.read(fd, 1024)
        seen = b""
        time.sleep(0.2)
        os.write(fd, (PASSPHRASE + "\r").encode())
    try:
        while os.read(fd, 1024):
            pass
    except OSError:
        pass
    _, status = os.waitpid(pid, 0)
    assert status == 0, "age -p failed"
    sealed = open("out.tmp", "rb").read()
    os.remove("out.tmp"); os.remove("plain.tmp")
    return sealed

def split(sealed):
    """(header lines through '---', mac line, rest after the header's newline)."""
    end = sealed.index(b"\n---") + 1
    stop = sealed.index(b"\n", end) + 1
    return sealed[:end], sealed[end:stop], sealed[stop:]

def file_key_x25519(sealed, who):
    secret, _ = identity(who)
    sk = X25519PrivateKey.from_private_bytes(bech32_data(secret))
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    lines = split(sealed)[0].decode().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("-> X25519 "):
            epk = unb64(line.split(" ")[2])
            from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
            shared = sk.exchange(X25519PublicKey.from_public_bytes(epk))
            key = hkdf(shared, epk + pk, b"age-encryption.org/v1/X25519")
            try:
                return ChaCha20Poly1305(key).decrypt(bytes(12), unb64(lines[i + 1]), None)
            except Exception:
                continue
    raise SystemExit("no stanza for " + who)

def file_key_scrypt(sealed):
    for i, line in enumerate(split(sealed)[0].decode().split("\n")):
        if line.startswith("-> scrypt "):
            _, _, salt, log_n = line.split(" ")
            key = hashlib.scrypt(PASSPHRASE.encode(), salt=b"age-encryption.org/v1/scrypt" + unb64(salt),
                                 n=1 << int(log_n), r=8, p=1, maxmem=1 << 30, dklen=32)
            body = split(sealed)[0].decode().split("\n")[i + 1]
            return ChaCha20Poly1305(key).decrypt(bytes(12), unb64(body), None)

def reheader(sealed, edit, file_key):
    """Applies `edit` to the header text and recomputes its MAC with `file_key`, so
    only the edit is wrong."""
    head, _, rest = split(sealed)
    head = edit(head.decode()).encode()
    mac = hmac.new(hkdf(file_key, b"", b"header"), head + b"---", hashlib.sha256).digest()
    return head + b"--- " + b64(mac).encode() + b"\n" + rest

def write(name, data, path, expect, why, options=""):
    with open(name, "wb") as f:
        f.write(data)
    manifest.append((name, path, expect, options, why))

def derived(name, source, options, path, expect, why):
    manifest.append((name, path, expect, f"from:{source} {options}", why))

def sha(data):
    return hashlib.sha256(data).hexdigest()

_, ours_private = identity("ours-private")
_, ours_shared = identity("ours-shared")
_, stranger = identity("stranger")
other = subprocess.run(["age-keygen"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout.decode()
other = [l.split(": ")[1] for l in other.splitlines() if l.startswith("# public key: ")][0]

# ---- X25519: the path every entry, draft and profile file takes -------------------
hello = b"What I want you to know is that I am still here.\n"
one = age(["-r", ours_private], hello)
write("x25519-one-recipient.age", one, "entry", f"opens-private:{sha(hello)}",
      "one X25519 recipient, our private key")
write("x25519-several-recipients.age", age(["-r", stranger, "-r", ours_shared, "-r", other], hello),
      "entry", f"opens-shared:{sha(hello)}", "three recipients, the second is our shared key")
write("x25519-empty-payload.age", age(["-r", ours_private], b""), "entry",
      f"opens-private:{sha(b'')}", "empty plaintext: one empty final chunk")
large = bytes((i * 7 + i // 251) % 256 for i in range(2 * 65536 + 4242))
big = age(["-r", ours_private], large)
write("x25519-three-chunks.age", big, "entry", f"opens-private:{sha(large)}",
      "payload over three 64 KiB chunks (the last one partial)")
key = file_key_x25519(one, "ours-private")
assert reheader(one, lambda h: h, key) == one, "MAC recomputation is wrong"
write("x25519-unknown-stanza-too.age",
      reheader(one, lambda h: h.replace("\n-> X25519", "\n-> grease-kind a-b c\nZm9vYmFy\n-> X25519", 1), key),
      "entry", f"opens-private:{sha(hello)}", "an unknown stanza type beside ours is ignored (valid MAC)")
write("x25519-armored.age.txt", age(["-a", "-r", ours_private], hello), "entry", "damaged-header",
      "ASCII armor: optional in the spec, and mend reads only the binary files it writes")

write("x25519-for-stranger.age", age(["-r", stranger], hello), "entry", "not-ours",
      "only a stanza for a different identity")
write("x25519-for-two-strangers.age", age(["-r", stranger, "-r", other], hello), "entry", "not-ours",
      "two stanzas, neither ours")

# Header damage. Those marked (valid MAC) are refused for their structure alone.
write("header-bad-version.age", one.replace(b"age-encryption.org/v1", b"age-encryption.org/v2", 1),
      "entry", "damaged-header", "version line names an unknown version")
write("header-no-version.age", one.split(b"\n", 1)[1], "entry", "damaged-header", "version line missing")
write("header-crlf.age", reheader(one, lambda h: h.replace("\n", "\r\n"), key), "entry", "damaged-header",
      "header lines end in CRLF (valid MAC)")
write("header-stanza-no-args.age", reheader(one, lambda h: h.replace("-> X25519 " + h.split("-> X25519 ")[1].split("\n")[0], "-> X25519"), key),
      "entry", "damaged-header", "X25519 stanza without its ephemeral share (valid MAC)")
def short_body(h):
    lines = h.split("\n")
    i = next(i for i, l in enumerate(lines) if l.startswith("-> X25519"))
    lines[i + 1] = b64(unb64(lines[i + 1])[:31])
    return "\n".join(lines)
write("header-stanza-short-body.age", reheader(one, short_body, key), "entry", "damaged-header",
      "X25519 stanza body of 31 bytes instead of 32 (valid MAC)")
def edit_body(change):
    def edit(h):
        lines = h.split("\n")
        i = next(i for i, l in enumerate(lines) if l.startswith("-> X25519"))
        lines[i + 1] = change(lines[i + 1])
        return "\n".join(lines)
    return edit
alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
def non_canonical(body):
    # 32 bytes -> 43 characters; the last one carries 2 unused bits, which must be 0.
    last = alphabet.index(body[-1])
    return body[:-1] + alphabet[last | 1]
write("header-base64-non-canonical.age", reheader(one, edit_body(non_canonical), key), "entry",
      "damaged-header", "stanza body with unused base64 bits set (valid MAC)")
write("header-base64-padded.age", reheader(one, edit_body(lambda b: b + "="), key), "entry",
      "damaged-header", "stanza body with '=' padding (valid MAC)")
write("header-base64-bad-char.age", reheader(one, edit_body(lambda b: b[:10] + "!" + b[11:]), key), "entry",
      "damaged-header", "stanza body with a character outside base64 (valid MAC)")
def drop_body(h):
    lines = h.split("\n")
    i = next(i for i, l in enumerate(lines) if l.startswith("-> X25519"))
    return "\n".join(lines[: i + 1] + lines[i + 2 :])
write("header-stanza-no-body.age", reheader(one, drop_body, key), "entry", "damaged-header",
      "X25519 stanza with its body line missing (valid MAC)")
write("header-empty-arg.age", reheader(one, lambda h: h.replace("-> X25519 ", "-> X25519  ", 1), key), "entry",
      "damaged-header", "two spaces: an empty stanza argument (valid MAC)")
def flip_mac(data):
    head, mac, rest = split(data)
    mac = bytearray(mac)
    mac[10] = ord("A") if mac[10] != ord("A") else ord("B")
    return head + bytes(mac) + rest
write("header-wrong-mac.age", flip_mac(one), "entry", "damaged-header", "header MAC does not match")
write("header-mac-missing.age", split(one)[0] + b"---\n" + split(one)[2], "entry", "damaged-header",
      "'---' line without a MAC")
write("header-truncated-in-stanza.age", one[:60], "entry", "damaged-header", "file ends inside the header")
write("header-truncated-after-mac.age", split(one)[0] + split(one)[1], "entry", "damaged-header",
      "file ends right after the header: no nonce, no payload")
scrypt_stanza = f"-> scrypt {b64(os.urandom(16))} 10\n{b64(os.urandom(32))}\n"
write("header-scrypt-beside-x25519.age", reheader(one, lambda h: h.replace("\n-> X25519", "\n" + scrypt_stanza.rstrip("\n") + "\n-> X25519", 1), key),
      "entry", "damaged-header", "an scrypt stanza mixed with others, which the spec forbids (valid MAC)")
write("empty.age", b"", "entry", "damaged-empty", "zero bytes")
write("not-age.age", b"This is a note, not an age file.\n", "entry", "damaged-header", "not an age file at all")

# Payload damage (the header is intact).
header_len = len(one) - len(split(one)[2]) + 16
write("payload-flipped-byte.age", one[:header_len + 5] + bytes([one[header_len + 5] ^ 1]) + one[header_len + 6:],
      "entry", "damaged-payload", "one payload byte flipped")
write("payload-truncated.age", one[:-7], "entry", "damaged-payload", "the only chunk cut short")
write("payload-trailing-data.age", one + b"\0", "entry", "damaged-payload", "a byte after the final chunk")
write("payload-no-chunk.age", one[:header_len], "entry", "damaged-payload", "nonce but no chunk at all")
write("payload-short-nonce.age", one[:header_len - 4], "entry", "damaged-header", "nonce cut short, no payload")
big_header = len(big) - len(split(big)[2]) + 16
chunk = 65536 + 16
derived("payload-missing-final-chunk", "x25519-three-chunks.age", f"cut:{big_header + 2 * chunk}", "entry",
        "damaged-payload", "ends cleanly after two full chunks: the final one is missing")
derived("payload-truncated-middle-chunk", "x25519-three-chunks.age", f"cut:{big_header + chunk + 1000}", "entry",
        "damaged-payload", "cut inside the second chunk")
derived("payload-flipped-in-second-chunk", "x25519-three-chunks.age", f"flip:{big_header + chunk + 77}", "entry",
        "damaged-payload", "one byte flipped in the second chunk")
derived("payload-trailing-after-three", "x25519-three-chunks.age", "append:00ff", "entry",
        "damaged-payload", "two bytes after the final chunk")
derived("payload-chunks-swapped", "x25519-three-chunks.age", f"swap:{big_header}:{chunk}", "entry",
        "damaged-payload", "first and second chunks swapped")

# ---- scrypt: the path every key file takes ----------------------------------------
# The plaintext is a mend key file holding the two identities above.
key_text = (
    "# mend key file. The first key opens entries shared with a partner; the second opens private ones.\n"
    f"# format: 1\n# person: {PERSON}\n{identity('ours-shared')[0]}\n{identity('ours-private')[0]}\n"
).encode()
sealed = age_with_passphrase(key_text)
write("keyfile-valid.age", sealed, "key", "unlocks", "a key file sealed by `age -p` (work factor 18)")
derived("keyfile-wrong-passphrase", "keyfile-valid.age", "pass:not-the-passphrase", "key", "wrong-passphrase",
        "the right file, the wrong passphrase")
skey = file_key_scrypt(sealed)
assert reheader(sealed, lambda h: h, skey) == sealed, "MAC recomputation is wrong"
write("keyfile-scrypt-beside-x25519.age",
      reheader(sealed, lambda h: h + f"-> X25519 {b64(os.urandom(32))}\n{b64(os.urandom(32))}\n", skey),
      "key", "damaged-key-file", "scrypt stanza not alone, which the spec forbids (valid MAC)")
write("keyfile-two-scrypt.age",
      reheader(sealed, lambda h: h + "\n".join(h.split("\n")[1:3]) + "\n", skey),
      "key", "damaged-key-file", "the scrypt stanza twice (valid MAC)")
def work(value):
    return lambda h: "\n".join(" ".join(l.split(" ")[:3] + [value]) if l.startswith("-> scrypt") else l for l in h.split("\n"))
write("keyfile-excessive-work.age", reheader(sealed, work("40"), skey), "key", "excessive-work",
      "asks for scrypt log_n 40: refused before any work")
write("keyfile-work-leading-zero.age", reheader(sealed, work("018"), skey), "key", "damaged-key-file",
      "work factor '018' is not canonical decimal (valid MAC)")
write("keyfile-wrong-mac.age", flip_mac(sealed), "key", "damaged-key-file", "header MAC does not match")
s_header = len(sealed) - len(split(sealed)[2]) + 16
write("keyfile-payload-flipped.age", sealed[:s_header + 9] + bytes([sealed[s_header + 9] ^ 0x40]) + sealed[s_header + 10:],
      "key", "damaged-key-file", "a payload byte flipped")
write("keyfile-truncated.age", sealed[:-20], "key", "damaged-key-file", "cut short inside the payload")
write("keyfile-truncated-header.age", sealed[:40], "key", "damaged-key-file", "cut short inside the header")
write("keyfile-empty.age", b"", "key", "empty-key-file", "zero bytes")
derived("keyfile-is-x25519", "x25519-one-recipient.age", "", "key", "damaged-key-file",
        "an X25519 file where a passphrase file belongs")
derived("entry-given-keyfile", "keyfile-valid.age", "", "entry", "not-ours",
        "a passphrase file where an entry belongs: no X25519 identity matches")

# Cross-check: the stock age tool, the reference implementation, agrees with every
# entry vector that is a file of its own, with two known exceptions: age reads armor
# and mend does not; and age 1.1.1 enforces "an scrypt stanza is alone" only when it
# decrypts with a passphrase, where the spec (and the Rust age crate) always does.
lenient = {"x25519-armored.age.txt", "header-scrypt-beside-x25519.age"}
for name, path, expect, options, why in manifest:
    if path != "entry" or options or name in lenient:
        continue
    ok = subprocess.run(["age", "-d", "-i", "keys/ours-private.txt", "-i", "keys/ours-shared.txt", name],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    assert ok == expect.startswith("opens-"), f"stock age disagrees about {name}"

with open("manifest.txt", "w") as f:
    f.write("# Made by generate.sh; one vector per line, tab-separated:\n"
            "# file  path (entry: crypt::decrypt; key: keys::read)  expected  options  why\n"
            "# expected: opens-private:SHA256 | opens-shared:SHA256 | not-ours | damaged-empty |\n"
            "#   damaged-header | damaged-payload | unlocks | wrong-passphrase | damaged-key-file |\n"
            "#   empty-key-file | excessive-work\n"
            "# options (applied by the test, to keep large files single): from:FILE cut:N flip:N\n"
            f"#   append:HEX swap:OFFSET:LEN pass:TEXT. Key-file vectors use passphrase\n"
            f"#   '{PASSPHRASE}' and person '{PERSON}'.\n")
    for name, path, expect, options, why in manifest:
        f.write(f"{name}\t{path}\t{expect}\t{options or '-'}\t{why}\n")
print(f"wrote {len(manifest)} vectors to {here}")
PY
