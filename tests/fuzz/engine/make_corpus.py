#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the hand-made seeds of corpus/ (teardown scenarios in the byte language of
# segment_generator.h). Reproducers the fuzzer found are added to corpus/ as they are (crash-*).
#   python3 tests/fuzz/engine/make_corpus.py
import os

SYN, SYNACK, ACK, DATA, FIN, RST, RSTACK, RETX, TAP, HS, TD, ODD, FINNOACK, XFIN, FROZEN, INPUT = range(16)
# time classes
T0, US, MS, DS, TWB, S10, BACKUS, BACKDS = range(8)


def header(tw=0, rfc1337=0, reuse=2, batch=3, ports=0, threads=1, epoch=0, rerun=0, isn=0, seed=0):
    h0 = tw | rfc1337 << 3 | reuse << 4 | batch << 6
    h1 = ports | (threads == 2) << 2 | epoch << 3 | rerun << 4 | isn << 5
    return bytes([h0, h1, seed])


def op(action, flow=0, d=0, t=MS, m=0, seq=0, pay=0, hsh=0, tsmode=0, cut=0, extra=b''):
    return bytes([flow, action | d << 4 | tsmode << 5 | cut << 7, t | m << 3, seq | pay << 3 | hsh << 5]) + extra


def flow(client=0, server=0, cport=0, sport=0, v6=0, vlan=0):
    return client | server << 2 | cport << 3 | sport << 5 | v6 << 6 | vlan << 7


LOOP = flow(client=2, server=1)      # 127.0.0.1 -> 127.0.0.1
V6 = flow(v6=1)
seeds = {}

# The plain teardowns.
seeds['client-close'] = header() + op(HS) + op(DATA, pay=2) + op(DATA, d=1, pay=2) + op(TD, t=DS, m=3)
seeds['server-close'] = header() + op(HS) + op(DATA) + op(TD, d=1, t=DS)
seeds['simultaneous-close'] = header() + op(HS) + op(DATA) + op(XFIN, t=DS)
seeds['ipv6-client-close'] = header() + op(HS, flow=V6) + op(DATA, flow=V6) + op(TD, flow=V6, t=DS)
seeds['vlan-client-close'] = header() + op(HS, flow=flow(vlan=1)) + op(TD, flow=flow(vlan=1), t=DS)
seeds['rst-close'] = header() + op(HS) + op(DATA) + op(RSTACK, t=DS)
seeds['refused-syn'] = header() + op(SYN) + op(RSTACK, d=1)
seeds['syn-retransmitted'] = header() + op(SYN) + op(SYN, t=S10, m=0, seq=4) + op(SYNACK, d=1) + op(ACK) + op(TD)
seeds['mid-stream'] = header() + op(DATA, d=1) + op(DATA) + op(TD, d=1, t=DS)
seeds['half-close'] = (header() + op(HS) + op(FIN) + op(ACK, d=1) + op(DATA, d=1, pay=2) + op(DATA, d=1) +
                       op(ACK) + op(FIN, d=1) + op(ACK))
seeds['fin-without-ack'] = header() + op(HS) + op(FINNOACK) + op(FINNOACK, d=1) + op(ACK) + op(ACK, d=1)

# Lost final ACK: the passive closer's FIN comes again and is ACKed again (TIME_WAIT restarts).
seeds['lost-final-ack'] = (header() + op(HS) + op(DATA) + op(FIN) + op(ACK, d=1) + op(FIN, d=1) + op(ACK) +
                           op(RETX, d=1, t=DS, m=2) + op(RETX, t=MS))
seeds['lost-final-ack-wrap'] = (header(isn=3) + op(HS) + op(DATA, pay=2) + op(FIN) + op(ACK, d=1) +
                                op(FIN, d=1) + op(RETX, d=1, t=DS, m=2) + op(ACK))

# TIME_WAIT assassination: a RST at RCV.NXT into the client's TIME_WAIT (tcp_rfc1337 0 and 1).
assassin = op(HS) + op(TD, t=DS) + op(RST, d=1, t=S10, m=1)
seeds['assassination'] = header() + assassin
seeds['assassination-rfc1337'] = header(rfc1337=1) + assassin
seeds['rst-ack-into-time-wait'] = header() + op(HS) + op(TD, t=DS) + op(RSTACK, d=1, t=DS, m=5)

# Reuse: the 4-tuple opens again while TIME_WAIT holds it, or after it expired.
seeds['reuse-within-tw'] = header() + op(HS) + op(TD) + op(HS, t=DS, m=9)
seeds['reuse-within-tw-reuse1'] = header(reuse=1) + op(HS, flow=LOOP) + op(TD, flow=LOOP) + op(HS, flow=LOOP, t=DS, m=20)
seeds['reuse-loopback-reuse2'] = header(reuse=2) + op(HS, flow=LOOP) + op(TD, flow=LOOP) + op(HS, flow=LOOP, t=DS, m=20)
seeds['reuse-after-expiry'] = header() + op(HS) + op(TD) + op(HS, t=S10, m=7)
seeds['reuse-at-tw-boundary'] = header() + op(HS) + op(TD) + op(HS, t=TWB, m=16) + op(TD) + op(HS, t=TWB, m=15)
seeds['reuse-chain'] = header() + b''.join(op(HS, t=DS, m=5) + op(DATA) + op(TD) for _ in range(5))
seeds['syn-into-time-wait-acked'] = (header() + op(HS) + op(TD) + op(SYN, t=DS, m=3) + op(ACK, d=1, seq=3) +
                                     op(RST, seq=0) + op(SYN, t=US) + op(SYNACK, d=1) + op(ACK))
seeds['syn-to-last-ack'] = (header() + op(HS) + op(FIN) + op(ACK, d=1) + op(FIN, d=1) + op(SYN, t=DS, m=2) +
                            op(ACK, d=1, seq=3) + op(RST) + op(SYN, t=MS) + op(SYNACK, d=1) + op(ACK))
seeds['paws-old-timestamp'] = header() + op(HS) + op(TD) + op(SYN, t=DS, m=4, tsmode=3) + op(ACK, d=1, seq=3)

# Reconstructor bug R1b, fixed (tst_engine_fuzz_replay fixedReconstructorBugs): an ACK 200 s after
# the client's TIME_WAIT expired restarted it.
seeds['bug-r1b-ack-after-time-wait-expiry'] = header() + op(HS) + op(TD, t=DS) + op(ACK, d=1, t=S10, m=19)

# RFC 1337 H1/H2: an old duplicate, frozen ACKs both ways.
seeds['old-duplicate'] = header() + op(HS) + op(DATA) + op(DATA, seq=7, extra=b'\x10') + op(TD)
seeds['frozen-acks'] = header() + op(HS) + op(DATA) + op(FROZEN, m=4) + op(FROZEN, m=9) + op(TD)

# FIN_WAIT_2 timed out: the late FIN is answered by a RST.
seeds['fin-wait2-timeout'] = (header() + op(HS) + op(FIN) + op(ACK, d=1) + op(FIN, d=1, t=S10, m=8) +
                              op(RST, t=US))

# Capture oddities: tap copies, ties, time going back, two inputs, cut options, odd flags.
seeds['tap-duplicates'] = (header() + op(HS) + op(TAP, t=T0) + op(DATA) + op(TAP, t=US) + op(TD) +
                           op(TAP, t=T0) + op(DATA, hsh=6, t=US))
seeds['time-goes-back'] = header() + op(HS) + op(DATA) + op(DATA, d=1, t=BACKDS, m=3) + op(TD, t=BACKUS) + op(HS, flow=1, t=BACKDS, m=31)
seeds['two-inputs'] = header() + op(HS) + op(TD) + op(INPUT, flow=1) + op(HS, flow=1) + op(TD, flow=1, d=1)
seeds['options-cut'] = header() + op(HS, cut=1) + op(DATA, tsmode=1) + op(TD, cut=1, tsmode=2)
seeds['odd-flags'] = (header() + op(ODD, extra=b'\x03') + op(ODD, d=1, extra=b'\x06') + op(ODD, extra=b'\xff') +
                      op(ODD, d=1, extra=b'\x00') + op(ODD, extra=b'\x05') + op(ODD, extra=b'\x29'))
seeds['random-numbers'] = (header(isn=6, seed=77) + op(HS) + op(DATA, seq=5, extra=b'\x7f\xff\xff\xf0') +
                           op(ACK, d=1, seq=6, extra=b'\x80\x00\x00\x01') + op(FIN, seq=5, extra=b'\xff\xff\xff\xff') +
                           op(ACK, d=1) + op(FIN, d=1) + op(ACK))
seeds['big-payloads'] = (header() + op(HS) + op(DATA, pay=3, extra=b'\x06') + op(DATA, d=1, pay=3, extra=b'\x07') +
                         op(FIN, pay=3, extra=b'\x05') + op(TD, d=1))

# Settings: short, tiny and long TIME_WAIT, few ephemeral ports (exhaustion), batches, threads.
many = b''.join(op(HS, flow=flow(cport=p, sport=s), t=MS) + op(TD, flow=flow(cport=p, sport=s)) for p in range(4) for s in range(2))
seeds['exhaustion-two-ports'] = header(ports=1) + many + many
seeds['exhaustion-one-port'] = header(ports=2, batch=0) + many
seeds['tw-1ms'] = header(tw=4) + op(HS) + op(TD) + op(HS, t=TWB, m=17) + op(TD)
seeds['tw-1ns'] = header(tw=7, batch=1) + op(HS) + op(TD) + op(RST, d=1, t=T0) + op(HS, t=US)
seeds['tw-day'] = header(tw=6, reuse=0) + op(HS) + op(TD) + op(HS, t=S10, m=31)
seeds['two-threads'] = header(threads=2, rerun=1) + many + op(HS, flow=V6) + op(XFIN, flow=V6)
seeds['epoch-start'] = header(epoch=1) + op(HS) + op(TD, t=BACKDS, m=31) + op(HS, t=BACKUS)

# The tracker's sweep of closed connections (every 2^16 segments): a bulk after a long quiet spell.
seeds['bulk-sweep'] = (header(seed=0xB5) + op(HS) + op(TD) + op(HS, flow=2) + op(RSTACK, flow=2) +
                       op(INPUT, flow=1, d=1, t=S10, m=31) + op(HS) + op(TD) + op(HS, flow=2))

os.makedirs(os.path.join(os.path.dirname(__file__), 'corpus'), exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(os.path.dirname(__file__), 'corpus', name), 'wb') as f:
        f.write(data)
print(len(seeds), 'seeds')
