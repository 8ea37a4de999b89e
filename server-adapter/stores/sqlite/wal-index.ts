// Whether any connection to an SQLite file in WAL mode may have committed since the last look, told by the
// header of its WAL index (the `-shm` file next to it) read with one `pread`, instead of by a read
// transaction (`PRAGMA data_version`: two `fcntl` locks and SQLite's own steps, about three times the
// cost). Every commit, by any connection of any process, rewrites that header before it returns: its
// change counter moves, and so do the WAL's last frame and checksums (https://www.sqlite.org/walformat.html,
// "the WAL-index header"). An unchanged header therefore means that nothing was committed; a changed one
// (a commit, a WAL restarted by a checkpoint, a read caught halfway through a write) only means "ask SQLite".
import { fstatSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** The first copy of the header: 48 bytes at the start of the file (the second copy and the checkpoint info follow). */
const HEADER_BYTES = 48;

/**
 * The `-shm` files this process opened, by path, with the file each descriptor is of. A descriptor is never
 * closed: closing any descriptor of a file drops every POSIX lock the process holds on that file, SQLite's
 * own read and writer locks on the WAL index included, for every connection of the process. One descriptor
 * per file is shared by every store opened on it; a new one is opened only when SQLite made the file anew
 * (every connection had closed and deleted it).
 */
const openedWalIndexes = new Map<string, { fd: number; dev: number; ino: number }>();

function walIndexDescriptor(shmPath: string): number | null {
  let current;
  try {
    current = statSync(shmPath);
  } catch {
    return null; // no WAL index on disk (an in-memory database, or exclusive locking): SQLite is asked every time
  }
  const known = openedWalIndexes.get(shmPath);
  if (known && known.dev === current.dev && known.ino === current.ino) return known.fd;
  const fd = openSync(shmPath, 'r');
  const opened = fstatSync(fd);
  openedWalIndexes.set(shmPath, { fd, dev: opened.dev, ino: opened.ino });
  return fd;
}

/** Watches the WAL-index header of one database file. */
export class WalIndexHeader {
  readonly #fd: number;
  readonly #read = new Uint8Array(HEADER_BYTES);
  readonly #readWords = new Int32Array(this.#read.buffer);
  readonly #seenWords = new Int32Array(HEADER_BYTES / 4);
  #seenOnce = false;

  private constructor(fd: number) {
    this.#fd = fd;
  }

  /**
   * The watch of `databasePath`'s WAL index, or null where there is none to read (an in-memory or temporary
   * database, exclusive locking). Open it once the connection is in WAL mode, so that the file exists, and
   * while that connection is open, so that SQLite cannot delete it.
   */
  static of(databasePath: string): WalIndexHeader | null {
    if (databasePath === '' || databasePath === ':memory:' || databasePath.startsWith('file:')) return null;
    const fd = walIndexDescriptor(`${resolve(databasePath)}-shm`);
    return fd === null ? null : new WalIndexHeader(fd);
  }

  /**
   * True when the header differs from the one seen at the last call (and at the first call): something may
   * have been committed since, by any connection. False means that nothing was.
   */
  changed(): boolean {
    let bytesRead: number;
    try {
      bytesRead = readSync(this.#fd, this.#read, 0, HEADER_BYTES, 0);
    } catch {
      return true;
    }
    if (bytesRead !== HEADER_BYTES) return true;
    let changed = !this.#seenOnce;
    for (let word = 0; word < this.#seenWords.length; word++) {
      if (this.#readWords[word] !== this.#seenWords[word]) {
        this.#seenWords[word] = this.#readWords[word]!;
        changed = true;
      }
    }
    this.#seenOnce = true;
    return changed;
  }
}
