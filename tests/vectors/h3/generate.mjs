// Generates H3 reference vectors with h3-js (pinned in package.json) for
// tests/WirelessNet.Coverage.Tests (H3 conformance). Deterministic: a seeded
// PRNG of our own (no Math.random). Run: npm ci && node generate.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as h3 from 'h3-js';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, '../../WirelessNet.Coverage.Tests/Vectors/h3');
fs.mkdirSync(outDir, { recursive: true });

// ---- PRNG: mulberry32, fixed seed
let seed = 0x5eed1234 >>> 0;
function rnd() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const rint = (n) => Math.floor(rnd() * n);
const pick = (arr) => arr[rint(arr.length)];
function randomPoint() {
  // uniform on the sphere
  const lat = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
  const lng = rnd() * 360 - 180;
  return [lat, lng];
}
const sortCells = (a) => [...a].sort();
let total = 0;
const counts = {};
function write(name, lines, gzip) {
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const file = path.join(outDir, name + (gzip ? '.gz' : ''));
  fs.writeFileSync(file, gzip ? zlib.gzipSync(Buffer.from(text), { level: 9 }) : text);
}
function count(kind, n) {
  counts[kind] = (counts[kind] || 0) + n;
  total += n;
}

const pentagons = [];
for (let r = 0; r <= 15; r++) pentagons.push(...h3.getPentagons(r));
const res0 = h3.getRes0Cells();

// ---- 1. latLngToCell: random points on the whole sphere + special points, every resolution
const points = [];
for (let i = 0; i < 3200; i++) points.push(randomPoint());
for (const lat of [90, -90, 89.9999999, -89.9999999, 89.5, -89.5, 0, 45, -45]) {
  for (const lng of [-180, 180, 0, 179.9999999, -179.9999999, 90, -90, 123.456]) points.push([lat, lng]);
}
for (let i = 0; i < 150; i++) points.push([rnd() * 178 - 89, pick([180, -180, 179.99999, -179.99999, 180 - rnd() * 1e-6, -180 + rnd() * 1e-6])]);
// longitudes outside [-180, 180] and latitudes past the poles are accepted and wrap like H3 does
const wrapped = [];
for (let i = 0; i < 60; i++) wrapped.push([rnd() * 180 - 90, rnd() * 1080 - 540]);
for (let i = 0; i < 20; i++) wrapped.push([rnd() * 360 - 180, rnd() * 360 - 180]);
// around pentagon centres (all resolutions) and res-0 cell vertices (icosahedron vertices/edges)
for (const p of pentagons) {
  const [lat, lng] = h3.cellToLatLng(p);
  points.push([lat, lng]);
  for (let k = 0; k < 3; k++) {
    const d = Math.pow(10, -1 - rint(8));
    points.push([lat + (rnd() - 0.5) * d, lng + (rnd() - 0.5) * d]);
  }
}
for (const c of res0) {
  for (const [lat, lng] of h3.cellToBoundary(c)) {
    points.push([lat + (rnd() - 0.5) * 1e-7, lng + (rnd() - 0.5) * 1e-7]);
    points.push([lat + (rnd() - 0.5) * 1e-3, lng + (rnd() - 0.5) * 1e-3]);
  }
}
// midpoints along res-0 / res-1 boundaries (icosahedron edges pass near them)
for (const c of h3.uncompactCells(res0, 1).filter((_, i) => i % 3 === 0)) {
  const b = h3.cellToBoundary(c);
  for (let i = 0; i < b.length; i++) {
    const a = b[i], n = b[(i + 1) % b.length];
    const t = rnd();
    points.push([a[0] + (n[0] - a[0]) * t + (rnd() - 0.5) * 1e-6, a[1] + (n[1] - a[1]) * t + (rnd() - 0.5) * 1e-6]);
  }
}
const latLngLines = [];
for (const [lat, lng] of points.concat(wrapped)) {
  const cells = [];
  for (let r = 0; r <= 15; r++) cells.push(h3.latLngToCell(lat, lng, r));
  latLngLines.push([lat, lng, cells]);
  count('latLngToCell', 16);
}
write('latlng_to_cell.jsonl', latLngLines, true);

// ---- 2. cells: centre, boundary, area, properties
const cellSet = new Set();
for (const c of res0) cellSet.add(c);
for (const p of pentagons) {
  cellSet.add(p);
  for (const n of h3.gridDisk(p, 2)) cellSet.add(n);
}
for (let i = 0; i < 2600; i++) {
  const [lat, lng] = pick(points);
  cellSet.add(h3.latLngToCell(lat, lng, rint(16)));
}
const cellLines = [];
for (const c of cellSet) {
  const [lat, lng] = h3.cellToLatLng(c);
  const boundary = h3.cellToBoundary(c);
  cellLines.push({
    h: c,
    r: h3.getResolution(c),
    bc: h3.getBaseCellNumber(c),
    p: h3.isPentagon(c),
    c3: h3.isResClassIII(c),
    ll: [lat, lng],
    b: boundary,
    km2: h3.cellArea(c, 'km2'),
    m2: h3.cellArea(c, 'm2'),
    rads2: h3.cellArea(c, 'rads2'),
  });
  count('cellToLatLng', 1);
  count('cellToBoundary', 1);
  count('cellArea', 1);
}
write('cells.jsonl', cellLines, true);

// ---- 3. hierarchy: parents, centre children, children, compact/uncompact
const hierLines = [];
const hierCells = [...cellSet].filter((_, i) => i % 2 === 0);
for (const c of hierCells) {
  const r = h3.getResolution(c);
  const parents = [];
  for (let pr = 0; pr <= r; pr++) parents.push(h3.cellToParent(c, pr));
  const centers = [];
  for (let cr = r; cr <= 15; cr++) centers.push(h3.cellToCenterChild(c, cr));
  const line = { h: c, parents, centers };
  if (r <= 13) {
    const cr = Math.min(15, r + 1 + rint(2));
    line.childRes = cr;
    line.children = sortCells(h3.cellToChildren(c, cr));
    line.childCount = h3.cellToChildrenSize(c, cr);
    count('cellToChildren', 1);
  }
  hierLines.push(line);
  count('cellToParent', parents.length);
  count('cellToCenterChild', centers.length);
}
write('hierarchy.jsonl', hierLines, true);

const compactLines = [];
for (let i = 0; i < 160; i++) {
  const [lat, lng] = i < 24 ? h3.cellToLatLng(pick(pentagons)) : pick(points);
  const res = 1 + rint(9);
  const origin = h3.latLngToCell(lat, lng, res);
  let set = h3.gridDisk(origin, 1 + rint(6));
  if (i % 4 === 0) set = set.concat(h3.cellToChildren(h3.cellToParent(origin, Math.max(0, res - 2)), res));
  set = [...new Set(set)];
  const compacted = h3.compactCells(set);
  const ures = Math.min(15, res + rint(2));
  compactLines.push({ cells: sortCells(set), compact: sortCells(compacted), ures, uncompact: sortCells(h3.uncompactCells(compacted, ures)) });
  count('compactCells', 1);
  count('uncompactCells', 1);
}
write('compact.jsonl', compactLines, true);

// ---- 4. grid: disks k 1-5, rings, distances
const gridLines = [];
const origins = [];
for (const p of pentagons) {
  origins.push(p);
  origins.push(pick(h3.gridDisk(p, 1).filter((x) => x !== p)));
  origins.push(pick(h3.gridRing(p, 2)));
}
for (let i = 0; i < 700; i++) {
  const [lat, lng] = pick(points);
  origins.push(h3.latLngToCell(lat, lng, rint(16)));
}
for (const o of origins) {
  const disks = [];
  for (let k = 1; k <= 5; k++) disks.push(sortCells(h3.gridDisk(o, k)));
  const rings = [];
  for (let k = 1; k <= 3; k++) rings.push(sortCells(h3.gridRing(o, k)));
  const dist = [];
  const d5 = disks[4];
  for (let t = 0; t < 6; t++) {
    const target = pick(d5);
    let d;
    try { d = h3.gridDistance(o, target); } catch (e) { d = -1; }
    dist.push([target, d]);
  }
  // a far cell of the same resolution (often fails)
  const [flat, flng] = randomPoint();
  const far = h3.latLngToCell(flat, flng, h3.getResolution(o));
  let fd;
  try { fd = h3.gridDistance(o, far); } catch (e) { fd = -1; }
  dist.push([far, fd]);
  gridLines.push({ h: o, disks, rings, dist });
  count('gridDisk', 5);
  count('gridRing', 3);
  count('gridDistance', dist.length);
}
write('grid.jsonl', gridLines, true);

// larger disks and rings (k 6-12), mostly around pentagons where the safe fallback runs
const bigGridLines = [];
for (let i = 0; i < 80; i++) {
  let o;
  if (i % 4 === 3) {
    const [lat, lng] = pick(points);
    o = h3.latLngToCell(lat, lng, 2 + rint(14));
  } else {
    const p = pick(pentagons.filter((x) => h3.getResolution(x) >= 2));
    o = i % 4 === 0 ? p : pick(h3.gridDisk(p, 1 + rint(4)));
  }
  const k = 6 + rint(7);
  bigGridLines.push({ h: o, k, disk: sortCells(h3.gridDisk(o, k)), ring: sortCells(h3.gridRing(o, k)) });
  count('gridDisk', 1);
  count('gridRing', 1);
}
write('grid_large.jsonl', bigGridLines, true);

// ---- 5. polygons
function circleLoop(lat0, lng0, radiusDeg, n, jitter, clockwise) {
  const loop = [];
  for (let i = 0; i < n; i++) {
    const a = ((clockwise ? -1 : 1) * 2 * Math.PI * i) / n;
    const r = radiusDeg * (1 - jitter * rnd());
    let lat = lat0 + r * Math.sin(a);
    let lng = lng0 + (r * Math.cos(a)) / Math.cos((lat0 * Math.PI) / 180);
    if (lng > 180) lng -= 360;
    if (lng < -180) lng += 360;
    loop.push([lng, lat]); // GeoJSON order
  }
  return loop;
}
const polyLines = [];
const edgeKm = (r) => h3.getHexagonEdgeLengthAvg(r, 'km');
for (let i = 0; i < 64; i++) {
  const res = i < 8 ? rint(3) : 1 + rint(14);
  const lat0 = rnd() * 140 - 70;
  const lng0 = i % 5 === 0 ? 180 - (rnd() - 0.5) * 2 : rnd() * 360 - 180; // every 5th crosses the antimeridian
  const radiusKm = edgeKm(res) * (3 + rnd() * 22);
  const radiusDeg = Math.min(25, radiusKm / 111.2);
  const outer = circleLoop(lat0, lng0, radiusDeg, 5 + rint(10), 0.4, false);
  const loops = [outer];
  if (i % 3 === 0) loops.push(circleLoop(lat0, lng0, radiusDeg * 0.35, 4 + rint(6), 0.3, true));
  if (i % 9 === 0) loops.push(circleLoop(lat0 + radiusDeg * 0.6, lng0, radiusDeg * 0.15, 4, 0.1, true));
  const cells = sortCells(h3.polygonToCells(loops, res, true));
  polyLines.push({ res, loops, cells });
  count('polygonToCells', 1);
}
// two larger polygons (tens of thousands of cells), one with a hole, one across the antimeridian
for (const [lat0, lng0, res, scale, hole] of [[47.5, 8.2, 9, 100, true], [-17.5, 179.2, 6, 140, false]]) {
  const radiusDeg = (edgeKm(res) * scale) / 111.2;
  const loops = [circleLoop(lat0, lng0, radiusDeg, 24, 0.3, false)];
  if (hole) loops.push(circleLoop(lat0, lng0, radiusDeg * 0.3, 9, 0.2, true));
  const cells = sortCells(h3.polygonToCells(loops, res, true));
  polyLines.push({ res, loops, cells });
  count('polygonToCells', 1);
}
// polygons whose vertices are exactly cell centres (exercises H3's tie-breaking nudges), incl. small/high-res ones
for (let i = 0; i < 24; i++) {
  const res = 5 + rint(11);
  const [lat, lng] = i % 4 === 0 ? [rnd() * 140 - 70, 180 - rnd() * 1e-3] : pick(points);
  if (Math.abs(lat) > 80) continue;
  const center = h3.latLngToCell(lat, lng, res);
  const c0 = h3.cellToLatLng(center);
  const ring = h3.gridRing(center, 2 + rint(3)).map((c) => h3.cellToLatLng(c));
  const ang = (p) => Math.atan2(p[0] - c0[0], ((((p[1] - c0[1]) + 540) % 360) - 180));
  ring.sort((a, b) => ang(a) - ang(b));
  const loops = [ring.map(([la, ln]) => [ln, la])];
  const cells = sortCells(h3.polygonToCells(loops, res, true));
  polyLines.push({ res, loops, cells, ties: true });
  count('polygonToCells', 1);
}
write('polygons.jsonl', polyLines, true);

// ---- 6. great-circle distances, averages, validity
const distLines = [];
for (let i = 0; i < 1500; i++) {
  const a = randomPoint();
  const b = i % 3 === 0 ? [a[0] + (rnd() - 0.5) * 0.01, a[1] + (rnd() - 0.5) * 0.01] : randomPoint();
  distLines.push([a, b, h3.greatCircleDistance(a, b, 'km'), h3.greatCircleDistance(a, b, 'rads')]);
  count('greatCircleDistance', 1);
}
write('distances.jsonl', distLines, false);

const avgLines = [];
for (let r = 0; r <= 15; r++) {
  avgLines.push([r, h3.getHexagonAreaAvg(r, 'km2'), h3.getHexagonAreaAvg(r, 'm2'), h3.getHexagonEdgeLengthAvg(r, 'km'), h3.getHexagonEdgeLengthAvg(r, 'm'), h3.getNumCells(r)]);
  count('averages', 1);
}
write('averages.jsonl', avgLines, false);

const validLines = [];
const toHex = (hi, lo) => (BigInt(hi >>> 0) << 32n | BigInt(lo >>> 0)).toString(16);
for (let i = 0; i < 2000; i++) {
  let hex;
  if (i % 4 === 0) hex = toHex(Math.floor(rnd() * 4294967296), Math.floor(rnd() * 4294967296));
  else {
    // mutate a valid cell: flip one bit
    const c = BigInt('0x' + pick(cellLines).h);
    hex = (c ^ (1n << BigInt(rint(64)))).toString(16);
  }
  validLines.push([hex, h3.isValidCell(hex)]);
  count('isValidCell', 1);
}
for (const c of pentagons) { validLines.push([c, h3.isValidCell(c)]); count('isValidCell', 1); }
write('valid.jsonl', validLines, false);

fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify({ h3js: JSON.parse(fs.readFileSync(path.join(here, 'node_modules/h3-js/package.json'), 'utf8')).version, total, counts }, null, 2) + '\n');
console.log('total cases', total, counts);
