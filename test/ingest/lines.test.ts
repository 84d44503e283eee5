/**
 * Reading a file a chunk of lines at a time gives the lines, numbers and problems that reading it
 * whole and splitting it at `\r?\n` gives, whatever the chunk and line lengths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '../../src/ingest/errors.js';
import { readLineChunks } from '../../src/ingest/lines.js';
import { tempDir } from '../support/cli.js';

const dir = tempDir('oai-lines-');
let files = 0;

/** The file's lines as the chunks give them: [number, text], and the error the last chunk carries. */
function read(content: string | Buffer, linesPerChunk = 3): { lines: Array<[number, string]>; error: SourceFormatError | undefined } {
  const file = path.join(dir, `f${files++}.jsonl`);
  fs.writeFileSync(file, content);
  const lines: Array<[number, string]> = [];
  let error: SourceFormatError | undefined;
  let expected = 1;
  for (const chunk of readLineChunks(file, 'f.jsonl', linesPerChunk)) {
    expect(chunk.first).toBe(expected);
    const texts = chunk.count === 0 ? [] : chunk.text.split('\n');
    expect(texts).toHaveLength(chunk.count);
    texts.forEach((text, i) => lines.push([chunk.first + i, text]));
    expected += chunk.count;
    error = chunk.error;
  }
  return { lines, error };
}

/** What splitting the whole text gives, without the empty piece after a final newline. */
function whole(text: string): Array<[number, string]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => [i + 1, line]);
}

describe('reading a file a chunk of lines at a time', () => {
  it('numbers lines as the whole file does, with LF, CRLF, blank lines and no final newline', () => {
    for (const text of ['a\nb\nc\n', 'a\r\nb\r\n\r\nc', '\n\n{"x": 1}\n\n', 'one line', 'x\ry\nz\r', '']) {
      expect(read(text).lines, JSON.stringify(text)).toEqual(whole(text));
      expect(read(text, 1).lines).toEqual(whole(text));
    }
  });

  it('drops a byte order mark at the start only', () => {
    expect(read('\uFEFF{"a": 1}\n\uFEFFb\n').lines).toEqual([
      [1, '{"a": 1}'],
      [2, '\uFEFFb'],
    ]);
  });

  it('reads lines longer than what it reads at a time, and many of them', () => {
    const long = 'ی'.repeat(700_000);
    const text = `${long}\nshort\n${long}x\n${Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n')}`;
    const { lines } = read(text, 256);
    expect(lines).toHaveLength(5003);
    expect(lines[0]).toEqual([1, long]);
    expect(lines[2]).toEqual([3, `${long}x`]);
    expect(lines.at(-1)).toEqual([5003, 'line 4999']);
  });

  it('names the first line that is not UTF-8, after giving the lines before it', () => {
    const good = Array.from({ length: 10 }, (_, i) => `{"n": ${i}}`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`${good}\n{"n": "`), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"n": 11}\n')]);
    const { lines, error } = read(bytes);
    expect(lines).toHaveLength(10);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect(error?.message).toBe('f.jsonl:11: encoding: the file is not UTF-8 text');
  });

  it('refuses a file it cannot open, as a file read whole is refused', () => {
    expect(() => [...readLineChunks(path.join(dir, 'missing.jsonl'), 'missing.jsonl')]).toThrow('missing.jsonl: file: cannot read it (ENOENT)');
  });
});
