// Generates cross-check vectors for WirelessNet.Helium (keys, addresses, signatures, signed protobuf).
//
// Independent of the C# code under test: addresses come from Helium's own JavaScript library
// (@helium/address, base58check over bs58 + js-sha256), points and signatures from node:crypto (OpenSSL).
//
//   cd tests/vectors/helium-keys && npm ci && node generate.mjs
//
// Writes tests/WirelessNet.Helium.Tests/Vectors/helium-keys.json. Deterministic except the ECDSA
// signatures (OpenSSL draws a random k), which only ever need to verify.
import { createHash, createPrivateKey, createPublicKey, createECDH, ECDH, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import addressPackage from '@helium/address';

const Address = addressPackage.default ?? addressPackage;
const here = dirname(fileURLToPath(import.meta.url));
const outPath = join(here, '../../WirelessNet.Helium.Tests/Vectors/helium-keys.json');

const P = BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
const MAINNET = 0x00;
const TESTNET = 0x10;
const ECC_COMPACT = 0x00;
const ED25519 = 0x01;

const hex = (b) => Buffer.from(b).toString('hex');
const sha256 = (s) => createHash('sha256').update(s).digest();
const big = (b) => BigInt('0x' + hex(b));
const isCompactY = (y) => big(y) <= P - big(y);

// Deterministic test messages: the classic one from helium-crypto-rs tests and a ~60-byte one like a small uplink.
const messages = [Buffer.from('hello world'), Buffer.concat([sha256('wirelessnet/helium-keys/message/0'), sha256('wirelessnet/helium-keys/message/1')]).subarray(0, 60)];

function address(netType, keyType, key) {
  return new Address(0, netType, keyType, Buffer.from(key)).b58;
}

// Published addresses from helium/helium-crypto-rs tests, decoded here by @helium/address so the C# tests
// check binary <-> address against Helium's JS implementation as well as the Rust test strings.
const published = [
  { address: '11nYr7TBMbpGiQadiCxGCPZFZ8ENo1JNtbS7aB5U7UXn4a8Dvb3', origin: 'helium-crypto-rs src/ecc_compact/mod.rs tests::verify' },
  { address: '112jXiCTi9DpLC5nLdSZ2zccRVEtZizRJMizziCebaNbRDi8k6wR', origin: 'helium-crypto-rs src/ecc_compact/mod.rs tests::b58_roundtrip' },
  { address: '112DcRUBD21ZDZfysHaLtvKDw5j7GhWKZB29dxY8ykiYwNxz71aN', origin: 'helium-crypto-rs src/ecc_compact/mod.rs tests::ecdh_interop' },
  { address: '11263KvqW3GZPAvag5sQYtBJSjb25azSTSwoi5Tza9kboaLRxcsv', origin: 'helium-crypto-rs src/public_key.rs tests::public_key_roundtrip' },
  { address: '13WvV82S7QN3VMzMSieiGxvuaPKknMtf213E5JwPnboDkUfesKw', origin: 'helium-crypto-rs src/ed25519/mod.rs tests::verify' },
  { address: '14HZVR4bdF9QMowYxWrumcFBNfWnhDdD5XXA5za1fWwUhHxxFS1', origin: 'helium-crypto-rs src/ed25519/mod.rs tests::b58_roundtrip_ecc' },
  { address: '14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn', origin: 'helium-crypto-rs src/ed25519/mod.rs tests::seed' },
].map(({ address: b58, origin }) => {
  const a = Address.fromB58(b58);
  const binary = a.bin;
  const entry = { address: b58, binary: hex(binary), network: a.netType, keyType: a.keyType, origin };
  if (a.keyType === ECC_COMPACT) {
    // node:crypto picks the Y with the parity asked for; the compact form wants min(y, p - y).
    const even = ECDH.convertKey(Buffer.concat([Buffer.from([2]), binary.subarray(1)]), 'prime256v1', undefined, undefined, 'uncompressed');
    const y = big(even.subarray(33));
    const compactY = y <= P - y ? y : P - y;
    entry.compactY = compactY.toString(16).padStart(64, '0');
  }
  return entry;
});

// X coordinates that are on no P-256 point (helium-crypto-rs tests::non_compact_key is one), checked with OpenSSL.
function onCurve(x) {
  try {
    ECDH.convertKey(Buffer.concat([Buffer.from([2]), x]), 'prime256v1', undefined, undefined, 'uncompressed');
    return true;
  } catch {
    return false;
  }
}
const offCurveX = [];
for (let i = 0; offCurveX.length < 4; i++) {
  const x = sha256(`wirelessnet/helium-keys/off-curve/${i}`);
  if (!onCurve(x)) offCurveX.push(hex(x));
}
const rustNonCompactKey = Buffer.from('003ca9d8667de0c07aa71d98b3c8065d2e97ab7bb9cb8776bcc0577a7ac58acd4e', 'hex');

// ed25519 key pairs: seed from a label, public key and signatures from OpenSSL.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
function ed25519Vector(seed, network) {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x, 'base64url');
  return {
    entropy: hex(seed),
    network,
    keyPair: hex(Buffer.concat([Buffer.from([network | ED25519]), seed, publicKey])),
    publicKey: hex(Buffer.concat([Buffer.from([network | ED25519]), publicKey])),
    address: address(network, ED25519, publicKey),
    signatures: messages.map((m) => ({ message: hex(m), signature: hex(sign(null, m, privateKey)) })),
  };
}
const ed25519 = [
  // helium-crypto-rs src/ed25519/mod.rs tests::seed: this entropy gives 14MRZY2jc2ABDq1faCCMmXrkm2PXY9UBRTP1j9PWnFTKnCb7Hyn.
  ed25519Vector(Buffer.from('f8374ea8637b16cb24fa88566e77c6aaf8374ea8637b16cb24fa88566e77c6aa', 'hex'), MAINNET),
  ed25519Vector(sha256('wirelessnet/helium-keys/ed25519/1'), MAINNET),
  ed25519Vector(sha256('wirelessnet/helium-keys/ed25519/2'), TESTNET),
];

// ecc_compact key pairs: scalars from labels; keep compact ones as signing vectors and note non-compact ones.
function p256Point(scalar) {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const q = ecdh.getPublicKey();
  return { x: q.subarray(1, 33), y: q.subarray(33) };
}
const eccCompact = [];
const nonCompactEntropy = [];
for (let i = 0; eccCompact.length < 3 || nonCompactEntropy.length < 2; i++) {
  const scalar = sha256(`wirelessnet/helium-keys/p256/${i}`);
  const { x, y } = p256Point(scalar);
  if (!isCompactY(y)) {
    if (nonCompactEntropy.length < 2) nonCompactEntropy.push(hex(scalar));
    continue;
  }
  if (eccCompact.length >= 3) continue;
  const network = eccCompact.length === 2 ? TESTNET : MAINNET;
  const privateKey = createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: scalar.toString('base64url'), x: x.toString('base64url'), y: y.toString('base64url') },
    format: 'jwk',
  });
  eccCompact.push({
    entropy: hex(scalar),
    network,
    keyPair: hex(Buffer.concat([Buffer.from([network | ECC_COMPACT]), scalar])),
    publicKey: hex(Buffer.concat([Buffer.from([network | ECC_COMPACT]), x])),
    compactY: hex(y),
    address: address(network, ECC_COMPACT, x),
    // DER is node's default ECDSA signature encoding.
    signatures: messages.map((m) => ({ message: hex(m), signature: hex(sign('sha256', m, privateKey)) })),
  });
}

// A signed helium.packet_router.packet_router_packet_up_v1, hand-encoded, carrying an extra field 15 that the
// C# schema does not know. The signature covers the encoding with field 10 (signature) left out; the signed
// message places field 10 between the known fields and the unknown one, as a newer encoder would.
function varint(n) {
  let v = BigInt(n);
  const out = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}
const tag = (field, wire) => varint((field << 3) | wire);
const bytesField = (field, b) => Buffer.concat([tag(field, 2), varint(b.length), b]);
const varintField = (field, n) => Buffer.concat([tag(field, 0), varint(n)]);
const zigzag = (n) => (n << 1) ^ (n >> 31);
function signedPacketUp(vector, signWith) {
  const gateway = Buffer.from(vector.publicKey, 'hex');
  const known = Buffer.concat([
    bytesField(1, Buffer.from('40da1b012680050001e1d1f2a7', 'hex')), // payload
    varintField(2, 1700000000123), // timestamp
    varintField(3, zigzag(-97)), // rssi
    varintField(4, 868100000), // frequency
    varintField(5, 5), // datarate
    Buffer.concat([tag(6, 5), Buffer.from(new Float32Array([7.25]).buffer)]), // snr
    varintField(8, 42), // hold_time
    bytesField(9, gateway), // gateway
  ]);
  const unknown = bytesField(15, Buffer.from('future field', 'utf8'));
  const unsigned = Buffer.concat([known, unknown]);
  const signature = signWith(unsigned);
  return {
    keyAddress: vector.address,
    unsignedEncoding: hex(unsigned),
    signedEncoding: hex(Buffer.concat([known, bytesField(10, signature), unknown])),
    signature: hex(signature),
  };
}
const ed25519Private = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(ed25519[1].entropy, 'hex')]), format: 'der', type: 'pkcs8' });
const eccVector = eccCompact[0];
const eccPoint = p256Point(Buffer.from(eccVector.entropy, 'hex'));
const eccPrivate = createPrivateKey({
  key: { kty: 'EC', crv: 'P-256', d: Buffer.from(eccVector.entropy, 'hex').toString('base64url'), x: eccPoint.x.toString('base64url'), y: eccPoint.y.toString('base64url') },
  format: 'jwk',
});
const signedMessages = [
  { keyType: ED25519, ...signedPacketUp(ed25519[1], (m) => sign(null, m, ed25519Private)) },
  { keyType: ECC_COMPACT, ...signedPacketUp(eccVector, (m) => sign('sha256', m, eccPrivate)) },
];

const vectors = {
  generator: 'tests/vectors/helium-keys/generate.mjs (@helium/address 4.14.2, node ' + process.version + ' OpenSSL ' + process.versions.openssl + ')',
  published,
  offCurveX: [...offCurveX, ...(onCurve(rustNonCompactKey.subarray(1)) ? [] : [hex(rustNonCompactKey.subarray(1))])],
  rustNonCompactKeyOnCurve: onCurve(rustNonCompactKey.subarray(1)),
  ed25519,
  eccCompact,
  eccNonCompactEntropy: nonCompactEntropy,
  signedMessages,
};
writeFileSync(outPath, JSON.stringify(vectors, null, 2) + '\n');
console.log(`wrote ${outPath}`);
