#!/usr/bin/env bash
# tests/printer/make-pcaps.sh: regenerates the captures the printer suite
# (tests/printer.sh) feeds to pcap2txt and to tcpdump. Run it deliberately,
# as root, when a case is added; the captures are committed.
#
#   bash tests/printer/make-pcaps.sh [NAME...]   # default: every capture
#
# Live captures run in a private network namespace (unshare --net): the
# traffic only ever goes to its own loopback. Rare segments that loopback
# will not produce (SACK blocks, MD5, TFO, malformed headers) are crafted by
# the generator at the end, with correct checksums. Each file stays small
# (< 20 KB).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${IN_NETNS:-}" != 1 ]; then
	IN_NETNS=1 exec unshare --net bash "$here/$(basename "$0")" "$@"
fi
cd "$here"
ip link set lo up

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the traffic: one python3 function per case -------------------------
cat >"$tmp/traffic.py" <<'EOF'
import socket, struct, sys, time

PORT = 9999


def pair(fam=socket.AF_INET, host='127.0.0.1', rcvbuf=None):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, PORT))
    srv.listen(1)
    c = socket.socket(fam, socket.SOCK_STREAM)
    if rcvbuf:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    c.connect((host, PORT))
    a, _ = srv.accept()
    srv.close()
    return c, a


def pause():
    time.sleep(0.1)


def close(fam=socket.AF_INET, host='127.0.0.1'):
    # handshake, a request and a reply, FIN from the client first
    c, a = pair(fam, host)
    c.sendall(b'hello\n'); pause()
    a.recv(100)
    a.sendall(b'world\n'); pause()
    c.recv(100)
    c.close(); pause()
    a.close(); pause()


def ipv6():
    close(socket.AF_INET6, '::1')


def rst_unread():
    # close() with unread data sends RST (RFC 2525 section 2.17)
    c, a = pair()
    c.sendall(b'never read'); pause()
    a.close(); pause()
    try:
        c.recv(100)
    except OSError:
        pass
    c.close()


def rst_after_close():
    # data to a socket that was closed: bare [R] with the ACK's number
    c, a = pair()
    a.close(); pause()
    c.sendall(b'late'); pause()
    try:
        c.sendall(b'later'); pause()
    except OSError:
        pass
    c.close(); pause()


def linger0():
    c, a = pair()
    c.sendall(b'bye'); pause()
    a.recv(100)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close(); pause()
    a.close()


def urg():
    c, a = pair()
    c.sendall(b'abc'); pause()
    c.send(b'!', socket.MSG_OOB); pause()
    a.recv(100)
    c.close(); pause()
    a.close(); pause()


def refused():
    c = socket.socket()
    try:
        c.connect(('127.0.0.1', PORT))
    except OSError:
        pass
    c.close()
    c = socket.socket(socket.AF_INET6)
    try:
        c.connect(('::1', PORT))
    except OSError:
        pass
    c.close()


def wscale():
    # a small receive buffer gives a smaller window scale; data in bulk
    c, a = pair(rcvbuf=4096)
    a.sendall(b'x' * 3000); pause()
    got = 0
    while got < 3000:
        got += len(c.recv(4096))
    a.shutdown(socket.SHUT_WR); pause()
    c.sendall(b'half-closed but still talking'); pause()
    a.recv(100)
    c.close(); pause()
    a.close(); pause()


def icmp_checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def udp_icmp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b'to nobody', ('127.0.0.1', PORT)); pause()
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(('127.0.0.1', PORT))
    u.sendto(b'to somebody', ('127.0.0.1', PORT)); pause()
    srv.recvfrom(100)
    srv.close()
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.sendto(b'to nobody6', ('::1', PORT)); pause()
    # ping: ICMP echo request, the kernel answers
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    body = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'abcdefgh'
    body = body[:2] + struct.pack('!H', icmp_checksum(body)) + body[4:]
    r.sendto(body, ('127.0.0.1', 0)); pause()
    r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    r6.sendto(struct.pack('!BBHHH', 128, 0, 0, 0x4321, 7) + b'ping6', ('::1', 0))
    pause()


def many():
    # several conversations at once, for -i any
    close()
    close(socket.AF_INET6, '::1')
    refused()


globals()[sys.argv[1].replace('-', '_')]()
EOF

# capture NAME CASE [TCPDUMP OPTIONS...]: runs the case while tcpdump
# writes NAME.pcap
capture() {
	local name=$1 case=$2 pid i
	shift 2
	tcpdump -n -U -Z root --immediate-mode "$@" -w "$tmp/$name.pcap" \
		'tcp port 9999 or udp port 9999 or icmp or icmp6' \
		2>"$tmp/$name.log" &
	pid=$!
	for i in $(seq 50); do
		grep -q 'listening on' "$tmp/$name.log" && break
		sleep 0.1
	done
	python3 "$tmp/traffic.py" "$case"
	sleep 0.3
	kill -INT "$pid"
	wait "$pid" || true
	mv "$tmp/$name.pcap" "$here/$name.pcap"
	printf '%-22s %3d packets\n' "$name.pcap" \
		"$(tcpdump -n -r "$here/$name.pcap" 2>/dev/null | wc -l)"
}

names=("$@")
w() { [ ${#names[@]} -eq 0 ] || [[ " ${names[*]} " == *" $1 "* ]]; }

sysctl -q net.ipv4.tcp_ecn=2
w close && capture close close -i lo
w ipv6 && capture ipv6 ipv6 -i lo
w rst-unread && capture rst-unread rst-unread -i lo
w rst-after-close && capture rst-after-close rst-after-close -i lo
w linger0 && capture linger0 linger0 -i lo
w urg && capture urg urg -i lo
w refused && capture refused refused -i lo
w wscale && capture wscale wscale -i lo -s 200
w udp-icmp && capture udp-icmp udp-icmp -i lo
w snap30 && capture snap30 close -i lo -s 30
w snap40 && capture snap40 close -i lo -s 40
w snap54 && capture snap54 close -i lo -s 54
w snap60 && capture snap60 close -i lo -s 60
w snap74 && capture snap74 ipv6 -i lo -s 74
w snap90 && capture snap90 ipv6 -i lo -s 90
w any-sll2 && capture any-sll2 many -i any
w any-sll && capture any-sll many -i any -y LINUX_SLL
w any-sll-snap && capture any-sll-snap close -i any -s 50
w nano && capture nano close -i lo --time-stamp-precision=nano
w ecn && { sysctl -q net.ipv4.tcp_ecn=1; capture ecn close -i lo;
	   sysctl -q net.ipv4.tcp_ecn=2; }

# --- crafted captures ------------------------------------------------------
w crafted && python3 - "$here" <<'EOF'
import os, struct, sys

out = sys.argv[1]


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s >> 16) + (s & 0xffff)
    return ~s & 0xffff


def ip4(src, dst, proto, payload, total=None, hl=5, opts=b'', off=0, ver=4,
        fix=True):
    tl = total if total is not None else 4 * hl + len(payload)
    h = struct.pack('!BBHHHBBH4s4s', ver << 4 | hl, 0, tl, 1, off, 64, proto,
                    0, bytes(src), bytes(dst)) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, nh, payload, plen=None):
    pl = plen if plen is not None else len(payload)
    return struct.pack('!IHBB16s16s', 6 << 28, pl, nh, 64, bytes(src),
                       bytes(dst)) + payload


def pseudo4(src, dst, proto, seg):
    return bytes(src) + bytes(dst) + struct.pack('!BBH', 0, proto, len(seg))


def pseudo6(src, dst, proto, seg):
    return bytes(src) + bytes(dst) + struct.pack('!IxxxB', len(seg), proto)


def tcp(sport, dport, seq, ack, flags, opts=b'', data=b'', win=65535,
        urp=0, doff=None, pseudo=None):
    if len(opts) % 4:
        opts += b'\0' * (4 - len(opts) % 4)
    d = doff if doff is not None else 5 + len(opts) // 4
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq & M, ack & M, d << 4, flags,
                      win, 0, urp) + opts + data
    if pseudo:
        c = csum(pseudo(seg) + seg)
        seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    return seg


def udp(sport, dport, data, ulen=None, pseudo=None):
    seg = struct.pack('!HHHH', sport, dport,
                      ulen if ulen is not None else 8 + len(data), 0) + data
    if pseudo:
        seg = seg[:6] + struct.pack('!H', csum(pseudo(seg) + seg) or 0xffff) \
            + seg[8:]
    return seg


def icmp(t, code, rest, body=b''):
    m = struct.pack('!BBH', t, code, 0) + rest + body
    return m[:2] + struct.pack('!H', csum(m)) + m[4:]


M = 0xffffffff
A = [127, 0, 0, 1]
B = [127, 0, 0, 2]
A6 = [0] * 15 + [1]
B6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]
LL6 = [0xfe, 0x80] + [0] * 13 + [1]
MAC1 = b'\x02\x00\x00\x00\x00\x01'
MAC2 = b'\x02\x00\x00\x00\x00\x02'

F, S, R, P, Ack, U, E, W = 1, 2, 4, 8, 16, 32, 64, 128


def eth(payload, etype=0x0800, src=MAC1, dst=MAC2):
    return dst + src + struct.pack('!H', etype) + payload


class Pcap:
    def __init__(self, name, linktype=1, nano=False):
        self.f = open(os.path.join(out, name), 'wb')
        magic = 0xa1b23c4d if nano else 0xa1b2c3d4
        self.f.write(struct.pack('<IHHiIII', magic, 2, 4, 0, 0, 65535,
                                 linktype))
        self.t = 1700000000
        self.frac = 0

    def add(self, pkt, caplen=None, wirelen=None, t=None):
        if t is None:
            self.frac += 12345
            t = (self.t, self.frac)
        cap = pkt[:caplen] if caplen is not None else pkt
        self.f.write(struct.pack('<IIII', t[0], t[1], len(cap),
                                 wirelen if wirelen is not None else len(pkt)))
        self.f.write(cap)

    def close(self):
        self.f.close()


def t4(src, dst, *a, **k):
    k['pseudo'] = lambda seg: pseudo4(src, dst, 6, seg)
    return eth(ip4(src, dst, 6, tcp(*a, **k)))


def t6(src, dst, *a, **k):
    k['pseudo'] = lambda seg: pseudo6(src, dst, 6, seg)
    return eth(ip6(src, dst, 6, tcp(*a, **k)), 0x86dd)


MSS = b'\x02\x04\xff\xd7'
SACKOK = b'\x04\x02'
TS = b'\x08\x0a' + struct.pack('!II', 1000, 0)
WS = b'\x01\x03\x03\x07'


def sack(*blocks):
    return b'\x01\x01\x05' + bytes([2 + 8 * len(blocks)]) + b''.join(
        struct.pack('!II', s & M, e & M) for s, e in blocks)


# SACK on an IPv4 and an IPv6 conversation: blocks print relative to the
# conversation's numbers, like ack
p = Pcap('sack.pcap')
cs, ss = 1000000, 5000000
p.add(t4(A, B, 40000, 9999, cs, 0, S, MSS + SACKOK + TS + WS))
p.add(t4(B, A, 9999, 40000, ss, cs + 1, S | Ack, MSS + SACKOK + TS + WS))
p.add(t4(A, B, 40000, 9999, cs + 1, ss + 1, Ack))
for i in range(4):
    p.add(t4(A, B, 40000, 9999, cs + 1 + 100 * i, ss + 1, P | Ack,
             data=b'd' * 100))
p.add(t4(B, A, 9999, 40000, ss + 1, cs + 101, Ack, sack((cs + 201, cs + 301))))
p.add(t4(B, A, 9999, 40000, ss + 1, cs + 101, Ack,
         sack((cs + 201, cs + 301), (cs + 401, cs + 501))))
p.add(t4(B, A, 9999, 40000, ss + 1, cs + 101, Ack,
         sack((cs + 201, cs + 301), (cs + 401, cs + 501), (1, 2))))
p.add(t4(B, A, 9999, 40000, ss + 1, cs + 101, Ack, b'\x05\x07abcde'))
p.add(t4(A, B, 40000, 9999, cs + 101, ss + 1, Ack, sack((ss + 1, ss + 5))))
p.add(t4(B, A, 9999, 40000, ss + 1, cs + 501, R | Ack))
c6, s6 = 0xfffffff0, 7
p.add(t6(A6, A6, 50000, 9999, c6, 0, S, MSS + SACKOK))
p.add(t6(A6, A6, 9999, 50000, s6, c6 + 1, S | Ack, MSS + SACKOK))
p.add(t6(A6, A6, 50000, 9999, c6 + 1, s6 + 1, P | Ack, data=b'x' * 40))
p.add(t6(A6, A6, 9999, 50000, s6 + 1, c6 + 1, Ack,
         sack((c6 + 21, c6 + 41))))
p.close()

# TCP options tcpdump knows and some it does not, and broken ones
p = Pcap('options.pcap')
opts = [
    b'\x13\x12' + bytes(range(16)),                 # md5
    b'\x22\x02',                                    # tfo cookie request
    b'\x22\x0a' + bytes(range(8)),                  # tfo cookie
    b'\x22\x05abc',                                 # tfo invalid
    b'\xfe\x04\xf9\x89',                            # exp-tfo cookiereq
    b'\xfe\x08\xf9\x89\x01\x02\x03\x04',            # exp-tfo cookie
    b'\xfe\x06\x12\x34\x00\x00',                    # exp other magic
    b'\x1c\x04\x80\x03',                            # uto
    b'\x1c\x04\x80\x02',
    b'\x1d\x08\x01\x02\xaa\xbb\xcc\xdd',            # tcp-ao
    b'\x1d\x03\x01',                                # tcp-ao invalid
    b'\x63\x04\xde\xad',                            # unknown-99
    b'\x63\x02',                                    # unknown, no data
    b'\x14\x04\x01\x02',                            # scps
    b'\x06\x06\x00\x00\x00\x07',                    # echo
    b'\x07\x06\x00\x00\x00\x08',                    # echoreply
    b'\x0b\x06\x00\x00\x00\x09',                    # cc
    b'\x0c\x06\x00\x00\x00\x0a',                    # ccnew
    b'\x0d\x06\x00\x00\x00\x0b',                    # ccecho
    b'\x02\x05\x05\xb4\x00',                        # mss [len 5]
    b'\x00\x01\x01\x01',                            # eol then junk
    b'\x01\x01\x02',                                # truncated option
    b'\x02\x01',                                    # len < 2: bad opt
    b'\x02\x28\x05\xb4',                            # len too long: bad opt
    b'\x01\x01\x02\x28',
    b'\x08\x06\x00\x00\x00\x01',                    # TS too short
    b'\x05\x02',                                    # empty sack
    MSS + SACKOK + TS + WS,
]
port = 41000
for o in opts:
    p.add(t4(A, B, port, 9999, 1, 0, S, o))
    port += 1
# cut short inside the options (snap length)
for cut in (55, 56, 58, 60, 62, 66, 70, 74):
    p.add(t4(A, B, port, 9999, 1, 0, S, MSS + SACKOK + TS + WS), caplen=cut)
    port += 1
p.add(t4(A, B, port, 9999, 1, 0, S, b'\x13\x12' + bytes(range(16)),
         data=b'signed'), caplen=80)
p.close()

# flags, header lengths, sequence-number corner cases
p = Pcap('flags.pcap')
for f in (0, F, S, R, P, Ack, U, E, W, 0xff, S | E | W, F | P | Ack,
          R | Ack, U | Ack):
    p.add(t4(A, B, 42000, 9999, 0xdeadbeef, 0x12345678, f, urp=7,
             data=b'x' if f & F else b''))
p.add(t4(A, B, 42001, 9999, 5, 6, P | Ack, data=b'fin+data'))
p.add(t4(A, B, 42001, 9999, 13, 6, F | P | Ack, data=b'more'))
p.add(t4(B, A, 9999, 42001, 6, 18, R | Ack, data=b'reset reason'))
p.add(t4(B, A, 9999, 42001, 6, 0, R, data=b'bare reset'))
# same port both ways: the address decides the direction
p.add(t4(B, A, 7777, 7777, 100, 200, Ack))
p.add(t4(A, B, 7777, 7777, 200, 101, Ack, data=b'abc'))
p.add(t4(B, A, 7777, 7777, 101, 203, Ack))
# a new SYN restarts the numbering, and a packet without ACK is absolute
p.add(t4(A, B, 42001, 9999, 900, 0, S))
p.add(t4(B, A, 9999, 42001, 1900, 901, S | Ack))
p.add(t4(A, B, 42001, 9999, 901, 1901, Ack, data=b'y' * 10))
p.add(t4(A, B, 42001, 9999, 911, 0, P, data=b'z'))
# bad data offsets
p.add(t4(A, B, 42002, 9999, 1, 2, Ack, doff=4))
p.add(t4(A, B, 42002, 9999, 1, 2, Ack, doff=0))
p.add(t4(A, B, 42002, 9999, 1, 2, Ack, doff=15))
p.add(t4(A, B, 42002, 9999, 1, 2, Ack, data=b'x' * 8, doff=7))
p.close()

# IPv4/IPv6 headers: lengths, versions, fragments, other protocols
p = Pcap('ip.pcap')
seg = tcp(43000, 9999, 1, 2, Ack, data=b'payload!')
p.add(eth(ip4(A, B, 6, seg, total=200)))             # truncated-ip
p.add(eth(ip4(A, B, 6, seg, total=10)))              # bad-len
p.add(eth(ip4(A, B, 6, seg, total=0)))               # TSO guess
p.add(eth(ip4(A, B, 6, seg, hl=4)))                  # bad-hlen
p.add(eth(ip4(A, B, 6, seg, ver=5)))
p.add(eth(ip4(A, B, 6, seg, hl=6, opts=b'\x01\x01\x01\x00')))
p.add(eth(ip4(A, B, 6, seg + b'trailer', total=20 + len(seg))))
p.add(eth(ip4(A, B, 6, seg, off=0x2000)))            # first fragment
p.add(eth(ip4(A, B, 6, seg, off=0x0010)))            # later fragment
p.add(eth(ip4(A, B, 17, seg, off=0x2010)))
p.add(eth(ip4(A, B, 253, b'exp')))
p.add(eth(ip4(A, B, 6, b'')))
p.add(eth(ip4(A, B, 6, seg[:3])))
p.add(eth(ip4(A, B, 6, seg[:12])))
p.add(eth(ip4(A, B, 6, seg)), caplen=14 + 20 + 3)
p.add(eth(ip4(A, B, 6, seg)), caplen=14 + 20 + 12)
p.add(eth(ip4(A, B, 6, seg)), caplen=14 + 19)
p.add(eth(ip4(A, B, 6, seg)), caplen=14 + 10)
p.add(eth(ip4(A, B, 6, seg)), caplen=10)
p.add(eth(ip4(A, B, 6, seg)), caplen=14)
p.add(eth(ip6(A6, B6, 6, seg, plen=300)), 0x86dd)
p.add(eth(ip6(A6, B6, 6, seg), 0x86dd), caplen=14 + 30)
p.add(eth(ip6(A6, B6, 6, seg), 0x86dd), caplen=14 + 41)
p.add(eth(ip6(A6, B6, 6, b''), 0x86dd))
p.add(eth(ip6(A6, B6, 59, b''), 0x86dd))
p.add(eth(ip6(A6, B6, 253, b'exp'), 0x86dd))
p.add(eth(ip4(A, B, 6, seg)[:16], 0x86dd))           # IPv4 in an IPv6 frame
p.add(eth(ip6(LL6, B6, 6, seg)), 0x0800)             # and the other way
addrs6 = [[0] * 16, [0] * 10 + [0xff, 0xff, 10, 0, 0, 1],
          [0] * 12 + [10, 0, 0, 1], [0] * 14 + [1, 0],
          [0x20, 1, 0, 0, 0, 1] + [0] * 9 + [1],
          [0x20, 1, 0, 1, 0, 0, 0, 1] + [0] * 7 + [1],
          [0xff, 2] + [0] * 13 + [1], [1] * 16,
          [0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]]
for x in addrs6:
    p.add(eth(ip6(x, A6, 6, tcp(1, 2, 3, 4, S)), 0x86dd))
p.close()

# UDP, ICMP, ICMPv6, ARP
p = Pcap('other.pcap')
u = lambda *a, **k: udp(*a, pseudo=lambda s: pseudo4(A, B, 17, s), **k)
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello'))))
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello', ulen=100))))
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello', ulen=4))))
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello', ulen=9))))
p.add(eth(ip4(A, B, 17, b'abc')))
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello', ulen=100), off=0x2000)))
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello'))), caplen=14 + 20 + 3)
p.add(eth(ip4(A, B, 17, u(5000, 9999, b'hello'))), caplen=14 + 20 + 5)
p.add(eth(ip6(A6, B6, 17, udp(5000, 9999, b'six')), 0x86dd))
inner = ip4(B, A, 17, udp(5000, 9999, b'to nobody'))
for code in (0, 1, 2, 3):
    p.add(eth(ip4(A, B, 1, icmp(3, code, b'\0' * 4, inner))))
inner6 = ip4(B, A, 6, tcp(5000, 9999, 1, 0, S))
p.add(eth(ip4(A, B, 1, icmp(3, 3, b'\0' * 4, inner6))))
p.add(eth(ip4(A, B, 1, icmp(8, 0, struct.pack('!HH', 7, 8), b'ping'))))
p.add(eth(ip4(A, B, 1, icmp(0, 0, struct.pack('!HH', 7, 8), b'ping'))))
p.add(eth(ip4(A, B, 1, icmp(11, 0, b'\0' * 4, inner))))
p.add(eth(ip4(A, B, 1, icmp(8, 0, b'\0\0'))))
p.add(eth(ip6(A6, B6, 58, icmp(128, 0, struct.pack('!HH', 1, 2), b'x')),
          0x86dd))
p.add(eth(ip6(A6, B6, 58, icmp(129, 0, struct.pack('!HH', 1, 2), b'x')),
          0x86dd))
p.add(eth(ip6(LL6, B6, 58, icmp(135, 0, b'\0' * 4, bytes(B6))), 0x86dd))
p.add(eth(ip6(LL6, B6, 58, icmp(136, 0, b'\0' * 4, bytes(B6))), 0x86dd))
arp = lambda op, tha: struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + MAC1 + \
    bytes(A) + tha + bytes(B)
p.add(eth(arp(1, b'\0' * 6) + b'\0' * 18, 0x0806, dst=b'\xff' * 6))
p.add(eth(arp(1, MAC2), 0x0806))
p.add(eth(arp(2, MAC2), 0x0806))
p.close()

# time stamps: a gap of more than a day, and one packet out of order
p = Pcap('times.pcap')
seg = lambda n: t4(A, B, 44000, 9999, n, 0, S)
p.add(seg(1), t=(1700000000, 999999))
p.add(seg(2), t=(1700000001, 0))
p.add(seg(3), t=(1700000000, 500000))
p.add(seg(4), t=(1700000000 + 90061, 7))
p.add(seg(5), t=(1699999990, 999999))
p.close()

# other link types, each with a small conversation
def conv(add, wrap4, wrap6):
    add(wrap4(ip4(A, B, 6, tcp(45000, 9999, 10, 0, S, MSS))))
    add(wrap4(ip4(B, A, 6, tcp(9999, 45000, 20, 11, S | Ack, MSS))))
    add(wrap4(ip4(A, B, 6, tcp(45000, 9999, 11, 21, P | Ack, data=b'hi'))))
    add(wrap6(ip6(A6, A6, 6, tcp(45001, 9999, 10, 0, S))))
    add(wrap6(ip6(A6, A6, 6, tcp(9999, 45001, 20, 11, S | Ack))))
    add(wrap6(ip6(A6, A6, 6, tcp(45001, 9999, 11, 21, F | Ack))))


for name, lt, w4, w6 in (
        ('raw.pcap', 101, lambda b: b, lambda b: b),
        ('null.pcap', 0, lambda b: struct.pack('<I', 2) + b,
         lambda b: struct.pack('<I', 24) + b),
        ('null-be.pcap', 0, lambda b: struct.pack('>I', 2) + b,
         lambda b: struct.pack('>I', 30) + b),
        ('ipv4-ipv6.pcap', 228, lambda b: b, lambda b: b)):
    p = Pcap(name, lt)
    conv(p.add, w4, w6)
    p.close()
EOF
exit 0
