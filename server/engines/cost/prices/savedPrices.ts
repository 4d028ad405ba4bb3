// Price books saved in the data folder (an imported AWS price list, a team's own figures), so an
// import made once is a preset every later process can name. One JSON file per book; a file that
// does not hold a valid book is skipped with a warning naming it, never half-used.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../../common';
import { CostError } from '../errors';
import type { PriceBook } from '../../prices';
import { PRESETS } from '../../prices';
import { validatePriceBook } from './resolve';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkSavedName(name: string): void {
  if (!NAME.test(name)) throw new CostError('invalid-input', `A saved price book's name is 1 to 64 lower-case letters, digits, dots, dashes or underscores, not ${JSON.stringify(name)}.`, 'name');
  if (PRESETS[name] !== undefined) throw new CostError('invalid-input', `"${name}" is a built-in preset; save the prices under another name.`, 'name');
}

/** Every valid book in `folder` by name; a missing folder holds none. */
export async function loadSavedPrices(folder: string, onWarning: (message: string) => void = () => undefined): Promise<Record<string, PriceBook>> {
  let files: string[];
  try {
    files = (await readdir(folder)).filter((file) => file.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const books: Record<string, PriceBook> = {};
  for (const file of files) {
    const path = join(folder, file);
    try {
      const book = JSON.parse(await readFile(path, 'utf8')) as PriceBook;
      validatePriceBook(book);
      const name = file.slice(0, -'.json'.length);
      books[name] = { ...book, name };
    } catch (error) {
      onWarning(`The saved price book ${path} was skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return books;
}

/** Writes `book` as `<folder>/<name>.json`, durably, and returns it under that name. */
export async function savePrices(folder: string, name: string, book: PriceBook): Promise<PriceBook> {
  checkSavedName(name);
  const named = { ...book, name };
  await mkdir(folder, { recursive: true });
  await writeFileDurably(join(folder, `${name}.json`), `${JSON.stringify(named, null, 2)}\n`, `the price book "${name}"`);
  return named;
}
