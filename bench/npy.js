// Minimal .npy reader/writer (format versions 1-3, little endian, C order).
// Enough to feed ONNX Runtime the same inputs qcc-run reads and to save its
// outputs for comparison; not a general NumPy replacement.
'use strict';

const fs = require('fs');

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // "\x93NUMPY"

// npy descr <-> ORT tensor type and typed array.
const DTYPES = [
  { descr: '<f4', type: 'float32', Array: Float32Array },
  { descr: '<f8', type: 'float64', Array: Float64Array },
  { descr: '<i8', type: 'int64', Array: BigInt64Array },
  { descr: '<i4', type: 'int32', Array: Int32Array },
  { descr: '|u1', type: 'uint8', Array: Uint8Array },
  { descr: '|i1', type: 'int8', Array: Int8Array },
  { descr: '|b1', type: 'bool', Array: Uint8Array },
  { descr: '<f2', type: 'float16', Array: Uint16Array }, // ORT takes raw f16 bits
  { descr: '<i2', type: 'int16', Array: Int16Array },
  { descr: '<u2', type: 'uint16', Array: Uint16Array },
  { descr: '<u4', type: 'uint32', Array: Uint32Array },
  { descr: '<u8', type: 'uint64', Array: BigUint64Array },
];

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) {
    throw new Error(`${path}: not a .npy file`);
  }
  const major = buf[6];
  const [headerLen, headerStart] = major === 1 ? [buf.readUInt16LE(8), 10] : [buf.readUInt32LE(8), 12];
  const header = buf.toString('latin1', headerStart, headerStart + headerLen);
  const field = (key) => {
    const m = header.match(new RegExp(`'${key}'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))`));
    if (!m) throw new Error(`${path}: header has no '${key}': ${header}`);
    return m[1];
  };
  // numpy writes '=' or '<' for little-endian depending on version; '|' for 1-byte types.
  const descr = field('descr').slice(1, -1).replace(/^=/, '<');
  if (field('fortran_order') !== 'False') throw new Error(`${path}: Fortran-order arrays are not supported`);
  const shape = field('shape').slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const dt = DTYPES.find((d) => d.descr === descr);
  if (!dt) throw new Error(`${path}: unsupported dtype ${descr}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = headerStart + headerLen;
  const bytes = count * dt.Array.BYTES_PER_ELEMENT;
  if (buf.length < offset + bytes) throw new Error(`${path}: truncated data`);
  // slice() copies into a fresh, aligned ArrayBuffer (the header leaves the data unaligned for
  // 8-byte types in general).
  const data = new dt.Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + bytes));
  return { type: dt.type, shape, data };
}

function writeNpy(path, type, shape, data) {
  const dt = DTYPES.find((d) => d.type === type);
  if (!dt) throw new Error(`cannot write tensor type ${type} as .npy`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dt.descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary, newline-terminated (format v1).
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  MAGIC.copy(pre, 0);
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  // ORT returns bool tensors as Uint8Array, which is exactly npy's |b1 layout.
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

module.exports = { readNpy, writeNpy };
