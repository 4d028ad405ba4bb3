// Turns a preset name plus the user's overrides into one checked price book. A bad override is
// refused with the field it is in; the preset itself is never modified.
import { CostError } from '../errors';
import type { PriceBook, PriceOverrides } from '../../prices';
import { PRESETS } from '../../prices';

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** Keys under which an override may add entries the preset does not have (new machine sizes). */
const OPEN_MAPS = new Set(['cloudCompute']);

/** The preset named, or a book the caller already has, with `overrides` laid over it. */
export function resolvePriceBook(preset: string | PriceBook, overrides?: PriceOverrides, extraPresets: Readonly<Record<string, PriceBook>> = {}): PriceBook {
  const base = typeof preset === 'string' ? findPreset(preset, extraPresets) : preset;
  if (overrides === undefined) return base;
  const merged = merge(base as unknown as Json, overrides as unknown as Json, 'prices') as unknown as PriceBook;
  validatePriceBook(merged);
  return merged;
}

export function findPreset(name: string, extraPresets: Readonly<Record<string, PriceBook>> = {}): PriceBook {
  const book = extraPresets[name] ?? PRESETS[name];
  if (book === undefined) {
    const known = [...Object.keys(PRESETS), ...Object.keys(extraPresets)].join(', ');
    throw new CostError('unknown-preset', `There is no price preset "${name}"; the presets are ${known}.`);
  }
  return book;
}

function merge(base: Json, over: Json, path: string): Json {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, Json> = { ...base };
  const open = OPEN_MAPS.has(path.split('.').pop() ?? '');
  for (const [key, value] of Object.entries(over)) {
    const here = `${path}.${key}`;
    if (!(key in base) && !open) {
      throw new CostError('invalid-prices', `${here} is not a price field; the fields here are ${Object.keys(base).join(', ')}.`, here);
    }
    const current = base[key];
    out[key] = current === undefined ? value : merge(current, value, here);
  }
  return out;
}

function isObject(value: Json | undefined): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every price a calculation reads must be a finite, non-negative number; throws naming the first that is not. */
export function validatePriceBook(book: PriceBook): void {
  const amount = (value: unknown, path: string): void => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new CostError('invalid-prices', `${path} must be a number of at least 0, not ${JSON.stringify(value)}.`, path);
    }
  };
  const text = (value: unknown, path: string): void => {
    if (typeof value !== 'string' || value.trim() === '') throw new CostError('invalid-prices', `${path} must be a non-empty text.`, path);
  };
  text(book.name, 'prices.name');
  text(book.source, 'prices.source');
  if (typeof book.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(book.asOf)) {
    throw new CostError('invalid-prices', `prices.asOf must be the date the prices are from, as YYYY-MM-DD, not ${JSON.stringify(book.asOf)}.`, 'prices.asOf');
  }
  for (const tier of ['cloud', 'archive'] as const) {
    const price = book.storage?.[tier];
    if (typeof price !== 'object' || price === null) throw new CostError('invalid-prices', `prices.storage.${tier} is missing.`, `prices.storage.${tier}`);
    for (const field of ['usdPerGbMonth', 'retrievalUsdPerGb', 'minimumDays', 'writeUsdPer1000', 'readUsdPer1000'] as const) {
      amount(price[field], `prices.storage.${tier}.${field}`);
    }
  }
  const bands = book.egress?.bands;
  if (!Array.isArray(bands) || bands.length === 0) throw new CostError('invalid-prices', 'prices.egress.bands must list at least one price band.', 'prices.egress.bands');
  let previous = 0;
  bands.forEach((band, i) => {
    const path = `prices.egress.bands[${i}]`;
    amount(band.usdPerGb, `${path}.usdPerGb`);
    if (band.upToGb === null) {
      if (i !== bands.length - 1) throw new CostError('invalid-prices', `${path} is open-ended (upToGb null) but is not the last band.`, path);
      return;
    }
    amount(band.upToGb, `${path}.upToGb`);
    if (band.upToGb <= previous && i > 0) throw new CostError('invalid-prices', `${path}.upToGb must be above the previous band's ${previous} GB.`, `${path}.upToGb`);
    previous = band.upToGb;
  });
  const sizes = Object.entries(book.cloudCompute ?? {});
  if (sizes.length === 0) throw new CostError('invalid-prices', 'prices.cloudCompute must price at least one machine size.', 'prices.cloudCompute');
  for (const [size, price] of sizes) amount(price?.usdPerHour, `prices.cloudCompute.${size}.usdPerHour`);
  for (const field of ['machineUsd', 'powerWatts', 'electricityUsdPerKwh', 'storageUsdPerGbMonth'] as const) amount(book.local?.[field], `prices.local.${field}`);
  amount(book.local.lifeMonths, 'prices.local.lifeMonths');
  if (book.local.lifeMonths === 0) throw new CostError('invalid-prices', 'prices.local.lifeMonths must be at least 1 month.', 'prices.local.lifeMonths');
}
