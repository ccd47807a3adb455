#!/usr/bin/env python3
"""Independent reader for Parley log files, written from docs/FORMAT.md and docs/EVENTS.md only.

Usage: python3 tools/read_log.py [--salvage] LOGFILE

Prints every event as JSON Lines in the shape of `parley dump`. Unknown event types or schema
versions are skipped and counted on stderr. A record whose extras repeat a key (docs/FORMAT.md,
"Event records") is malformed. A torn tail, damage, a bad file header or a malformed
record stops the reader with a message on stderr (naming the byte offset) and exit code 1.
The file is streamed: at most one frame is held in memory.

With --salvage, prints the events of every checksum-valid frame of the log found anywhere in the file,
walking on past damage, as `parley dump --salvage` does (docs/FORMAT.md, "Repairing, and reading what
repair cut"); what it could not read goes to stderr, and the exit code is 1 if there was any.

Standard library only.
"""

import datetime
import os
import re
import struct
import sys

# ---------------------------------------------------------------------------------------------
# CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init 0xFFFFFFFF, reflected in/out,
# final XOR 0xFFFFFFFF.  Slicing-by-8 tables for speed in pure Python.

_POLY = 0x82F63B78


def _make_tables():
    t0 = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        t0.append(c)
    tables = [t0]
    for k in range(1, 8):
        prev = tables[k - 1]
        tables.append([(prev[n] >> 8) ^ t0[prev[n] & 0xFF] for n in range(256)])
    return tables


_T = _make_tables()


def crc32c(data, crc=0):
    """CRC-32C of `data`; pass a previous result as `crc` to continue it."""
    t0, t1, t2, t3, t4, t5, t6, t7 = _T
    c = crc ^ 0xFFFFFFFF
    mv = memoryview(data)
    n = len(mv)
    i = 0
    end8 = n - (n % 8)
    if end8:
        words = struct.unpack_from("<%dQ" % (end8 // 8), mv, 0)
        for w in words:
            x = c ^ (w & 0xFFFFFFFF)
            h = w >> 32
            c = (t7[x & 0xFF] ^ t6[(x >> 8) & 0xFF] ^ t5[(x >> 16) & 0xFF] ^ t4[x >> 24]
                 ^ t3[h & 0xFF] ^ t2[(h >> 8) & 0xFF] ^ t1[(h >> 16) & 0xFF] ^ t0[h >> 24])
        i = end8
    for b in mv[i:]:
        c = (c >> 8) ^ t0[(c ^ b) & 0xFF]
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283, "CRC-32C self-check failed"

# ---------------------------------------------------------------------------------------------
# Constants from the spec

MAGIC = b"PARLEYLG"
HEADER_SIZE = 64
FRAME_HEADER = 36
MIN_FRAME = 40
MAX_FRAME = 67108864
MAX_COUNT = 16777216
MAX_DEPTH = 64

CHANNELS = ["email", "chat", "form", "marketplace", "social", "review", "sms", "whatsapp",
            "messenger", "other"]
STATUSES = ["open", "pending", "resolved"]
PRIORITIES = [None, "low", "normal", "high", "urgent"]
AVAILABILITIES = [None, "online", "away", "offline"]
MODES = [None, "human", "automation"]
COMPENSATIONS = ["refund", "discount", "credit", "replacement"]

# One row per event type (docs/FORMAT.md, "Event records"): type byte -> (name, fields in stored and
# dump order). A field is (key, how it is stored and written):
#   "string"      string, always written
#   "optstring"   optstring, written only when present
#   "nullstring"  optstring, written as null when absent (assignee)
#   "flag"        u8 0 or 1, always written as false or true (auto)
#   "object"      json, which must be an object (policy)
#   list          u8 index into the list of names; a None entry means absent (priority 0)
#   (lo, hi)      zigzag varint, an integer from lo to hi
#   ("opt", lo, hi)   u8 0 (absent) or 1, then a zigzag varint from lo to hi
#   ("list", n)   varint count + 1 (0 absent; at most n items), then each item a string; a JSON array
# A list of names whose first entry is None is an optional choice; otherwise index 0 is invalid there
# too (None entries are never names), and a required choice that reads None is malformed.
# Rows are the current version of each type; OLD_LAYOUTS below holds older versions still read.
TYPES = {
    1: ("message_received", [("conversation", "string"), ("customer", "string"), ("channel", CHANNELS),
                             ("message_id", "optstring"), ("subject", "optstring"), ("body", "string")]),
    2: ("reply_sent", [("conversation", "string"), ("author", "string"), ("auto", "flag"), ("body", "string")]),
    3: ("assigned", [("conversation", "string"), ("assignee", "nullstring"), ("team", "optstring"),
                     ("by", "optstring"), ("reason", "optstring")]),
    4: ("status_changed", [("conversation", "string"), ("status", STATUSES)]),
    5: ("categorized", [("conversation", "string"), ("category", "string"), ("priority", PRIORITIES)]),
    6: ("note_added", [("conversation", "string"), ("author", "string"), ("body", "string")]),
    7: ("customer_linked", [("customer", "string"), ("same_as", "string")]),
    8: ("policy_set", [("policy", "object")]),
    9: ("rules_set", [("rules", "object")]),
    10: ("agent_status", [("agent", "string"), ("status", ("req", AVAILABILITIES)), ("teams", ("list", 64)),
                          ("capacity", ("opt", 0, 10000)), ("skills", ("list", 64))]),
    11: ("customer_profile", [("customer", "string"), ("tier", "optstring"),
                              ("lifetime_value", ("opt", 0, 9007199254740991)), ("currency", "optstring"),
                              ("account_manager", "optstring")]),
    12: ("escalated", [("conversation", "string"), ("by", "string"), ("reason", "string"),
                       ("understood", "optstring"), ("tried", "optstring")]),
    13: ("routed", [("conversation", "string"), ("by", "string"), ("team", "optstring"),
                    ("priority", PRIORITIES), ("mode", ("req", MODES)), ("policy", "optstring"),
                    ("score", ("opt", 0, 1000000)), ("topics", ("list", 64)), ("reason", "optstring")]),
    14: ("csat_recorded", [("conversation", "string"), ("score", (1, 5)), ("comment", "optstring"),
                           ("channel", CHANNELS)]),
    15: ("compensation_given", [("conversation", "string"), ("kind", COMPENSATIONS),
                                ("amount", (0, 9007199254740991)), ("currency", "string")]),
    16: ("order_placed", [("customer", "string"), ("order_id", "string"), ("amount", (0, 9007199254740991)),
                          ("currency", "string")]),
}

# The schema version each type is written with today (1 unless listed).
VERSIONS = {3: 2}


def is_identifier(v):
    """The identifier rule: 1 to 512 bytes of UTF-8, no control character."""
    b = v.encode("utf-8")
    return 0 < len(b) <= 512 and not any(x < 0x20 or x == 0x7F for x in b)


# Older layouts still read (docs/FORMAT.md, "Older layouts"): (type, version) -> (fields, promote).
# After the extras are read, an extra whose key is now a field of the type is moved into that field
# when promote(key, value) says so, or else kept with its key suffixed "_v<version>" (repeated while
# that key is taken).
OLD_LAYOUTS = {
    (3, 1): ([("conversation", "string"), ("assignee", "nullstring"), ("team", "optstring")],
             lambda k, v: isinstance(v, str) and ((k == "by" and is_identifier(v))
                                                  or (k == "reason" and len(v.encode("utf-8")) <= 4096))),
}

JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")


class Malformed(Exception):
    pass


class Stop(Exception):
    """Ends reading with a message and exit code 1."""


# ---------------------------------------------------------------------------------------------
# JSON output (compact; escape '"', '\' and U+0000..U+001F; everything else raw UTF-8)

_SHORT = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r',
          '\t': '\\t'}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _esc(m):
    ch = m.group(0)
    s = _SHORT.get(ch)
    return s if s is not None else "\\u%04x" % ord(ch)


def jstr(s):
    return '"' + _NEEDS_ESCAPE.sub(_esc, s) + '"'


class Raw:
    """A JSON number kept as its exact stored text."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def jdump(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, str):
        return jstr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ",".join(jdump(x) for x in v) + "]"
    if isinstance(v, tuple):  # ordered object: tuple of (key, value) pairs
        return "{" + ",".join(jstr(k) + ":" + jdump(x) for k, x in v) + "}"
    raise TypeError(type(v))


# ---------------------------------------------------------------------------------------------
# Record decoding


class Cursor:
    def __init__(self, buf, start, end):
        self.buf = buf
        self.pos = start
        self.end = end

    def take(self, n):
        if n > self.end - self.pos:
            raise Malformed("field runs past the end of the record")
        p = self.pos
        self.pos = p + n
        return self.buf[p:p + n]

    def u8(self):
        if self.pos >= self.end:
            raise Malformed("field runs past the end of the record")
        b = self.buf[self.pos]
        self.pos += 1
        return b

    def varint(self):
        value = 0
        for i in range(10):
            b = self.u8()
            if i == 9 and b > 1:
                raise Malformed("varint does not fit in 64 bits")
            value |= (b & 0x7F) << (7 * i)
            if not b & 0x80:
                return value
        raise Malformed("varint longer than 10 bytes")

    def string(self):
        n = self.varint()
        raw = self.take(n)
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("string is not valid UTF-8")

    def optstring(self):
        n = self.varint()
        if n == 0:
            return None
        raw = self.take(n - 1)
        try:
            return bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("string is not valid UTF-8")

    def json(self, depth=1):
        tag = self.u8()
        if tag == 0:
            return None
        if tag == 1:
            return False
        if tag == 2:
            return True
        if tag == 3:
            text = self.string()
            if not JSON_NUMBER.match(text):
                raise Malformed("number text %r is not a JSON number" % text)
            return Raw(text)
        if tag == 4:
            return self.string()
        if tag in (5, 6):
            if depth > MAX_DEPTH:
                raise Malformed("JSON nested deeper than %d levels" % MAX_DEPTH)
            n = self.varint()
            if n > self.end - self.pos:  # every element takes at least one byte
                raise Malformed("element count runs past the end of the record")
            if tag == 5:
                return [self.json(depth + 1) for _ in range(n)]
            members = []
            seen = set()
            for _ in range(n):
                k = self.string()
                if k in seen:
                    raise Malformed("JSON object has the key %s twice" % jstr(k))
                seen.add(k)
                members.append((k, self.json(depth + 1)))
            return tuple(members)
        raise Malformed("unknown JSON tag %d" % tag)


def format_time(ns, offset_min):
    """RFC 3339 with the given UTC offset; fraction without trailing zeros; Z for offset 0."""
    local = ns + offset_min * 60 * 1_000_000_000
    secs, frac = divmod(local, 1_000_000_000)
    days, sod = divmod(secs, 86400)
    date = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    hh, rem = divmod(sod, 3600)
    mm, ss = divmod(rem, 60)
    s = "%04d-%02d-%02dT%02d:%02d:%02d" % (date.year, date.month, date.day, hh, mm, ss)
    if frac:
        s += "." + ("%09d" % frac).rstrip("0")
    if offset_min == 0:
        s += "Z"
    else:
        sign = "+" if offset_min > 0 else "-"
        a = abs(offset_min)
        s += "%s%02d:%02d" % (sign, a // 60, a % 60)
    return s


def enum(table, index, what):
    if index >= len(table):
        raise Malformed("%s %d out of range" % (what, index))
    return table[index]


# Keys an extra may not have (docs/FORMAT.md, "Event records", extras): those every dump line has,
# and every field of the record's type, optional ones included.
RESERVED_KEYS = frozenset(["seq", "recorded_at", "type", "at"])


def read_field(c, key, how):
    """Reads one field; returns its dump value, or Absent when the dump leaves it out."""
    if how == "string":
        return c.string()
    if how in ("optstring", "nullstring"):
        v = c.optstring()
        return Absent if v is None and how == "optstring" else v
    if how == "flag":
        b = c.u8()
        if b > 1:
            raise Malformed("%s %d is not 0 or 1" % (key, b))
        return b == 1
    if how == "object":
        v = c.json()
        if not isinstance(v, tuple):
            raise Malformed("%s is not a JSON object" % key)
        return v
    if isinstance(how, list):
        v = enum(how, c.u8(), key)
        return Absent if v is None else v
    if how[0] == "req":
        v = enum(how[1], c.u8(), key)
        if v is None:
            raise Malformed("%s 0 is not a value" % key)
        return v
    if how[0] == "opt":
        b = c.u8()
        if b > 1:
            raise Malformed("%s presence byte %d is not 0 or 1" % (key, b))
        return Absent if b == 0 else read_field(c, key, how[1:])
    if how[0] == "list":
        n = c.varint()
        if n > how[1] + 1:
            raise Malformed("%s has %d items, over %d" % (key, n - 1, how[1]))
        return Absent if n == 0 else [c.string() for _ in range(n - 1)]
    lo, hi = how
    z = c.varint()
    v = (z >> 1) ^ -(z & 1)
    if not lo <= v <= hi:
        raise Malformed("%s %d is out of range" % (key, v))
    return v


Absent = object()


def decode_event(buf, start, end, seq, commit_time):
    """Returns the dump line (str) or None for an unknown type/version."""
    # FORMAT.md: a record shorter than the 12-byte prefix is malformed whatever its type.
    if end - start < 12:
        raise Malformed("record shorter than the 12-byte event prefix")
    etype = buf[start]
    version = buf[start + 1]
    if etype not in TYPES:
        return None
    name, type_fields = TYPES[etype]
    old = None
    if version != VERSIONS.get(etype, 1):
        old = OLD_LAYOUTS.get((etype, version))
        if old is None:
            return None
    at, at_off = struct.unpack_from("<qh", buf, start + 2)
    if not -1439 <= at_off <= 1439:
        raise Malformed("UTC offset %d minutes is out of range" % at_off)
    c = Cursor(buf, start + 12, end)
    values = {}
    for key, how in (old[0] if old else type_fields):
        value = read_field(c, key, how)
        if value is not Absent:
            values[key] = value
    n_extras = c.varint()
    if n_extras > end - c.pos:
        raise Malformed("extras count runs past the end of the record")
    stored_keys = frozenset(key for key, _ in (old[0] if old else type_fields))
    reserved = RESERVED_KEYS | stored_keys
    extras = []
    for _ in range(n_extras):
        k = c.string()
        if k in reserved:
            raise Malformed("extra field %s uses a key that %s events are written with" % (jstr(k), name))
        extras.append((k, c.json()))
    if c.pos != end:
        raise Malformed("%d unexpected byte(s) after the extras" % (end - c.pos))
    extra_keys = set()
    for k, _ in extras:
        if k in extra_keys:
            raise Malformed("extra field %s appears twice" % jstr(k))
        extra_keys.add(k)
    if old:
        # Upcast: the extras now clashing with a field are promoted or renamed.
        now_reserved = RESERVED_KEYS | frozenset(key for key, _ in type_fields)
        added = frozenset(key for key, _ in type_fields) - stored_keys
        taken = [k for k, _ in extras]
        kept = []
        for k, v in extras:
            if k not in added:
                kept.append((k, v))
            elif old[1](k, v) and k not in values:
                values[k] = v
            else:
                renamed = k + "_v%d" % version
                while renamed in now_reserved or renamed in taken:
                    renamed += "_v%d" % version
                kept.append((renamed, v))
        extras = kept
    fields = [(key, values[key]) for key, _ in type_fields if key in values] + extras

    out = [
        '{"seq":%d' % seq,
        ',"recorded_at":' + jstr(format_time(commit_time, 0)),
        ',"type":' + jstr(name),
        ',"at":' + jstr(format_time(at, at_off)),
    ]
    for k, v in fields:
        out.append("," + jstr(k) + ":" + jdump(v))
    out.append("}")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Frames


def read_exact(f, n):
    """Reads up to n bytes (fewer only at end of file)."""
    chunks = []
    got = 0
    while got < n:
        b = f.read(n - got)
        if not b:
            break
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def valid_frame_after(f, salt, bad_offset):
    """Is there a checksum-valid frame with this salt starting anywhere after bad_offset?

    Scans forward byte by byte (in chunks) for the salt at offset +8 of a candidate frame, then
    checks the candidate's length and CRC. Returns the candidate's offset or None."""
    CHUNK = 1 << 20
    pos = bad_offset + 1 + 8  # file position of the candidate's salt field
    carry = b""
    carry_start = pos
    f.seek(pos)
    while True:
        data = f.read(CHUNK)
        if not data:
            return None
        buf = carry + data
        base = carry_start
        i = buf.find(salt)
        while i != -1:
            cand = base + i - 8
            if check_candidate(f, cand, salt):
                return cand
            i = buf.find(salt, i + 1)
        keep = min(len(buf), len(salt) - 1)
        carry = buf[len(buf) - keep:]
        carry_start = base + len(buf) - keep
        f.seek(carry_start + keep)


def check_candidate(f, off, salt):
    here = f.tell()
    try:
        f.seek(off)
        head = read_exact(f, 8)
        if len(head) < 8:
            return False
        crc, length = struct.unpack("<II", head)
        if length < MIN_FRAME or length > MAX_FRAME:
            return False
        rest = read_exact(f, length - 8)
        if len(rest) < length - 8:
            return False
        return crc32c(rest, crc32c(head[4:])) == crc
    finally:
        f.seek(here)


def read_log(path, out, err):
    skipped = 0
    try:
        f = open(path, "rb")
    except OSError as e:
        err.write("read_log: cannot open %s: %s\n" % (path, e.strerror))
        return 1
    with f:
        try:
            # ---- file header
            head = read_exact(f, HEADER_SIZE)
            if len(head) < len(MAGIC) or head[:8] != MAGIC:
                raise Stop("offset 0: not a Parley log (bad magic)")
            if len(head) < HEADER_SIZE:
                raise Stop("offset %d: file header truncated (%d of 64 bytes)" % (len(head), len(head)))
            (header_crc,) = struct.unpack_from("<I", head, 60)
            if crc32c(head[:60]) != header_crc:
                raise Stop("offset 60: corrupt header (header CRC mismatch)")
            version, hsize, flags = struct.unpack_from("<HHI", head, 8)
            if version != 1:
                raise Stop("offset 8: unsupported format version %d" % version)
            if hsize != HEADER_SIZE:
                raise Stop("offset 10: unsupported header size %d" % hsize)
            if flags != 0:
                raise Stop("offset 12: unsupported flags 0x%08x" % flags)
            salt = head[32:40]

            # ---- frames
            offset = HEADER_SIZE
            expected_seq = 1
            while True:
                f.seek(offset)
                fh = read_exact(f, 8)
                if not fh:
                    break  # clean end at a frame boundary
                problem = None   # description of an incomplete/invalid frame
                torn_candidate = False  # incomplete, bad CRC or bad length: needs a scan
                frame = None
                if len(fh) < 8:
                    problem = "incomplete frame (%d byte(s) of its header)" % len(fh)
                    torn_candidate = True
                else:
                    crc, length = struct.unpack("<II", fh)
                    body = read_exact(f, max(length - 8, 0)) if length <= MAX_FRAME else b""
                    if length > MAX_FRAME or len(body) < length - 8:
                        if length > MAX_FRAME:
                            # cannot tell whether it is complete without reading it; a frame
                            # this long is invalid whether or not its bytes are all present
                            problem = "invalid frame (bad length %d)" % length
                        else:
                            problem = "incomplete frame (length %d, %d byte(s) present)" % (
                                length, 8 + len(body))
                        torn_candidate = True
                    elif length < MIN_FRAME:
                        problem = "invalid frame (bad length %d)" % length
                        torn_candidate = True
                    else:
                        frame = fh + body
                        if crc32c(memoryview(frame)[4:]) != crc:
                            problem = "invalid frame (CRC mismatch)"
                            torn_candidate = True
                            frame = None
                if frame is not None:
                    fsalt = frame[8:16]
                    first_seq, count, commit = struct.unpack_from("<QIq", frame, 16)
                    if fsalt != salt:
                        problem = "invalid frame (salt 0x%016x is not this log's)" % (
                            struct.unpack("<Q", fsalt)[0])
                    elif first_seq != expected_seq:
                        problem = "invalid frame (first seq %d, expected %d)" % (
                            first_seq, expected_seq)
                    elif count == 0:
                        problem = "invalid frame (count 0)"
                    elif count > MAX_COUNT:
                        problem = "invalid frame (count %d exceeds 16,777,216)" % count
                    else:
                        records = []
                        p = FRAME_HEADER
                        for _ in range(count):
                            if length - p < 4:
                                problem = "invalid frame (records do not tile the frame)"
                                break
                            (rlen,) = struct.unpack_from("<I", frame, p)
                            if rlen > length - p - 4:
                                problem = "invalid frame (records do not tile the frame)"
                                break
                            records.append((p + 4, p + 4 + rlen))
                            p += 4 + rlen
                        if problem is None and p != length:
                            problem = "invalid frame (records do not tile the frame)"
                    if problem is not None:
                        frame = None
                if problem is not None:
                    if torn_candidate:
                        later = valid_frame_after(f, salt, offset)
                        if later is None:
                            raise Stop("offset %d: torn tail: %s; the readable log ends here"
                                       % (offset, problem))
                        raise Stop("offset %d: damage: %s, followed by a valid frame of this "
                                   "log at offset %d" % (offset, problem, later))
                    raise Stop("offset %d: damage: %s" % (offset, problem))

                # ---- valid frame: deliver its events
                lines = []
                for i, (rs, re_) in enumerate(records):
                    try:
                        line = decode_event(frame, rs, re_, first_seq + i, commit)
                    except Malformed as e:
                        for ln in lines:
                            out.write(ln)
                        raise Stop("offset %d: malformed record (seq %d): %s"
                                   % (offset + rs - 4, first_seq + i, e))
                    if line is None:
                        skipped += 1
                    else:
                        lines.append((line + "\n").encode("utf-8"))
                for ln in lines:
                    out.write(ln)
                offset += length
                expected_seq += count
        except Stop as e:
            out.flush()
            if skipped:
                err.write("read_log: skipped %d record(s) of unknown type or version\n" % skipped)
            err.write("read_log: %s\n" % e)
            return 1
    out.flush()
    if skipped:
        err.write("read_log: skipped %d record(s) of unknown type or version\n" % skipped)
    return 0


# ---------------------------------------------------------------------------------------------
# --salvage: every checksum-valid frame of the log, past damage (docs/FORMAT.md, "Repairing, and
# reading what repair cut"), as `parley dump --salvage` writes it.


def frame_at(m, off, salt, expected):
    """The frame at `off` checked as in "Reading frames" with `expected` as its first seq:
    (length, first_seq, count, commit, records) or None."""
    size = len(m)
    if size - off < 8:
        return None
    crc, length = struct.unpack_from("<II", m, off)
    if length < MIN_FRAME or length > MAX_FRAME or size - off < length:
        return None
    if crc32c(m[off + 4:off + length]) != crc or m[off + 8:off + 16] != salt:
        return None
    first_seq, count, commit = struct.unpack_from("<QIq", m, off + 16)
    if first_seq != expected or count == 0 or first_seq + count >= 1 << 64:
        return None
    records = []
    p = FRAME_HEADER
    for _ in range(count):
        if length - p < 4:
            return None
        (rlen,) = struct.unpack_from("<I", m, off + p)
        if rlen > length - p - 4:
            return None
        records.append((off + p + 4, off + p + 4 + rlen))
        p += 4 + rlen
    if p != length:
        return None
    return length, first_seq, count, commit, records


def scan(m, salt, after, budget):
    """The damage scan from `after` + 1: (offset of the first valid candidate or None, cost, limit hit)."""
    size = len(m)
    cost = 0
    i = m.find(salt, after + 1 + 8)
    while i != -1:
        cand = i - 8
        (length,) = struct.unpack_from("<I", m, cand + 4)
        if MIN_FRAME <= length <= MAX_FRAME and cand + length <= size:
            if cost + length > budget:
                return None, cost, True
            cost += length
            (crc,) = struct.unpack_from("<I", m, cand)
            if crc32c(m[cand + 4:cand + length]) == crc:
                return cand, cost, False
        i = m.find(salt, i + 1)
    return None, cost, False


def salvage(path, out, err):
    import mmap
    with open(path, "rb") as f:
        head = read_exact(f, HEADER_SIZE)
        if len(head) < HEADER_SIZE or head[:8] != MAGIC or crc32c(head[:60]) != struct.unpack_from("<I", head, 60)[0]:
            err.write("read_log: not a readable Parley log header\n")
            return 1
        salt = head[32:40]
        size = os.fstat(f.fileno()).st_size
        if size == HEADER_SIZE:
            return 0
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    problems = 0
    skipped = 0
    budget = 4 * (size - HEADER_SIZE)
    held = 0
    covered = pos = HEADER_SIZE
    while pos is not None and pos < size:
        start = pos
        first = struct.unpack_from("<Q", m, pos + 16)[0] if size - pos >= FRAME_HEADER else 0
        expected = first
        while first >= 1 and pos < size:
            frame = frame_at(m, pos, salt, expected)
            if frame is None:
                break
            length, first_seq, count, commit, records = frame
            if pos > covered:
                err.write("read_log: %d bytes at offset %d are not part of a valid frame\n" % (pos - covered, covered))
                problems += 1
            covered = pos + length
            if first_seq <= held:
                err.write("read_log: frame at offset %d repeats seqs already written\n" % pos)
                problems += 1
            else:
                for i, (rs, re_) in enumerate(records):
                    try:
                        line = decode_event(m, rs, re_, first_seq + i, commit)
                    except Malformed as e:
                        err.write("read_log: malformed record (seq %d): %s\n" % (first_seq + i, e))
                        problems += 1
                        continue
                    if line is None:
                        skipped += 1
                    else:
                        out.write((line + "\n").encode("utf-8"))
                held = first_seq + count - 1
            pos += length
            expected = first_seq + count
        if pos >= size:
            break
        if pos > start:
            continue  # the frame here may be valid with a first seq of its own
        found, cost, limit = scan(m, salt, pos, budget)
        budget -= cost
        if limit:
            err.write("read_log: the scan for valid frames stopped at its limit\n")
            problems += 1
        pos = found
    if covered < size:
        err.write("read_log: %d bytes at offset %d are not part of a valid frame\n" % (size - covered, covered))
        problems += 1
    out.flush()
    if skipped:
        err.write("read_log: skipped %d record(s) of unknown type or version\n" % skipped)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--salvage":
        return salvage(argv[2], sys.stdout.buffer, sys.stderr)
    if len(argv) != 2:
        sys.stderr.write("usage: read_log.py [--salvage] LOGFILE\n")
        return 2
    try:
        return read_log(argv[1], sys.stdout.buffer, sys.stderr)
    except BrokenPipeError:
        try:
            sys.stdout = None
        except Exception:
            pass
        os._exit(1)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
