// Reads the entries of a zip through its central directory (stored and deflated entries).
import { inflateRawSync } from "node:zlib";

export interface UnzippedEntry {
  name: string;
  data: Buffer;
  /** Raw DOS date and time fields, to check they are fixed. */
  dosDate: number;
  dosTime: number;
  unixMode: number;
}

export function unzip(zip: Buffer): UnzippedEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: UnzippedEntry[] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
    const packedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const unixMode = zip.readUInt32LE(at + 38) >>> 16;
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const packed = zip.subarray(dataAt, dataAt + packedSize);
    entries.push({ name, data: method === 8 ? inflateRawSync(packed) : Buffer.from(packed), dosDate, dosTime, unixMode });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Loads a CommonJS bundle from source text, as Lambda would load index.js. */
export function loadBundle(source: string, filename = "/var/task/index.js"): any {
  const Module = require("node:module");
  const mod = new Module(filename);
  mod.filename = filename;
  mod.paths = Module._nodeModulePaths(process.cwd());
  mod._compile(source, filename);
  return mod.exports;
}
