// Regenerate: cd tests/vectors/lora-packet && npm ci && node generate.mjs
//
// Writes tests/WirelessNet.LoRaWan.Tests/Vectors/lora-packet-frames.json: cross-check
// vectors produced by an independent LoRaWAN implementation, the npm package
// lora-packet (version pinned in package.json / package-lock.json). Inputs come from a
// fixed-seed mulberry32 PRNG (no Math.random), so the output is byte-for-byte
// reproducible. Before writing, every case is
//   (a) decoded back with lora-packet (fromWire, verifyMIC, decrypt, decryptFOpts,
//       decryptJoinAccept) and compared with the inputs, and
//   (b) recomputed with ../known-answers/check.mjs (its from-the-spec
//       implementation over node's built-in crypto),
// and the script aborts on any mismatch.
//
// ---------------------------------------------------------------------------------
// JSON format
// ---------------------------------------------------------------------------------
// { "generator": "lora-packet@0.9.3", "seed": <uint32>, "prng": "mulberry32",
//   "conventions": "...", "counts": { kind: n }, "cases": [ case, ... ] }
//
// Conventions (all cases):
//   * every byte string is lower-case hex without separators;
//   * keys: 32 hex chars, in the order AES consumes them (as written in LoRaWAN tools);
//   * devAddr (8 hex), devEui / joinEui (16 hex), netId (6 hex): big-endian display
//     order, i.e. the REVERSE of their wire order (lora-packet stores them this way:
//     DevAddr "01020304" is sent as 04 03 02 01);
//   * counters and nonces (fCnt32, joinNonce, devNonce, rjCount, confFCnt) are JSON
//     integers; on the wire they are little-endian;
//   * phyPayload: the complete frame as on the wire (MHDR ... MIC);
//   * mic: the 4 MIC bytes in wire order (= last 4 bytes of phyPayload);
//   * cfList: 16 bytes in wire order.
//
// kind "data" (Unconfirmed/Confirmed Data Up/Down):
//   lorawanVersion "1.0" | "1.1"; mType 2..5 (2 UnconfUp, 3 UnconfDown, 4 ConfUp,
//   5 ConfDown); direction "up"|"down"; confirmed bool;
//   devAddr; fCnt32 (full 32-bit counter; the frame carries fCnt32 & 0xffff; the MIC
//   and the encryption blocks use all 32 bits);
//   fCtrl (hex byte as on the wire incl. FOptsLen), adr, adrAckReq (bit 6; uplink only,
//   always false downlink), ack (bit 5), fPending (bit 4 = FPending downlink,
//   ClassB uplink), fOptsLen;
//   fOpts: plaintext FOpts (MAC commands; random bytes here), fOptsWire: FOpts as
//   sent (== fOpts in 1.0; encrypted with nwkSEncKey in 1.1);
//   fPort: null when absent, else 0..223; plaintext: decrypted FRMPayload;
//   frmPayload: FRMPayload as on the wire (encrypted);
//   1.0 keys: nwkSKey (MIC + FRMPayload when fPort 0), appSKey (FRMPayload fPort>0);
//   1.1 keys: fNwkSIntKey, sNwkSIntKey, nwkSEncKey (FOpts + FRMPayload when fPort 0),
//   appSKey (FRMPayload fPort>0);
//   1.1 uplink: confFCnt (0 unless ack), txDr, txCh; MIC = cmacS[0..1]|cmacF[0..1];
//   1.1 downlink: confFCnt (0 unless ack); aFCntDown (true when fPort>0, i.e. the
//   FOpts A-block uses A[4]=0x02, else 0x01 — the LoRaWAN 1.1 errata variant);
//   mic; phyPayload.
// kind "joinRequest": appKey (1.0 AppKey / 1.1 NwkKey), joinEui, devEui, devNonce,
//   mic, phyPayload.
// kind "rejoinRequest" (LoRaWAN 1.1): rejoinType 0|1|2; type 0/2: netId, devEui,
//   rjCount (RJcount0), micKey = sNwkSIntKey; type 1: joinEui, devEui, rjCount
//   (RJcount1), micKey = jsIntKey; fields sNwkSIntKey / jsIntKey; mic; phyPayload.
// kind "joinAccept": lorawanVersion "1.0"|"1.1"; joinNonce (AppNonce in 1.0), netId,
//   devAddr, dlSettings (hex byte; bit 7 = OptNeg), rx1DrOffset, rx2DataRate, optNeg,
//   rxDelay (hex byte), cfList (hex or "" when absent);
//   1.0: appKey (MIC key and encryption key);
//   1.1: joinReqType (0xff Join-Request, 0/1/2 Rejoin type), joinEui, devNonce,
//        jsIntKey (MIC key), encryptionKey (NwkKey for joinReqType 0xff, JSEncKey for
//        rejoins), nwkKey, jsEncKey;
//   plainPhyPayload: MHDR|fields|MIC unencrypted; mic; phyPayload: encrypted frame
//   (MHDR | aes128_decrypt(key, fields|MIC)).
// kind "keys10": appKey, joinNonce, netId, devNonce -> nwkSKey, appSKey.
// kind "keys11": appKey, nwkKey, joinNonce, joinEui, devNonce, devEui -> fNwkSIntKey,
//   sNwkSIntKey, nwkSEncKey, appSKey, jsIntKey, jsEncKey.
// kind "keysRelay" (TS011 relay WOR keys as implemented by lora-packet):
//   nwkSEncKey, devAddr -> rootWorSKey, worSIntKey, worSEncKey.
// ---------------------------------------------------------------------------------
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { ref } from "../known-answers/check.mjs";

const require = createRequire(import.meta.url);
const lp = require("lora-packet");
const lpVersion = require("lora-packet/package.json").version;

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(here, "../../WirelessNet.LoRaWan.Tests/Vectors/lora-packet-frames.json");
const SEED = 0x4c6f5241; // "LoRA"

// ---------------- PRNG ----------------
function mulberry32(a) {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
const bool = (p = 0.5) => rnd() < p;
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
const pick = (arr) => arr[int(0, arr.length - 1)];
const u32 = () => (int(0, 0xffff) * 0x10000 + int(0, 0xffff)) >>> 0;

const hex = (b) => Buffer.from(b).toString("hex");
const be = (v, n) => {
  const b = Buffer.alloc(n);
  for (let i = n - 1; i >= 0; i--) {
    b[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return b;
};
const fcntMsbLE = (f) => Buffer.from([(f >>> 16) & 0xff, (f >>> 24) & 0xff]);

function fail(msg, c) {
  console.error("SANITY CHECK FAILED: " + msg);
  console.error(JSON.stringify(c, null, 1));
  process.exit(1);
}
function expectEq(a, b, what, c) {
  const ha = Buffer.isBuffer(a) ? hex(a) : String(a);
  const hb = Buffer.isBuffer(b) ? hex(b) : String(b);
  if (ha !== hb) fail(`${what}: ${ha} != ${hb}`, c);
}

function pickFCnt32() {
  const r = rnd();
  if (r < 0.05) return pick([0, 1, 0xfffe, 0xffff, 0x10000, 0x10001, 0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000]);
  if (r < 0.35) return int(0, 0xffff);
  if (r < 0.55) return int(0x10000, 0xfffff);
  return u32();
}

function pickPayloadLen(max) {
  const r = rnd();
  if (r < 0.15) return Math.min(max, pick([0, 1, 2, 15, 16, 17, 31, 32, 33, 48, 51, 64, 115, 222, 242]));
  if (r < 0.65) return int(0, Math.min(max, 64));
  return int(0, max);
}

// ---------------- data frames ----------------
function genData(version, mType) {
  const up = mType === 2 || mType === 4;
  const dir = up ? "up" : "down";
  const devAddrB = bytes(4);
  const devAddr = devAddrB.readUInt32BE(0);
  const fCnt32 = pickFCnt32();
  const fcnt16 = fCnt32 & 0xffff;

  // FPort: absent / 0 / 1..223
  const pr = rnd();
  let fPort = pr < 0.12 ? null : pr < 0.27 ? 0 : pr < 0.35 ? pick([1, 2, 223]) : int(1, 223);
  const fOptsLen = fPort === 0 ? 0 : bool(0.45) ? int(1, 15) : 0;
  const fOpts = bytes(fOptsLen);
  const maxPayload = 242 - fOptsLen;
  // FRMPayload only with FPort; with FPort present allow 0 bytes too
  // FRMPayload only with FPort (FPort present + empty FRMPayload is allowed);
  // FPort 0 carries MAC commands, kept short
  const plaintext = fPort === null ? Buffer.alloc(0) : bytes(pickPayloadLen(fPort === 0 ? Math.min(maxPayload, 64) : maxPayload));

  const adr = bool();
  const adrAckReq = up ? bool(0.3) : false;
  const ack = bool(0.35);
  const fPending = bool(0.3);

  const c = { kind: "data", lorawanVersion: version, mType, direction: dir, confirmed: mType >= 4 };
  c.devAddr = hex(devAddrB);
  c.fCnt32 = fCnt32;

  let keys;
  if (version === "1.0") keys = { nwkSKey: bytes(16), appSKey: bytes(16) };
  else keys = { fNwkSIntKey: bytes(16), sNwkSIntKey: bytes(16), nwkSEncKey: bytes(16), appSKey: bytes(16) };
  // 1.1 MIC extras
  let confFCnt = 0,
    txDr = 0,
    txCh = 0;
  if (version === "1.1") {
    if (ack) confFCnt = int(0, 0xffff);
    if (up) {
      txDr = int(0, 15);
      txCh = int(0, 255);
    }
  }

  const fields = {
    MType: mType,
    DevAddr: devAddrB,
    FCtrl: { ADR: adr, ADRACKReq: adrAckReq, ACK: ack, FPending: fPending },
    FCnt: fcnt16,
    FOpts: fOpts,
    payload: plaintext,
  };
  if (fPort !== null) fields.FPort = fPort;
  const msb = fcntMsbLE(fCnt32);

  // Build through lora-packet's public API:
  //   1. frame with plaintext FRMPayload, no keys  -> layout (MHDR/FHDR/FPort)
  //   2. lp.decrypt() (XOR keystream) -> FRMPayload ciphertext
  //   3. frame again with ciphertext; 1.1: encryptFOpts(NwkSEncKey)
  //   4. lp.recalculateMIC() with the right key arguments.
  const frmKey = version === "1.0" ? (fPort === 0 ? keys.nwkSKey : keys.appSKey) : fPort === 0 ? keys.nwkSEncKey : keys.appSKey;
  let frmPayload = Buffer.alloc(0);
  if (plaintext.length > 0) {
    const tmp = lp.fromFields(fields);
    frmPayload = lp.decrypt(tmp, frmKey, frmKey, msb);
  }
  const pkt = lp.fromFields({ ...fields, payload: frmPayload });
  if (version === "1.0") {
    lp.recalculateMIC(pkt, keys.nwkSKey, undefined, Buffer.from(msb));
  } else {
    if (fOptsLen > 0) pkt.encryptFOpts(keys.nwkSEncKey, undefined, Buffer.from(msb));
    if (up) {
      // lora-packet (0.9.3) takes ConfFCnt big-endian in this buffer and swaps it
      // into the little-endian B1 block (mic.ts: writeUInt16BE(readUInt16LE(0))).
      // NwkSKey argument = FNwkSIntKey (B0 / cmacF), AppKey argument = SNwkSIntKey (B1 / cmacS).
      const extra = Buffer.concat([be(confFCnt, 2), Buffer.from([txDr, txCh])]);
      lp.recalculateMIC(pkt, keys.fNwkSIntKey, keys.sNwkSIntKey, Buffer.from(msb), extra);
    } else {
      // downlink: ConfFCnt as 2 bytes wire (little-endian) order; key = AppKey argument = SNwkSIntKey.
      const extra = Buffer.from([confFCnt & 0xff, confFCnt >> 8]);
      lp.recalculateMIC(pkt, keys.sNwkSIntKey, keys.sNwkSIntKey, Buffer.from(msb), extra);
    }
  }
  const phy = Buffer.from(pkt.getPHYPayload());

  c.fCtrl = hex(pkt.FCtrl);
  c.adr = adr;
  c.adrAckReq = adrAckReq;
  c.ack = ack;
  c.fPending = fPending;
  c.fOptsLen = fOptsLen;
  c.fOpts = hex(fOpts);
  c.fOptsWire = hex(pkt.FOpts);
  c.fPort = fPort;
  c.plaintext = hex(plaintext);
  c.frmPayload = hex(frmPayload);
  for (const [k, v] of Object.entries(keys)) c[k] = hex(v);
  if (version === "1.1") {
    c.confFCnt = confFCnt;
    if (up) {
      c.txDr = txDr;
      c.txCh = txCh;
    } else c.aFCntDown = fPort !== null && fPort > 0;
  }
  c.mic = hex(phy.subarray(phy.length - 4));
  c.phyPayload = hex(phy);

  // ---- (a) decode back with lora-packet ----
  const d = lp.fromWire(phy);
  expectEq(d.getMType(), ["", "", "Unconfirmed Data Up", "Unconfirmed Data Down", "Confirmed Data Up", "Confirmed Data Down"][mType], "mtype", c);
  expectEq(d.getDir(), dir, "dir", c);
  expectEq(d.DevAddr, devAddrB, "devaddr", c);
  expectEq(d.getFCnt(), fcnt16, "fcnt", c);
  expectEq(d.getFPort(), fPort, "fport", c);
  expectEq(d.getFCtrlACK(), ack, "ack", c);
  expectEq(d.getFCtrlADR(), adr, "adr", c);
  expectEq(d.getFCtrlADRACKReq(), adrAckReq, "adrackreq", c);
  expectEq(d.getFCtrlFPending(), fPending, "fpending", c);
  expectEq(d.FRMPayload, frmPayload, "frmpayload", c);
  if (plaintext.length > 0) expectEq(lp.decrypt(d, frmKey, frmKey, Buffer.from(msb)), plaintext, "decrypt", c);
  if (version === "1.0") {
    expectEq(d.FOpts, fOpts, "fopts", c);
    if (!lp.verifyMIC(d, keys.nwkSKey, undefined, Buffer.from(msb))) fail("verifyMIC 1.0", c);
  } else {
    if (up) {
      const extra = Buffer.concat([be(confFCnt, 2), Buffer.from([txDr, txCh])]);
      if (!lp.verifyMIC(d, keys.fNwkSIntKey, keys.sNwkSIntKey, Buffer.from(msb), extra)) fail("verifyMIC 1.1 up", c);
    } else {
      const extra = Buffer.from([confFCnt & 0xff, confFCnt >> 8]);
      if (!lp.verifyMIC(d, keys.sNwkSIntKey, keys.sNwkSIntKey, Buffer.from(msb), extra)) fail("verifyMIC 1.1 down", c);
    }
    if (fOptsLen > 0) expectEq(lp.fromWire(phy).decryptFOpts(keys.nwkSEncKey, undefined, Buffer.from(msb)), fOpts, "decryptFOpts", c);
  }
  // ---- (b) independent recomputation from the spec ----
  const dirN = up ? 0 : 1;
  const msg = phy.subarray(0, phy.length - 4);
  expectEq(ref.frmPayloadCrypt(frmKey, dirN, devAddr, fCnt32, plaintext), frmPayload, "ref frm", c);
  let refMic;
  if (version === "1.0") refMic = ref.dataMic10(keys.nwkSKey, dirN, devAddr, fCnt32, msg);
  else if (up) refMic = ref.dataMicUp11(keys.fNwkSIntKey, keys.sNwkSIntKey, confFCnt, txDr, txCh, devAddr, fCnt32, msg);
  else refMic = ref.dataMicDown11(keys.sNwkSIntKey, confFCnt, devAddr, fCnt32, msg);
  expectEq(refMic, phy.subarray(phy.length - 4), "ref mic", c);
  if (version === "1.1")
    expectEq(ref.fOptsCrypt11(keys.nwkSEncKey, dirN, devAddr, fCnt32, !up && fPort !== null && fPort > 0, fOpts), pkt.FOpts, "ref fopts", c);
  // wire layout
  const fhdrLen = 7 + fOptsLen;
  expectEq(phy.length, 1 + fhdrLen + (fPort === null ? 0 : 1) + frmPayload.length + 4, "length", c);
  expectEq(phy.subarray(1, 5), Buffer.from(devAddrB).reverse(), "devaddr wire order", c);
  expectEq(phy.readUInt16LE(6), fcnt16, "fcnt wire", c);
  return c;
}

// ---------------- join request ----------------
function genJoinRequest() {
  const appKey = bytes(16),
    joinEui = bytes(8),
    devEui = bytes(8),
    devNonce = int(0, 0xffff);
  const pkt = lp.fromFields({ MType: "Join Request", AppEUI: joinEui, DevEUI: devEui, DevNonce: be(devNonce, 2) }, undefined, undefined, appKey);
  const phy = Buffer.from(pkt.getPHYPayload());
  const c = { kind: "joinRequest", appKey: hex(appKey), joinEui: hex(joinEui), devEui: hex(devEui), devNonce, mic: hex(phy.subarray(19)), phyPayload: hex(phy) };
  const d = lp.fromWire(phy);
  expectEq(d.AppEUI, joinEui, "joineui", c);
  expectEq(d.DevEUI, devEui, "deveui", c);
  expectEq(d.DevNonce, be(devNonce, 2), "devnonce", c);
  if (!lp.verifyMIC(d, undefined, appKey)) fail("jr mic", c);
  expectEq(phy.length, 23, "jr len", c);
  expectEq(phy[0], 0x00, "jr mhdr", c);
  expectEq(phy.subarray(1, 9), Buffer.from(joinEui).reverse(), "jr joineui wire", c);
  expectEq(phy.readUInt16LE(17), devNonce, "jr devnonce wire", c);
  expectEq(ref.plainMic(appKey, phy.subarray(0, 19)), phy.subarray(19), "ref jr mic", c);
  return c;
}

// ---------------- rejoin request (1.1) ----------------
function genRejoin(type) {
  const sNwkSIntKey = bytes(16),
    jsIntKey = bytes(16),
    devEui = bytes(8),
    rjCount = int(0, 0xffff);
  let body, c;
  if (type === 1) {
    const joinEui = bytes(8);
    body = Buffer.concat([Buffer.from([0xc0, 1]), Buffer.from(joinEui).reverse(), Buffer.from(devEui).reverse(), ref.util.u16le(rjCount)]);
    c = { kind: "rejoinRequest", rejoinType: 1, joinEui: hex(joinEui), devEui: hex(devEui), rjCount, jsIntKey: hex(jsIntKey), sNwkSIntKey: hex(sNwkSIntKey), micKey: "jsIntKey" };
  } else {
    const netId = bytes(3);
    body = Buffer.concat([Buffer.from([0xc0, type]), Buffer.from(netId).reverse(), Buffer.from(devEui).reverse(), ref.util.u16le(rjCount)]);
    c = { kind: "rejoinRequest", rejoinType: type, netId: hex(netId), devEui: hex(devEui), rjCount, jsIntKey: hex(jsIntKey), sNwkSIntKey: hex(sNwkSIntKey), micKey: "sNwkSIntKey" };
  }
  // lora-packet has no fromFields for rejoins: parse a frame with a dummy MIC, compute the MIC.
  const tmp = lp.fromWire(Buffer.concat([body, Buffer.alloc(4)]));
  expectEq(tmp.isRejoinRequestMessage(), true, "rejoin type", c);
  expectEq(tmp.DevEUI, Buffer.from(type === 1 ? body.subarray(10, 18) : body.subarray(5, 13)).reverse(), "rejoin deveui parse", c);
  if (type !== 1) expectEq(tmp.NetID, Buffer.from(body.subarray(2, 5)).reverse(), "rejoin netid parse", c);
  else expectEq(tmp.JoinEUI, Buffer.from(body.subarray(2, 10)).reverse(), "rejoin joineui parse", c);
  const mic = lp.calculateMIC(tmp, sNwkSIntKey, jsIntKey);
  const phy = Buffer.concat([body, mic]);
  if (!lp.verifyMIC(lp.fromWire(phy), sNwkSIntKey, jsIntKey)) fail("rejoin mic", c);
  expectEq(ref.plainMic(type === 1 ? jsIntKey : sNwkSIntKey, body), mic, "ref rejoin mic", c);
  c.mic = hex(mic);
  c.phyPayload = hex(phy);
  return c;
}

// ---------------- join accept ----------------
function genJoinAccept(version) {
  const joinNonce = int(0, 0xffffff),
    netId = bytes(3),
    devAddrB = bytes(4);
  const optNeg = version === "1.1";
  const rx1 = int(0, 7),
    rx2 = int(0, 15);
  const dl = (optNeg ? 0x80 : 0) | (rx1 << 4) | rx2;
  const rxDelay = int(0, 15);
  const cfList = bool(0.5) ? Buffer.concat([bytes(15), Buffer.from([int(0, 1)])]) : Buffer.alloc(0);
  const c = { kind: "joinAccept", lorawanVersion: version, joinNonce, netId: hex(netId), devAddr: hex(devAddrB), dlSettings: hex([dl]), optNeg, rx1DrOffset: rx1, rx2DataRate: rx2, rxDelay: hex([rxDelay]), cfList: hex(cfList) };
  const fields = { MType: "Join Accept", AppNonce: be(joinNonce, 3), NetID: netId, DevAddr: devAddrB, DLSettings: dl, RxDelay: rxDelay, CFList: cfList };
  let pkt, micKey, encKey, jrt, joinEui, devNonce;
  if (!optNeg) {
    const appKey = bytes(16);
    c.appKey = hex(appKey);
    micKey = encKey = appKey;
    pkt = lp.fromFields(fields, undefined, undefined, appKey);
  } else {
    const nwkKey = bytes(16);
    const devEui = bytes(8);
    const js = ref.jsKeys(nwkKey, devEui);
    joinEui = bytes(8);
    devNonce = int(0, 0xffff);
    jrt = pick([0xff, 0xff, 0x00, 0x01, 0x02]);
    micKey = js.jsIntKey;
    encKey = jrt === 0xff ? nwkKey : js.jsEncKey;
    // cross-check lora-packet's JS key derivation
    const lpjs = lp.generateJSKeys(nwkKey, devEui);
    expectEq(lpjs.JSIntKey, js.jsIntKey, "jsintkey", c);
    expectEq(lpjs.JSEncKey, js.jsEncKey, "jsenckey", c);
    Object.assign(c, { joinReqType: hex([jrt]), joinEui: hex(joinEui), devNonce, devEui: hex(devEui), nwkKey: hex(nwkKey), jsIntKey: hex(js.jsIntKey), jsEncKey: hex(js.jsEncKey), encryptionKey: hex(encKey) });
    // NwkSKey argument = JSIntKey (MIC), AppKey argument = encryption key
    pkt = lp.fromFields({ ...fields, JoinReqType: Buffer.from([jrt]), AppEUI: joinEui, DevNonce: be(devNonce, 2) }, undefined, js.jsIntKey, encKey);
  }
  const phy = Buffer.from(pkt.getPHYPayload());
  // decrypt back with lora-packet and verify
  const plain = lp.decryptJoinAccept(lp.fromWire(phy), encKey);
  const d = lp.fromWire(plain);
  expectEq(d.AppNonce, be(joinNonce, 3), "ja joinnonce", c);
  expectEq(d.NetID, netId, "ja netid", c);
  expectEq(d.DevAddr, devAddrB, "ja devaddr", c);
  expectEq(d.DLSettings, Buffer.from([dl]), "ja dl", c);
  expectEq(d.RxDelay, Buffer.from([rxDelay]), "ja rxdelay", c);
  expectEq(d.CFList, cfList, "ja cflist", c);
  if (optNeg) {
    d.JoinReqType = Buffer.from([jrt]);
    d.AppEUI = joinEui;
    d.DevNonce = be(devNonce, 2);
    if (!lp.verifyMIC(d, micKey, encKey)) fail("ja mic 1.1", c);
  } else if (!lp.verifyMIC(d, undefined, micKey)) fail("ja mic 1.0", c);
  const body = plain.subarray(0, plain.length - 4);
  const mic = plain.subarray(plain.length - 4);
  const refMic = optNeg ? ref.joinAcceptMic11(micKey, jrt, joinEui, devNonce, body) : ref.plainMic(micKey, body);
  expectEq(refMic, mic, "ref ja mic", c);
  expectEq(Buffer.concat([phy.subarray(0, 1), ref.joinAcceptEncrypt(encKey, plain.subarray(1))]), phy, "ref ja enc", c);
  expectEq(plain.length, cfList.length ? 33 : 17, "ja length", c);
  c.plainPhyPayload = hex(plain);
  c.mic = hex(mic);
  c.phyPayload = hex(phy);
  return c;
}

// ---------------- key derivation ----------------
function genKeys10() {
  const appKey = bytes(16),
    joinNonce = int(0, 0xffffff),
    netId = bytes(3),
    devNonce = int(0, 0xffff);
  const k = lp.generateSessionKeys10(appKey, netId, be(joinNonce, 3), be(devNonce, 2));
  const c = { kind: "keys10", appKey: hex(appKey), joinNonce, netId: hex(netId), devNonce, nwkSKey: hex(k.NwkSKey), appSKey: hex(k.AppSKey) };
  const r = ref.keys10(appKey, joinNonce, netId.readUIntBE(0, 3), devNonce);
  expectEq(r.nwkSKey, k.NwkSKey, "ref nwkskey", c);
  expectEq(r.appSKey, k.AppSKey, "ref appskey", c);
  return c;
}

function genKeys11() {
  const appKey = bytes(16),
    nwkKey = bytes(16),
    joinNonce = int(0, 0xffffff),
    joinEui = bytes(8),
    devNonce = int(0, 0xffff),
    devEui = bytes(8);
  const k = lp.generateSessionKeys11(appKey, nwkKey, joinEui, be(joinNonce, 3), be(devNonce, 2));
  const js = lp.generateJSKeys(nwkKey, devEui);
  const c = {
    kind: "keys11",
    appKey: hex(appKey),
    nwkKey: hex(nwkKey),
    joinNonce,
    joinEui: hex(joinEui),
    devNonce,
    devEui: hex(devEui),
    fNwkSIntKey: hex(k.FNwkSIntKey),
    sNwkSIntKey: hex(k.SNwkSIntKey),
    nwkSEncKey: hex(k.NwkSEncKey),
    appSKey: hex(k.AppSKey),
    jsIntKey: hex(js.JSIntKey),
    jsEncKey: hex(js.JSEncKey),
  };
  const r = ref.keys11(appKey, nwkKey, joinNonce, joinEui, devNonce);
  const rj = ref.jsKeys(nwkKey, devEui);
  for (const [a, b] of [
    [r.fNwkSIntKey, k.FNwkSIntKey],
    [r.sNwkSIntKey, k.SNwkSIntKey],
    [r.nwkSEncKey, k.NwkSEncKey],
    [r.appSKey, k.AppSKey],
    [rj.jsIntKey, js.JSIntKey],
    [rj.jsEncKey, js.JSEncKey],
  ])
    expectEq(a, b, "ref keys11", c);
  return c;
}

function genKeysRelay() {
  const nwkSEncKey = bytes(16),
    devAddrB = bytes(4);
  const root = lp.generateWORKey(nwkSEncKey).RootWorSKey;
  const s = lp.generateWORSessionKeys(root, devAddrB);
  const c = { kind: "keysRelay", nwkSEncKey: hex(nwkSEncKey), devAddr: hex(devAddrB), rootWorSKey: hex(root), worSIntKey: hex(s.WorSIntKey), worSEncKey: hex(s.WorSEncKey) };
  // TS011: RootWorSKey = aes128_encrypt(NwkSEncKey, 0x01 | pad16); WorS{Int,Enc}Key = aes128_encrypt(RootWorSKey, 0x01|0x02 | DevAddr(LE) | pad16)
  const blk = (p, rest) => {
    const b = Buffer.alloc(16);
    b[0] = p;
    rest.copy(b, 1);
    return b;
  };
  expectEq(ref.aesEncrypt(nwkSEncKey, blk(1, Buffer.alloc(0))), root, "ref root wor", c);
  expectEq(ref.aesEncrypt(root, blk(1, Buffer.from(devAddrB).reverse())), s.WorSIntKey, "ref worsint", c);
  expectEq(ref.aesEncrypt(root, blk(2, Buffer.from(devAddrB).reverse())), s.WorSEncKey, "ref worsenc", c);
  return c;
}

// ---------------- main ----------------
const cases = [];
for (let i = 0; i < 1150; i++) cases.push(genData("1.0", [2, 3, 4, 5][i % 4]));
for (let i = 0; i < 850; i++) cases.push(genData("1.1", [2, 3, 4, 5][i % 4]));
for (let i = 0; i < 150; i++) cases.push(genJoinRequest());
for (let i = 0; i < 90; i++) cases.push(genRejoin(i % 3));
for (let i = 0; i < 150; i++) cases.push(genJoinAccept("1.0"));
for (let i = 0; i < 150; i++) cases.push(genJoinAccept("1.1"));
for (let i = 0; i < 100; i++) cases.push(genKeys10());
for (let i = 0; i < 100; i++) cases.push(genKeys11());
for (let i = 0; i < 20; i++) cases.push(genKeysRelay());

const counts = {};
for (const c of cases) {
  const k = c.kind === "data" || c.kind === "joinAccept" ? `${c.kind}/${c.lorawanVersion}` : c.kind;
  counts[k] = (counts[k] || 0) + 1;
}

const doc = {
  generator: `lora-packet@${lpVersion}`,
  seed: SEED,
  prng: "mulberry32",
  conventions:
    "hex lower-case; keys in AES byte order; devAddr/devEui/joinEui/netId big-endian display order (reverse of wire order); fCnt32/joinNonce/devNonce/rjCount/confFCnt integers (little-endian on the wire); phyPayload/mic/cfList/fOpts/frmPayload in wire order; fPort null when absent. Full schema: tests/vectors/lora-packet/generate.mjs header.",
  counts,
  cases,
};
// one case per line keeps the file diff-friendly and small
const text = "{\n" + Object.entries(doc)
  .filter(([k]) => k !== "cases")
  .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
  .join("\n") + '\n  "cases": [\n' + cases.map((c) => "    " + JSON.stringify(c)).join(",\n") + "\n  ]\n}\n";
JSON.parse(text);
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, text);
console.log(`wrote ${cases.length} cases (${(text.length / 1024 / 1024).toFixed(2)} MiB) to ${OUT}`);
console.log(JSON.stringify(counts));
