// Validates the LoRaWAN codec test vectors by recomputing them from the specifications
// with node's built-in crypto only (AES-128-ECB; AES-CMAC per RFC 4493 implemented below).
//
//   node tests/vectors/known-answers/check.mjs            # checks both files below
//   node tests/vectors/known-answers/check.mjs FILE.json  # checks the given file(s)
//
// Files (schemas: see the "schema" string in known-answers.json and the header of
// tests/vectors/lora-packet/generate.mjs):
//   tests/WirelessNet.LoRaWan.Tests/Vectors/known-answers.json   (published vectors)
//   tests/WirelessNet.LoRaWan.Tests/Vectors/lora-packet-frames.json (lora-packet cross-check)
// Every output field present in a case is recomputed from its input fields; any
// mismatch is printed and the exit code is 1. No dependency outside node itself.
//
// The spec reference implementation (section 1) is exported for reuse by
// tests/vectors/lora-packet/generate.mjs; running this file performs the checks (section 2).

// ================= section 1: reference implementation =================
// Minimal, dependency-free LoRaWAN crypto reference written straight from the
// specifications (LoRaWAN 1.0.x §4.3.3/§4.4/§6.2, LoRaWAN 1.1 §4.3.3/§4.4/§6.2.x,
// LoRaWAN 1.1 errata / CR "FCntDwn usage in FOpts encryption", RFC 4493),
// built only on node's built-in `crypto` (AES-128-ECB). Used to validate
// known-answers.json and lora-packet-frames.json independently of any LoRaWAN library.
//
// Conventions for every function here:
//   * keys, blocks and byte strings are Buffers in the order AES consumes them / wire order;
//   * devAddr, netId are unsigned integers (their big-endian display value);
//   * devEui / joinEui are Buffers in big-endian display order (MSB first);
//   * counters / nonces are unsigned integers.
import crypto from "node:crypto";

export const hex = (b) => Buffer.from(b).toString("hex");
export const unhex = (s) => Buffer.from(s, "hex");

export function aesEncrypt(key, block) {
  const c = crypto.createCipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

export function aesDecrypt(key, block) {
  const c = crypto.createDecipheriv("aes-128-ecb", key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function dbl(b) {
  const out = Buffer.alloc(16);
  let carry = 0;
  for (let i = 15; i >= 0; i--) {
    const v = (b[i] << 1) | carry;
    out[i] = v & 0xff;
    carry = (b[i] >> 7) & 1;
  }
  if (b[0] & 0x80) out[15] ^= 0x87;
  return out;
}

/** AES-CMAC (RFC 4493), full 16-byte tag. */
export function aesCmac(key, msg) {
  const L = aesEncrypt(key, Buffer.alloc(16));
  const K1 = dbl(L);
  const K2 = dbl(K1);
  const n = Math.max(1, Math.ceil(msg.length / 16));
  const complete = msg.length > 0 && msg.length % 16 === 0;
  const last = Buffer.alloc(16);
  if (complete) {
    msg.copy(last, 0, (n - 1) * 16, n * 16);
    for (let i = 0; i < 16; i++) last[i] ^= K1[i];
  } else {
    const rem = msg.length - (n - 1) * 16;
    msg.copy(last, 0, (n - 1) * 16, (n - 1) * 16 + rem);
    last[rem] = 0x80;
    for (let i = 0; i < 16; i++) last[i] ^= K2[i];
  }
  let X = Buffer.alloc(16);
  for (let i = 0; i < n - 1; i++) {
    const Y = Buffer.alloc(16);
    for (let j = 0; j < 16; j++) Y[j] = X[j] ^ msg[i * 16 + j];
    X = aesEncrypt(key, Y);
  }
  const Y = Buffer.alloc(16);
  for (let j = 0; j < 16; j++) Y[j] = X[j] ^ last[j];
  return aesEncrypt(key, Y);
}

const u32le = (v) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const u16le = (v) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v & 0xffff);
  return b;
};
const u24le = (v) => Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
const rev = (b) => Buffer.from(b).reverse();

/** B0/B1 style block: 0x49 | f1..f4 | Dir | DevAddr | FCnt32 | 0x00 | len */
function micBlock(b1to4, dir, devAddr, fCnt32, len) {
  return Buffer.concat([Buffer.from([0x49]), b1to4, Buffer.from([dir]), u32le(devAddr), u32le(fCnt32), Buffer.from([0x00, len])]);
}

/** LoRaWAN 1.0.x data MIC (uplink and downlink); msg = MHDR|FHDR|FPort|FRMPayload. dir 0 = up, 1 = down. */
export function dataMic10(nwkSKey, dir, devAddr, fCnt32, msg) {
  const b0 = micBlock(Buffer.alloc(4), dir, devAddr, fCnt32, msg.length);
  return aesCmac(nwkSKey, Buffer.concat([b0, msg])).subarray(0, 4);
}

/** LoRaWAN 1.1 uplink MIC = cmacS[0..1] | cmacF[0..1]. */
export function dataMicUp11(fNwkSIntKey, sNwkSIntKey, confFCnt, txDr, txCh, devAddr, fCnt32, msg) {
  const b0 = micBlock(Buffer.alloc(4), 0, devAddr, fCnt32, msg.length);
  const b1 = micBlock(Buffer.concat([u16le(confFCnt), Buffer.from([txDr, txCh])]), 0, devAddr, fCnt32, msg.length);
  const cmacF = aesCmac(fNwkSIntKey, Buffer.concat([b0, msg]));
  const cmacS = aesCmac(sNwkSIntKey, Buffer.concat([b1, msg]));
  return Buffer.concat([cmacS.subarray(0, 2), cmacF.subarray(0, 2)]);
}

/** LoRaWAN 1.1 downlink MIC (B0 carries ConfFCnt). */
export function dataMicDown11(sNwkSIntKey, confFCnt, devAddr, fCnt32, msg) {
  const b0 = micBlock(Buffer.concat([u16le(confFCnt), Buffer.alloc(2)]), 1, devAddr, fCnt32, msg.length);
  return aesCmac(sNwkSIntKey, Buffer.concat([b0, msg])).subarray(0, 4);
}

/** FRMPayload encryption/decryption (same operation): Ai = 0x01|0x00000000|Dir|DevAddr|FCnt32|0x00|i (i from 1). */
export function frmPayloadCrypt(key, dir, devAddr, fCnt32, data) {
  const out = Buffer.alloc(data.length);
  for (let i = 0; i * 16 < data.length; i++) {
    const a = Buffer.concat([Buffer.from([0x01, 0, 0, 0, 0, dir]), u32le(devAddr), u32le(fCnt32), Buffer.from([0x00, i + 1])]);
    const s = aesEncrypt(key, a);
    for (let j = 0; j < 16 && i * 16 + j < data.length; j++) out[i * 16 + j] = data[i * 16 + j] ^ s[j];
  }
  return out;
}

/**
 * LoRaWAN 1.1 FOpts encryption with NwkSEncKey.
 * variant "errata" (LoRaWAN 1.1 errata / CR-FCntDwn; ChirpStack, lora-packet, TTN):
 *   A = 0x01 | 0x00 0x00 0x00 | a4 | Dir | DevAddr | FCnt32 | 0x00 | 0x01,
 *   a4 = 0x01 for FCntUp / NFCntDown, 0x02 for AFCntDown (downlink with FPort > 0).
 * variant "original" (LoRaWAN 1.1 spec as published, §4.3.1.6): A[4]=0x00, A[15]=0x00.
 */
export function fOptsCrypt11(nwkSEncKey, dir, devAddr, fCnt32, aFCntDown, data, variant = "errata") {
  const a4 = variant === "errata" ? (aFCntDown ? 0x02 : 0x01) : 0x00;
  const a15 = variant === "errata" ? 0x01 : 0x00;
  const a = Buffer.concat([Buffer.from([0x01, 0, 0, 0, a4, dir]), u32le(devAddr), u32le(fCnt32), Buffer.from([0x00, a15])]);
  const s = aesEncrypt(nwkSEncKey, a);
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i] ^ s[i];
  return out;
}

/** Join-Request / Rejoin-Request / 1.0 Join-Accept MIC: first 4 bytes of CMAC over MHDR|MACPayload. */
export function plainMic(key, mhdrAndMacPayload) {
  return aesCmac(key, mhdrAndMacPayload).subarray(0, 4);
}

/** LoRaWAN 1.1 Join-Accept MIC (OptNeg=1): CMAC(JSIntKey, JoinReqType|JoinEUI|DevNonce|MHDR|JoinAccept fields). */
export function joinAcceptMic11(jsIntKey, joinReqType, joinEuiBE, devNonce, mhdrAndMacPayload) {
  const msg = Buffer.concat([Buffer.from([joinReqType]), rev(joinEuiBE), u16le(devNonce), mhdrAndMacPayload]);
  return aesCmac(jsIntKey, msg).subarray(0, 4);
}

/** Join-Accept "encryption" = AES-ECB *decrypt* of (MACPayload|MIC) with the key; returns ciphertext. */
export function joinAcceptEncrypt(key, macPayloadAndMic) {
  return aesDecrypt(key, macPayloadAndMic);
}
export function joinAcceptDecrypt(key, encrypted) {
  return aesEncrypt(key, encrypted);
}

function deriveBlock(prefix, parts) {
  const b = Buffer.alloc(16);
  b[0] = prefix;
  Buffer.concat(parts).copy(b, 1);
  return b;
}

/** LoRaWAN 1.0.x: NwkSKey/AppSKey = aes128_encrypt(AppKey, 0x01|0x02 | AppNonce | NetID | DevNonce | pad16). */
export function keys10(appKey, joinNonce, netId, devNonce) {
  const p = [u24le(joinNonce), u24le(netId), u16le(devNonce)];
  return { nwkSKey: aesEncrypt(appKey, deriveBlock(0x01, p)), appSKey: aesEncrypt(appKey, deriveBlock(0x02, p)) };
}

/** LoRaWAN 1.1 (OptNeg=1): session keys from JoinNonce|JoinEUI|DevNonce. */
export function keys11(appKey, nwkKey, joinNonce, joinEuiBE, devNonce) {
  const p = [u24le(joinNonce), rev(joinEuiBE), u16le(devNonce)];
  return {
    fNwkSIntKey: aesEncrypt(nwkKey, deriveBlock(0x01, p)),
    appSKey: aesEncrypt(appKey, deriveBlock(0x02, p)),
    sNwkSIntKey: aesEncrypt(nwkKey, deriveBlock(0x03, p)),
    nwkSEncKey: aesEncrypt(nwkKey, deriveBlock(0x04, p)),
  };
}

/** LoRaWAN 1.1 join-server keys: JSEncKey = aes(NwkKey, 0x05|DevEUI|pad), JSIntKey = aes(NwkKey, 0x06|DevEUI|pad). */
export function jsKeys(nwkKey, devEuiBE) {
  return {
    jsEncKey: aesEncrypt(nwkKey, deriveBlock(0x05, [rev(devEuiBE)])),
    jsIntKey: aesEncrypt(nwkKey, deriveBlock(0x06, [rev(devEuiBE)])),
  };
}

/** Little helpers (exported for check.mjs / generate.mjs). */
export const util = { u16le, u24le, u32le, rev };

// namespace used by the checks below (and by tests/vectors/lora-packet/generate.mjs)
export const ref = { hex, unhex, aesEncrypt, aesDecrypt, aesCmac, dataMic10, dataMicUp11, dataMicDown11, frmPayloadCrypt, fOptsCrypt11, plainMic, joinAcceptMic11, joinAcceptEncrypt, joinAcceptDecrypt, keys10, keys11, jsKeys, util };

// ================= section 2: checks =================
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
const VEC = path.resolve(here, "../../WirelessNet.LoRaWan.Tests/Vectors");
const files = isMain && process.argv.length > 2 ? process.argv.slice(2) : [path.join(VEC, "known-answers.json"), path.join(VEC, "lora-packet-frames.json")];

const HEX = /^([0-9a-f]{2})*$/;

let failures = 0;
let checks = 0;
let current = "";
function eq(got, want, what) {
  checks++;
  const g = Buffer.isBuffer(got) ? hex(got) : JSON.stringify(got);
  const w = Buffer.isBuffer(want) ? hex(want) : JSON.stringify(want);
  if (g !== w) {
    failures++;
    console.error(`FAIL ${current}: ${what}: computed ${g}, recorded ${w}`);
  }
}
function b(c, field, len) {
  const v = c[field];
  if (typeof v !== "string" || !HEX.test(v)) throw new Error(`${field} is not lower-case hex: ${JSON.stringify(v)}`);
  const buf = unhex(v);
  if (len !== undefined && buf.length !== len) throw new Error(`${field} has ${buf.length} bytes, expected ${len}`);
  return buf;
}
const has = (c, f) => Object.prototype.hasOwnProperty.call(c, f) && c[f] !== undefined;
const be = (c, f, len) => b(c, f, len).readUIntBE(0, len);
const dirN = (d) => {
  if (d === "up") return 0;
  if (d === "down") return 1;
  throw new Error(`bad direction ${d}`);
};
// ---------------------------------------------------------------- data frames
function checkDataFrame(c) {
  const phy = b(c, "phyPayload");
  const v = c.lorawanVersion;
  const mhdr = phy[0];
  const mType = mhdr >> 5;
  if (has(c, "mType")) eq(mType, c.mType, "MHDR MType");
  eq(mhdr & 0x1f, 0, "MHDR RFU/Major");
  if (mType < 2 || mType > 5) throw new Error("not a data frame");
  const up = mType === 2 || mType === 4;
  if (has(c, "direction")) eq(up ? "up" : "down", c.direction, "direction");
  if (has(c, "confirmed")) eq(mType >= 4, c.confirmed, "confirmed");
  const devAddr = phy.readUInt32LE(1);
  eq(be(c, "devAddr", 4), devAddr, "DevAddr (wire little-endian)");
  const fCtrl = phy[5];
  if (has(c, "fCtrl")) eq(b(c, "fCtrl", 1)[0], fCtrl, "FCtrl");
  for (const [f, bit] of [["adr", 0x80], ["adrAckReq", 0x40], ["ack", 0x20], ["fPending", 0x10]]) if (has(c, f)) eq(!!(fCtrl & bit), c[f], `FCtrl.${f}`);
  const fCnt16 = phy.readUInt16LE(6);
  const fCnt32 = c.fCnt32 >>> 0;
  eq(fCnt32 & 0xffff, fCnt16, "FCnt low 16 bits");
  const fOptsLen = fCtrl & 0x0f;
  if (has(c, "fOptsLen")) eq(fOptsLen, c.fOptsLen, "FOptsLen");
  const fOptsWire = phy.subarray(8, 8 + fOptsLen);
  if (has(c, "fOptsWire")) eq(fOptsWire, b(c, "fOptsWire"), "FOpts on wire");
  const rest = phy.subarray(8 + fOptsLen, phy.length - 4);
  const fPort = rest.length ? rest[0] : null;
  eq(fPort, c.fPort, "FPort");
  const frm = rest.subarray(1);
  if (has(c, "frmPayload")) eq(frm, b(c, "frmPayload"), "FRMPayload on wire");
  const mic = phy.subarray(phy.length - 4);
  eq(mic, b(c, "mic", 4), "MIC field");
  const msg = phy.subarray(0, phy.length - 4);
  const d = up ? 0 : 1;

  // FOpts
  const fOptsEncrypted = has(c, "fOptsEncrypted") ? c.fOptsEncrypted : v === "1.1" && fOptsLen > 0;
  if (has(c, "fOpts")) {
    if (fOptsEncrypted) {
      const aF = !up && fPort !== null && fPort > 0;
      if (has(c, "aFCntDown")) eq(aF, c.aFCntDown, "aFCntDown flag");
      eq(ref.fOptsCrypt11(b(c, "nwkSEncKey", 16), d, devAddr, fCnt32, aF, fOptsWire), b(c, "fOpts"), "FOpts decryption (errata A-block)");
    } else eq(fOptsWire, b(c, "fOpts"), "FOpts plaintext == wire");
  }
  // FRMPayload
  if (has(c, "plaintext") && frm.length > 0) {
    let key;
    if (has(c, "frmPayloadKey")) key = b(c, "frmPayloadKey", 16);
    else if (fPort === 0) key = b(c, v === "1.0" ? "nwkSKey" : "nwkSEncKey", 16);
    else key = b(c, "appSKey", 16);
    eq(ref.frmPayloadCrypt(key, d, devAddr, fCnt32, frm), b(c, "plaintext"), "FRMPayload decryption");
  } else if (has(c, "plaintext")) eq(c.plaintext, "", "empty plaintext");
  // MIC
  let calc;
  if (v === "1.0") calc = ref.dataMic10(b(c, "nwkSKey", 16), d, devAddr, fCnt32, msg);
  else if (v === "1.1" && up) {
    if ((fCtrl & 0x20) === 0) eq(c.confFCnt, 0, "confFCnt must be 0 without ACK");
    calc = ref.dataMicUp11(b(c, "fNwkSIntKey", 16), b(c, "sNwkSIntKey", 16), c.confFCnt, c.txDr, c.txCh, devAddr, fCnt32, msg);
  } else if (v === "1.1") {
    if ((fCtrl & 0x20) === 0) eq(c.confFCnt, 0, "confFCnt must be 0 without ACK");
    calc = ref.dataMicDown11(b(c, "sNwkSIntKey", 16), c.confFCnt, devAddr, fCnt32, msg);
  } else throw new Error(`bad lorawanVersion ${v}`);
  eq(calc, mic, "MIC computation");
}

function checkDataMic(c) {
  const msg = b(c, "msg");
  const devAddr = be(c, "devAddr", 4);
  const d = dirN(c.direction);
  let calc;
  if (c.lorawanVersion === "1.0") calc = ref.dataMic10(b(c, "nwkSKey", 16), d, devAddr, c.fCnt32 >>> 0, msg);
  else if (d === 0) calc = ref.dataMicUp11(b(c, "fNwkSIntKey", 16), b(c, "sNwkSIntKey", 16), c.confFCnt, c.txDr, c.txCh, devAddr, c.fCnt32 >>> 0, msg);
  else calc = ref.dataMicDown11(b(c, "sNwkSIntKey", 16), c.confFCnt, devAddr, c.fCnt32 >>> 0, msg);
  eq(calc, b(c, "mic", 4), "MIC");
}

// ---------------------------------------------------------------- join
function checkJoinRequest(c) {
  const phy = b(c, "phyPayload", 23);
  const key = b(c, has(c, "key") ? "key" : "appKey", 16);
  eq(phy[0], 0x00, "MHDR");
  eq(rev(phy.subarray(1, 9)), b(c, "joinEui", 8), "JoinEUI (wire reversed)");
  eq(rev(phy.subarray(9, 17)), b(c, "devEui", 8), "DevEUI (wire reversed)");
  eq(phy.readUInt16LE(17), c.devNonce, "DevNonce");
  eq(phy.subarray(19), b(c, "mic", 4), "MIC field");
  eq(ref.plainMic(key, phy.subarray(0, 19)), phy.subarray(19), "MIC computation");
}

function checkRejoin(c) {
  const phy = b(c, "phyPayload");
  eq(phy[0], 0xc0, "MHDR");
  eq(phy[1], c.rejoinType, "RejoinType");
  let key;
  if (has(c, "key")) key = b(c, "key", 16);
  else key = b(c, c.rejoinType === 1 ? "jsIntKey" : "sNwkSIntKey", 16);
  if (has(c, "micKey")) eq(c.micKey, c.rejoinType === 1 ? "jsIntKey" : "sNwkSIntKey", "micKey role");
  if (c.rejoinType === 1) {
    eq(phy.length, 24, "length");
    eq(rev(phy.subarray(2, 10)), b(c, "joinEui", 8), "JoinEUI");
    eq(rev(phy.subarray(10, 18)), b(c, "devEui", 8), "DevEUI");
    eq(phy.readUInt16LE(18), c.rjCount, "RJcount1");
  } else {
    eq(phy.length, 19, "length");
    eq(rev(phy.subarray(2, 5)), b(c, "netId", 3), "NetID");
    eq(rev(phy.subarray(5, 13)), b(c, "devEui", 8), "DevEUI");
    eq(phy.readUInt16LE(13), c.rjCount, "RJcount0");
  }
  eq(phy.subarray(phy.length - 4), b(c, "mic", 4), "MIC field");
  eq(ref.plainMic(key, phy.subarray(0, phy.length - 4)), phy.subarray(phy.length - 4), "MIC computation");
}

function checkJoinAccept(c) {
  const plain = b(c, "plainPhyPayload");
  if (plain.length !== 17 && plain.length !== 33) throw new Error("join-accept length");
  eq(plain[0], 0x20, "MHDR");
  eq(plain.readUIntLE(1, 3), c.joinNonce, "JoinNonce");
  eq(rev(plain.subarray(4, 7)), b(c, "netId", 3), "NetID");
  eq(rev(plain.subarray(7, 11)), b(c, "devAddr", 4), "DevAddr");
  eq(plain.subarray(11, 12), b(c, "dlSettings", 1), "DLSettings");
  eq(plain.subarray(12, 13), b(c, "rxDelay", 1), "RxDelay");
  eq(plain.subarray(13, plain.length - 4), b(c, "cfList"), "CFList");
  const optNeg = !!(plain[11] & 0x80);
  eq(optNeg, c.optNeg, "OptNeg");
  eq(optNeg ? "1.1" : "1.0", c.lorawanVersion, "lorawanVersion vs OptNeg");
  if (has(c, "rx1DrOffset")) eq((plain[11] >> 4) & 7, c.rx1DrOffset, "RX1DROffset");
  if (has(c, "rx2DataRate")) eq(plain[11] & 0x0f, c.rx2DataRate, "RX2DataRate");
  const mic = plain.subarray(plain.length - 4);
  eq(mic, b(c, "mic", 4), "MIC field");
  const body = plain.subarray(0, plain.length - 4);
  const micKey = has(c, "micKey") ? b(c, "micKey", 16) : optNeg ? b(c, "jsIntKey", 16) : b(c, "appKey", 16);
  const calc = optNeg ? ref.joinAcceptMic11(micKey, b(c, "joinReqType", 1)[0], b(c, "joinEui", 8), c.devNonce, body) : ref.plainMic(micKey, body);
  eq(calc, mic, "MIC computation");
  if (has(c, "phyPayload")) {
    const encKey = has(c, "encryptionKey") ? b(c, "encryptionKey", 16) : b(c, "appKey", 16);
    const phy = b(c, "phyPayload", plain.length);
    eq(phy[0], plain[0], "MHDR not encrypted");
    eq(ref.joinAcceptEncrypt(encKey, plain.subarray(1)), phy.subarray(1), "encryption (aes128_decrypt)");
    eq(ref.joinAcceptDecrypt(encKey, phy.subarray(1)), plain.subarray(1), "decryption (aes128_encrypt)");
  }
  // lora-packet-frames extras: derived JS keys
  if (has(c, "nwkKey") && has(c, "devEui")) {
    const js = ref.jsKeys(b(c, "nwkKey", 16), b(c, "devEui", 8));
    if (has(c, "jsIntKey")) eq(js.jsIntKey, b(c, "jsIntKey", 16), "JSIntKey");
    if (has(c, "jsEncKey")) eq(js.jsEncKey, b(c, "jsEncKey", 16), "JSEncKey");
    if (has(c, "encryptionKey")) eq(c.joinReqType === "ff" ? b(c, "nwkKey") : js.jsEncKey, b(c, "encryptionKey"), "encryption key role");
  }
}

// ---------------------------------------------------------------- keys
function checkKeys10(c) {
  const k = ref.keys10(b(c, "appKey", 16), c.joinNonce, be(c, "netId", 3), c.devNonce);
  if (has(c, "nwkSKey")) eq(k.nwkSKey, b(c, "nwkSKey", 16), "NwkSKey");
  if (has(c, "appSKey")) eq(k.appSKey, b(c, "appSKey", 16), "AppSKey");
}
function checkKeys11(c) {
  const k = ref.keys11(b(c, "appKey", 16), b(c, "nwkKey", 16), c.joinNonce, b(c, "joinEui", 8), c.devNonce);
  for (const f of ["fNwkSIntKey", "sNwkSIntKey", "nwkSEncKey", "appSKey"]) if (has(c, f)) eq(k[f], b(c, f, 16), f);
  if (has(c, "devEui")) checkJsKeys(c);
}
function checkJsKeys(c) {
  const k = ref.jsKeys(b(c, "nwkKey", 16), b(c, "devEui", 8));
  if (has(c, "jsIntKey")) eq(k.jsIntKey, b(c, "jsIntKey", 16), "JSIntKey");
  if (has(c, "jsEncKey")) eq(k.jsEncKey, b(c, "jsEncKey", 16), "JSEncKey");
}
function checkKeysRelay(c) {
  const blk = (p, rest) => {
    const x = Buffer.alloc(16);
    x[0] = p;
    rest.copy(x, 1);
    return x;
  };
  const root = ref.aesEncrypt(b(c, "nwkSEncKey", 16), blk(0x01, Buffer.alloc(0)));
  eq(root, b(c, "rootWorSKey", 16), "RootWorSKey");
  if (!has(c, "devAddr")) return;
  const da = rev(b(c, "devAddr", 4));
  if (has(c, "worSIntKey")) eq(ref.aesEncrypt(root, blk(0x01, da)), b(c, "worSIntKey", 16), "WorSIntKey");
  if (has(c, "worSEncKey")) eq(ref.aesEncrypt(root, blk(0x02, da)), b(c, "worSEncKey", 16), "WorSEncKey");
}

// ---------------------------------------------------------------- dispatch
const checkers = {
  aes128Encrypt: (c) => eq(ref.aesEncrypt(b(c, "key", 16), b(c, "plaintext", 16)), b(c, "ciphertext", 16), "AES-128"),
  aesCmac: (c) => eq(ref.aesCmac(b(c, "key", 16), b(c, "message")), b(c, "cmac", 16), "AES-CMAC"),
  dataFrame: checkDataFrame,
  data: checkDataFrame,
  dataMic: checkDataMic,
  frmPayloadCrypt: (c) => eq(ref.frmPayloadCrypt(b(c, "key", 16), dirN(c.direction), be(c, "devAddr", 4), c.fCnt32 >>> 0, b(c, "plaintext")), b(c, "ciphertext"), "FRMPayload encryption"),
  fOptsCrypt: (c) => {
    if (!["errata", "original"].includes(c.variant)) throw new Error("variant");
    if (c.direction === "up") eq(c.aFCntDown, false, "aFCntDown on uplink");
    eq(ref.fOptsCrypt11(b(c, "nwkSEncKey", 16), dirN(c.direction), be(c, "devAddr", 4), c.fCnt32 >>> 0, c.aFCntDown, b(c, "plaintext"), c.variant), b(c, "ciphertext"), `FOpts encryption (${c.variant})`);
  },
  joinRequest: checkJoinRequest,
  rejoinRequest: checkRejoin,
  joinAccept: checkJoinAccept,
  joinAcceptMic: (c) => eq(ref.joinAcceptMic11(b(c, "key", 16), b(c, "joinReqType", 1)[0], b(c, "joinEui", 8), c.devNonce, b(c, "msg")), b(c, "mic", 4), "1.1 join-accept MIC"),
  joinAcceptCrypt: (c) => {
    eq(ref.joinAcceptEncrypt(b(c, "key", 16), b(c, "plaintext")), b(c, "ciphertext"), "join-accept encryption");
    eq(ref.joinAcceptDecrypt(b(c, "key", 16), b(c, "ciphertext")), b(c, "plaintext"), "join-accept decryption");
  },
  keys10: checkKeys10,
  keys11: checkKeys11,
  jsKeys: checkJsKeys,
  keysRelay: checkKeysRelay,
};

if (isMain) {
  for (const file of files) {
    if (!fs.existsSync(file)) {
      console.error(`missing ${file}`);
      failures++;
      continue;
    }
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const counts = {};
    const ids = new Set();
    const isKnown = path.basename(file) === "known-answers.json";
    doc.cases.forEach((c, i) => {
      current = `${path.basename(file)}#${i}${c.id ? " " + c.id : ""} (${c.kind})`;
      if (isKnown) {
        if (!c.id || ids.has(c.id)) {
          failures++;
          console.error(`FAIL ${current}: missing or duplicate id`);
        }
        ids.add(c.id);
        if (!c.source) {
          failures++;
          console.error(`FAIL ${current}: no source`);
        }
      }
      const fn = checkers[c.kind];
      if (!fn) {
        failures++;
        console.error(`FAIL ${current}: unknown kind`);
        return;
      }
      try {
        fn(c);
      } catch (e) {
        failures++;
        console.error(`FAIL ${current}: ${e.message}`);
      }
      counts[c.kind] = (counts[c.kind] || 0) + 1;
    });
    console.log(`${path.basename(file)}: ${doc.cases.length} cases ${JSON.stringify(counts)}`);
  }
  console.log(`${checks} checks, ${failures} failures`);
  process.exit(failures ? 1 : 0);
}
