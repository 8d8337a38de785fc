import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardStdout } from './io.js';
import { ChunkedWriter } from './slices.js';

/** A pipe whose buffer is full: every write returns false until 'drain'. */
function fullPipe(): EventEmitter & { write(text: string): boolean; written: string[] } {
  const pipe = new EventEmitter() as EventEmitter & { write(text: string): boolean; written: string[] };
  pipe.written = [];
  pipe.write = (text) => (pipe.written.push(text), false);
  return pipe;
}

const epipe = (): NodeJS.ErrnoException => Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });

describe('guarded stdout', () => {
  it('releases a writer waiting for drain when the reader goes away (head -3), and drops later output', async () => {
    const pipe = fullPipe();
    const out = guardStdout(pipe);
    const writer = new ChunkedWriter(out);
    writer.write('step 1\n');
    const flushed = writer.flush();
    pipe.emit('error', epipe());
    await expect(flushed).resolves.toBeUndefined();
    expect(out.write('step 2\n')).toBe(true);
    expect(pipe.written).toEqual(['step 1\n']);
    expect(out.lateFailure()).toBeUndefined();
  });

  it('releases the wait on another write error too; the next write then fails with one line', async () => {
    const pipe = fullPipe();
    const out = guardStdout(pipe);
    const writer = new ChunkedWriter(out);
    writer.write('step 1\n');
    const flushed = writer.flush();
    pipe.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    await expect(flushed).resolves.toBeUndefined();
    expect(() => out.write('step 2\n')).toThrow('cannot write to standard output: input/output error (EIO)');
  });

  it('still waits for drain on a pipe that is only slow', async () => {
    const pipe = fullPipe();
    const writer = new ChunkedWriter(guardStdout(pipe));
    writer.write('step 1\n');
    let done = false;
    const flushed = writer.flush().then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false);
    pipe.emit('drain');
    await flushed;
    expect(done).toBe(true);
  });
});
