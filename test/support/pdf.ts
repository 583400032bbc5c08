import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A PDF as a reader sees it: its text (poppler's pdftotext, layout kept) and its page count. */
export function readPdf(pdf: Buffer): { text: string; pages: number } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'nsatu-pdf-')), 'document.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) };
}

/** One page of a PDF drawn as a PNG at `outFile` (poppler's pdftoppm), for the screenshots people look at. */
export function pdfPageImage(pdf: Buffer, page: number, outFile: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nsatu-pdf-'));
  const file = path.join(dir, 'document.pdf');
  writeFileSync(file, pdf);
  const stem = outFile.replace(/\.png$/, '');
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    file,
    stem,
  ]);
}
