// A zip writer whose output depends only on the entries: sorted names, one fixed timestamp,
// fixed permissions, deflate at a fixed level. Same input, same bytes, on every machine. The
// emulator's tests also write stored entries and directory entries with it, which Lambda (and so
// local/zip.ts) must read too.
import { deflateRawSync } from "node:zlib";

export interface ZipEntry {
  /** A name ending in "/" is a directory entry, with no data. */
  name: string;
  data: Buffer;
}

export interface ZipOptions {
  /** "deflate" (the build's) or "store" (no compression, as some zip tools write). */
  method?: "deflate" | "store";
}

/** 1980-01-01 00:00:00, the earliest time a zip can hold. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UNIX_FILE_0644 = (0o100644 << 16) >>> 0;
/** drwxr-xr-x, and the MS-DOS directory attribute. */
const UNIX_DIRECTORY_0755 = ((0o040755 << 16) | 0x10) >>> 0;
const STORED = 0;
const DEFLATED = 8;
const UTF8_NAMES = 0x0800;

/** The entries, or files by name, in one archive. */
export function zipFiles(files: ZipEntry[] | Record<string, string | Buffer>, { method = "deflate" }: ZipOptions = {}): Buffer {
  const entries = Array.isArray(files) ? files : Object.entries(files).map(([name, data]) => ({ name, data: Buffer.from(data) }));
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of sorted) {
    const nameBytes = Buffer.from(name, "utf8");
    const directory = name.endsWith("/");
    const compression = method === "store" || directory ? STORED : DEFLATED;
    const packed = compression === DEFLATED ? deflateRawSync(data, { level: 9 }) : data;
    const crc = crc32(data);
    // The local header and the central directory entry share this run of fields.
    const shared = (header: Buffer, at: number) => {
      header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
      header.writeUInt16LE(UTF8_NAMES, at + 2);
      header.writeUInt16LE(compression, at + 4);
      header.writeUInt16LE(DOS_TIME, at + 6);
      header.writeUInt16LE(DOS_DATE, at + 8);
      header.writeUInt32LE(crc, at + 10);
      header.writeUInt32LE(packed.length, at + 14);
      header.writeUInt32LE(data.length, at + 18);
      header.writeUInt16LE(nameBytes.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
    shared(central, 6);
    central.writeUInt32LE(directory ? UNIX_DIRECTORY_0755 : UNIX_FILE_0644, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
