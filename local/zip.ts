// Reads a Lambda deployment zip without unpacking tools: the central directory is the source of
// truth (local headers may omit sizes when a data descriptor follows), entries are stored or deflated.
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  /** Path inside the archive, with forward slashes; directories end in "/". */
  name: string;
  data: Buffer;
  /** The raw MS-DOS time and date fields, and the Unix mode (0 when the zip was made elsewhere). */
  dosTime: number;
  dosDate: number;
  unixMode: number;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Every entry of the archive, directories excluded. Throws one sentence naming what is wrong. */
export function readZip(zip: Buffer, label = "zip"): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip, label);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new Error(`${label} has a broken central directory.`);
    const flags = zip.readUInt16LE(offset + 8);
    const method = zip.readUInt16LE(offset + 10);
    const dosTime = zip.readUInt16LE(offset + 12);
    const dosDate = zip.readUInt16LE(offset + 14);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const madeOnUnix = zip.readUInt8(offset + 5) === 3;
    const unixMode = madeOnUnix ? zip.readUInt32LE(offset + 38) >>> 16 : 0;
    const localOffset = zip.readUInt32LE(offset + 42);
    // Bit 11: the name is UTF-8; otherwise CP437, which agrees with UTF-8 for the ASCII names Lambda zips use.
    const name = zip.toString(flags & 0x800 ? "utf8" : "latin1", offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (flags & 0x1) throw new Error(`${label} entry ${name} is encrypted, which Lambda cannot read either.`);
    if (zip.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw new Error(`${label} entry ${name} has no local header.`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === STORED) data = Buffer.from(raw);
    else if (method === DEFLATED) data = inflateRawSync(raw);
    else throw new Error(`${label} entry ${name} uses compression method ${method}; only stored and deflate are supported.`);
    if (data.length !== size) throw new Error(`${label} entry ${name} is ${data.length} bytes, the directory says ${size}.`);
    entries.push({ name, data, dosTime, dosDate, unixMode });
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer, label: string): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end of the file.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= lowest; i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new Error(`${label} is not a zip file (no end of central directory record).`);
}
