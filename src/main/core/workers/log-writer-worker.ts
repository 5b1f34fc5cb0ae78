/**
 * The writer worker: owns the store's write connection for log lines (see WriterEngine). The main
 * thread has migrated the store before starting it.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { WriterEngine } from '../logs/write/writer-engine';
import type { ToWriter } from '../logs/write/writer-protocol';
import { openDatabase } from '../store/database';

/** Niceness of the writer thread, relative to the main thread's. */
const writerNice = 10;

const port = parentPort;
if (!port) throw new Error('log-writer-worker must run as a worker thread');
const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
// dockerd must win the CPU, and the main thread with it: dockerd copies the container's output
// to its log file and to Berth's socket (~7 µs of its time a line, most of the work of ingest),
// and when either is late the container waits. The writer needs about half as much and can lag
// a little; bytes in flight are bounded. Measured on 2 cores: 90–97k lines/s stored at nice 10,
// 77–85k at nice 0. On Linux this applies to this thread only; elsewhere it would
// lower the whole process, so it is not done there.
if (process.platform === 'linux') {
  try {
    setPriority(writerNice);
  } catch {
    // Not allowed (some sandboxes): run at the normal priority.
  }
}
const db = openDatabase({ file, nativeBinding });
const engine = new WriterEngine(db, (message) => port.postMessage(message));
// The writer checkpoints the WAL for everyone (the main thread's connection does not): after its
// own commits as SQLite does by default, and every few seconds for what the main thread wrote
// while no lines came. Between messages, so never inside a transaction; PASSIVE never waits.
const checkpoints = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 5000);
checkpoints.unref();

port.on('message', (message: ToWriter) => {
  engine.handle(message);
  if (message.type === 'close') {
    clearInterval(checkpoints);
    db.close();
    port.close();
  }
});
