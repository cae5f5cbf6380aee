'use strict';
// Just enough of the protobuf wire format to drop fields from encoded messages before a decoder sees them, and to
// append a field to one. Written for the interop sidecar; see server.js for why.

function readVarint(buffer, position) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (position >= buffer.length) throw new Error('truncated varint');
    const byte = buffer[position++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, position];
    shift += 7;
    if (shift > 63) throw new Error('varint too long');
  }
}

function encodeVarint(value) {
  const bytes = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

// Splits a message into its fields: { field, wireType, start, end, value } (value: Buffer for length-delimited fields,
// the number for varints, the raw bytes otherwise).
function fields(buffer) {
  const result = [];
  let position = 0;
  while (position < buffer.length) {
    const start = position;
    const [key, afterKey] = readVarint(buffer, position);
    position = afterKey;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    let value;
    switch (wireType) {
      case 0: {
        const [number, next] = readVarint(buffer, position);
        value = number;
        position = next;
        break;
      }
      case 1:
        value = buffer.subarray(position, position + 8);
        position += 8;
        break;
      case 2: {
        const [length, next] = readVarint(buffer, position);
        value = buffer.subarray(next, next + length);
        position = next + length;
        break;
      }
      case 5:
        value = buffer.subarray(position, position + 4);
        position += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType} for field ${field}`);
    }
    if (position > buffer.length) throw new Error(`field ${field} runs past the end of the message`);
    result.push({ field, wireType, start, end: position, value });
  }
  return result;
}

// Copies a message without the fields spec.strip lists; spec.children[field] rewrites nested messages the same way.
// onStrip(path) is called for every dropped field ("2.5" = field 5 inside field 2).
function rewrite(buffer, spec, onStrip, prefix = '') {
  const strip = new Set(spec.strip || []);
  const children = spec.children || {};
  const parts = [];
  for (const f of fields(buffer)) {
    const path = prefix ? `${prefix}.${f.field}` : String(f.field);
    if (strip.has(f.field)) {
      if (onStrip) onStrip(path);
      continue;
    }
    const child = children[f.field];
    if (child && f.wireType === 2) {
      parts.push(bytesField(f.field, rewrite(f.value, child, onStrip, path)));
    } else {
      parts.push(buffer.subarray(f.start, f.end));
    }
  }
  return Buffer.concat(parts);
}

function bytesField(field, bytes) {
  return Buffer.concat([encodeVarint(field * 8 + 2), encodeVarint(bytes.length), bytes]);
}

function stringField(field, text) {
  return bytesField(field, Buffer.from(text, 'utf8'));
}

// A varint read as int32 (negative numbers are sent as 10-byte two's complement).
function int32(value) {
  return value >= 2 ** 31 ? Number(BigInt.asIntN(32, BigInt(value) & 0xffffffffn)) : value;
}

module.exports = { fields, rewrite, bytesField, stringField, int32, encodeVarint };
