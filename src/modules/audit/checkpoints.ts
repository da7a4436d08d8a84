// Signed checkpoints of the chain head, appended to a file outside the database: a database whose newest records
// were removed (head rolled back below a checkpoint) or rewritten no longer matches the last checkpoint.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditCheckpointConfig } from '../../config.ts';

export interface Checkpoint {
  seq: string;
  hash: string;
  /** When it was signed (ISO 8601). */
  at: string;
  /** First 16 hex digits of the SHA-256 of the public key (DER): which key signed it. */
  keyId: string;
  /** Ed25519 signature (base64) over the canonical message. */
  signature: string;
}

export interface LatestCheckpoint {
  /** The newest checkpoint whose signature verifies, if any. */
  checkpoint: Checkpoint | null;
  /** Why the file's newest line could not be trusted (bad signature, unknown key, not a checkpoint). */
  problem?: string;
}

/** The bytes a checkpoint's signature covers. */
function message(c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`govcloud-audit-checkpoint-v1\n${c.seq}\n${c.hash}\n${c.at}\n`, 'utf8');
}

function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** How much of the file's end is read to find the newest checkpoint (a line is about 250 bytes). */
const TAIL_BYTES = 64 * 1024;

export class CheckpointStore {
  private privateKey: KeyObject | undefined;
  private publicKey: KeyObject | undefined;

  constructor(private readonly config: Pick<AuditCheckpointConfig, 'file' | 'signingKeyFile' | 'publicKeyFile'>) {}

  get file(): string {
    return this.config.file;
  }

  /** The signing key, generated (Ed25519, PEM, mode 0600) the first time it is needed. */
  signingKey(): KeyObject {
    if (this.privateKey) return this.privateKey;
    const file = this.config.signingKeyFile;
    if (!fs.existsSync(file)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      try {
        // wx: two processes starting at once keep one key, the first one written
        fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    this.privateKey = createPrivateKey(fs.readFileSync(file));
    if (this.privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
    return this.privateKey;
  }

  /** The key checkpoints are verified with: the configured public key, else the signing key's. */
  verificationKey(): KeyObject {
    this.publicKey ??= this.config.publicKeyFile ? createPublicKey(fs.readFileSync(this.config.publicKeyFile)) : createPublicKey(this.signingKey());
    return this.publicKey;
  }

  /** The public key as PEM (SPKI), with its id: what an auditor needs to check checkpoints elsewhere. */
  publicKeyPem(): { pem: string; keyId: string } {
    const key = this.verificationKey();
    return { pem: key.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(key) };
  }

  /** Signs the head and appends it as one line, flushed to disk before returning. */
  append(head: { seq: string; hash: string }, at: Date): Checkpoint {
    const key = this.signingKey();
    const body = { seq: head.seq, hash: head.hash, at: at.toISOString() };
    const checkpoint: Checkpoint = { ...body, keyId: keyIdOf(createPublicKey(key)), signature: sign(null, message(body), key).toString('base64') };
    fs.mkdirSync(path.dirname(this.config.file), { recursive: true });
    const fd = fs.openSync(this.config.file, 'a', 0o644);
    try {
      fs.writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return checkpoint;
  }

  /** The newest line of the file, verified; an absent or empty file has no checkpoint. */
  latest(): LatestCheckpoint {
    let text: string;
    try {
      const fd = fs.openSync(this.config.file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const length = Math.min(size, TAIL_BYTES);
        const buffer = Buffer.alloc(length);
        fs.readSync(fd, buffer, 0, length, size - length);
        text = buffer.toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoint: null };
      throw error;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const last = lines[lines.length - 1];
    if (last === undefined) return { checkpoint: null };
    let parsed: Checkpoint;
    try {
      parsed = JSON.parse(last) as Checkpoint;
    } catch {
      return { checkpoint: null, problem: `the last line of ${this.config.file} is not a checkpoint` };
    }
    const { pem: _pem, keyId } = this.publicKeyPem();
    if (typeof parsed.seq !== 'string' || typeof parsed.hash !== 'string' || typeof parsed.at !== 'string' || typeof parsed.signature !== 'string') {
      return { checkpoint: null, problem: `the last line of ${this.config.file} is not a checkpoint` };
    }
    if (parsed.keyId !== keyId) return { checkpoint: null, problem: `the last checkpoint was signed with key ${String(parsed.keyId)}, not ${keyId}` };
    if (!verify(null, message(parsed), this.verificationKey(), Buffer.from(parsed.signature, 'base64'))) {
      return { checkpoint: null, problem: `the last checkpoint's signature does not verify (seq ${parsed.seq})` };
    }
    return { checkpoint: { seq: parsed.seq, hash: parsed.hash, at: parsed.at, keyId: parsed.keyId, signature: parsed.signature } };
  }
}

export interface CheckpointComparison {
  /** The checkpoint compared with, null when none has been written yet. */
  checkpoint: Checkpoint | null;
  /** Set when the database does not match it. */
  broken?: { seq: string; reason: string };
}

/**
 * The database's head must have reached the newest checkpoint, and its record at the checkpoint's seq must carry
 * the checkpoint's hash: otherwise its newest records were removed (head rolled back) or the chain was rewritten.
 */
export async function compareWithCheckpoint(
  store: CheckpointStore,
  head: { seq: string },
  hashAt: (seq: string) => Promise<string | undefined>,
): Promise<CheckpointComparison> {
  const { checkpoint, problem } = store.latest();
  if (problem) return { checkpoint: null, broken: { seq: head.seq, reason: `checkpoint file ${store.file}: ${problem}` } };
  if (checkpoint === null) return { checkpoint: null };
  if (BigInt(checkpoint.seq) > BigInt(head.seq)) {
    const lost = BigInt(checkpoint.seq) - BigInt(head.seq);
    return {
      checkpoint,
      broken: {
        seq: (BigInt(head.seq) + 1n).toString(),
        reason: `the chain ends at ${head.seq} but the checkpoint signed at ${checkpoint.at} covers ${checkpoint.seq}: the newest ${lost} record(s) were removed`,
      },
    };
  }
  const hash = await hashAt(checkpoint.seq);
  if (hash !== checkpoint.hash) {
    return { checkpoint, broken: { seq: checkpoint.seq, reason: `record ${checkpoint.seq} differs from the checkpoint signed at ${checkpoint.at}: the chain was rewritten` } };
  }
  return { checkpoint };
}
