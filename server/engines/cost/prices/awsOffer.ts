// Refreshes a price book from an AWS Price List offer file (the public bulk JSON for AmazonS3 or
// AmazonEC2), so prices can be brought up to date without a network call from here. Nothing is
// changed in place: the result is a new book, and a file that is not JSON, not an offer file, for
// another service or without any price this book uses is refused with the reason.
import { CostError } from '../errors';
import type { CloudMachinePrice, PriceBand, PriceBook, StorageClassPrice } from '../../prices';
import { validatePriceBook } from './resolve';

export interface PriceChange {
  /** Dotted path in the price book ("storage.cloud.usdPerGbMonth"). */
  readonly path: string;
  readonly from: number | readonly PriceBand[];
  readonly to: number | readonly PriceBand[];
}

export interface OfferImport {
  readonly book: PriceBook;
  readonly offerCode: 'AmazonS3' | 'AmazonEC2';
  readonly version: string;
  /** Every price the file set, whether or not it moved. */
  readonly found: number;
  /** The prices that moved. */
  readonly changes: readonly PriceChange[];
}

/** The location names AWS puts in `attributes.location`, for files without `regionCode`. */
const LOCATION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'EU (Ireland)',
  'eu-central-1': 'EU (Frankfurt)',
};

interface Product {
  readonly sku: string;
  readonly productFamily?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

interface Dimension {
  readonly beginGb: number;
  readonly endGb: number | null;
  readonly usd: number;
  readonly unit: string;
}

/** Reads an offer file's text (or its parsed JSON) and lays its prices for `base.region` over `base`. */
export function importAwsOffer(file: string | unknown, base: PriceBook, fileName = 'The file'): OfferImport {
  const offer = parse(file, fileName);
  const region = base.region;
  const products = Object.values(offer.products).filter((product) => inRegion(product, region));
  const prices = new OfferPrices(offer.terms, fileName);
  const changes: PriceChange[] = [];
  let found = 0;
  const set = (path: string, from: number, to: number | undefined): number => {
    if (to === undefined) return from;
    found += 1;
    if (Math.abs(to - from) > 1e-12) changes.push({ path, from, to });
    return to;
  };

  let book: PriceBook;
  if (offer.offerCode === 'AmazonS3') {
    const byUsage = new Map<string, Product>();
    for (const product of products) {
      const usage = usageTypeOf(product);
      if (usage !== undefined && !byUsage.has(usage)) byUsage.set(usage, product);
    }
    const firstPrice = (usageType: string | undefined): Dimension | undefined => {
      const product = usageType === undefined ? undefined : byUsage.get(usageType.toLowerCase());
      return product === undefined ? undefined : prices.of(product.sku)[0];
    };
    const perGb = (usageType: string | undefined): number | undefined => firstPrice(usageType)?.usd;
    const per1000 = (usageType: string | undefined): number | undefined => {
      const price = firstPrice(usageType);
      // Priced per request in the file; rounded so $0.0000004 reads back as $0.0004 per 1,000.
      return price === undefined ? undefined : Number((price.usd * 1000).toPrecision(12));
    };
    const storageClass = (tier: 'cloud' | 'archive'): StorageClassPrice => {
      const current = base.storage[tier];
      const types = current.usageTypes ?? {};
      const path = `storage.${tier}`;
      return {
        ...current,
        usdPerGbMonth: set(`${path}.usdPerGbMonth`, current.usdPerGbMonth, perGb(types.storage)),
        writeUsdPer1000: set(`${path}.writeUsdPer1000`, current.writeUsdPer1000, per1000(types.writeRequests)),
        readUsdPer1000: set(`${path}.readUsdPer1000`, current.readUsdPer1000, per1000(types.readRequests)),
        retrievalUsdPerGb: set(`${path}.retrievalUsdPerGb`, current.retrievalUsdPerGb, perGb(types.retrieval)),
      };
    };
    const storage = { cloud: storageClass('cloud'), archive: storageClass('archive') };
    let egress = base.egress;
    const egressProduct = products.find(
      (product) => usageTypeOf(product) === (base.egress.usageType ?? 'DataTransfer-Out-Bytes').toLowerCase() && (product.attributes['toLocation'] ?? 'External') === 'External',
    );
    if (egressProduct !== undefined) {
      const bands = prices.of(egressProduct.sku).map((d): PriceBand => ({ upToGb: d.endGb, usdPerGb: d.usd }));
      found += 1;
      if (JSON.stringify(bands) !== JSON.stringify(base.egress.bands)) changes.push({ path: 'egress.bands', from: base.egress.bands, to: bands });
      egress = { ...base.egress, bands };
    }
    book = { ...base, storage, egress };
  } else {
    const cloudCompute: Record<string, CloudMachinePrice> = {};
    for (const [size, machine] of Object.entries(base.cloudCompute)) {
      const product = machine.instanceType === undefined ? undefined : products.find((p) => isOnDemandLinux(p, machine.instanceType ?? ''));
      const usd = product === undefined ? undefined : prices.of(product.sku)[0]?.usd;
      cloudCompute[size] = { ...machine, usdPerHour: set(`cloudCompute.${size}.usdPerHour`, machine.usdPerHour, usd) };
    }
    book = { ...base, cloudCompute };
  }

  if (found === 0) {
    const wanted =
      offer.offerCode === 'AmazonS3'
        ? 'S3 storage, request, retrieval or data transfer prices under the usage types this price book names'
        : `on-demand Linux prices for ${Object.values(base.cloudCompute).map((m) => m.instanceType).filter(Boolean).join(', ') || 'the instance types this price book names (it names none)'}`;
    throw new CostError('invalid-offer-file', `${fileName} has no ${region} ${wanted}; no price was changed.`);
  }
  const published = /^\d{4}-\d{2}-\d{2}/.exec(offer.publicationDate)?.[0] ?? base.asOf;
  const imported: PriceBook = {
    ...book,
    asOf: published,
    source: `AWS Price List ${offer.offerCode} offer file, version ${offer.version}, published ${published} (${region}), over the ${base.name} prices`,
  };
  validatePriceBook(imported);
  return { book: imported, offerCode: offer.offerCode, version: offer.version, found, changes };
}

interface Offer {
  readonly offerCode: 'AmazonS3' | 'AmazonEC2';
  readonly version: string;
  readonly publicationDate: string;
  readonly products: Readonly<Record<string, Product>>;
  readonly terms: unknown;
}

function parse(file: string | unknown, fileName: string): Offer {
  let json: unknown = file;
  if (typeof file === 'string') {
    try {
      json = JSON.parse(file);
    } catch (error) {
      throw new CostError('invalid-offer-file', `${fileName} is not JSON (${(error as Error).message}); no price was changed.`);
    }
  }
  const refuse = (why: string): never => {
    throw new CostError('invalid-offer-file', `${fileName} is not an AWS Price List offer file: ${why}; no price was changed.`);
  };
  if (!isRecord(json)) return refuse('it is not a JSON object');
  const { offerCode, products, terms } = json;
  if (typeof offerCode !== 'string') return refuse('it has no offerCode');
  if (offerCode !== 'AmazonS3' && offerCode !== 'AmazonEC2') {
    throw new CostError('invalid-offer-file', `${fileName} is the price list of ${offerCode}; import the AmazonS3 or AmazonEC2 offer file. No price was changed.`);
  }
  if (!isRecord(products)) return refuse('it has no products');
  if (!isRecord(terms) || !isRecord(terms['OnDemand'])) return refuse('it has no terms.OnDemand');
  for (const [sku, product] of Object.entries(products)) {
    if (!isRecord(product) || !isRecord(product['attributes'])) return refuse(`products.${sku} has no attributes`);
  }
  return {
    offerCode,
    version: typeof json['version'] === 'string' ? json['version'] : 'unknown',
    publicationDate: typeof json['publicationDate'] === 'string' ? json['publicationDate'] : '',
    products: Object.fromEntries(Object.entries(products).map(([sku, p]) => [sku, { ...(p as object), sku } as Product])),
    terms,
  };
}

/** The on-demand price dimensions of each product, read and checked as they are asked for. */
class OfferPrices {
  private readonly onDemand: Record<string, unknown>;
  constructor(
    terms: unknown,
    private readonly fileName: string,
  ) {
    this.onDemand = (terms as { OnDemand: Record<string, unknown> }).OnDemand;
  }

  /** The product's price bands, lowest first; empty when the file has no on-demand term for it. */
  of(sku: string): Dimension[] {
    const offers = this.onDemand[sku];
    if (!isRecord(offers)) return [];
    const [termCode, term] = Object.entries(offers)[0] ?? [];
    if (!isRecord(term) || !isRecord(term['priceDimensions'])) return [];
    const dimensions: Dimension[] = [];
    for (const [rateCode, dimension] of Object.entries(term['priceDimensions'])) {
      const path = `terms.OnDemand.${sku}.${termCode}.priceDimensions.${rateCode}`;
      const usdText = isRecord(dimension) && isRecord(dimension['pricePerUnit']) ? dimension['pricePerUnit']['USD'] : undefined;
      const usd = typeof usdText === 'string' && usdText.trim() !== '' ? Number(usdText) : Number.NaN;
      if (!Number.isFinite(usd) || usd < 0) {
        throw new CostError('invalid-offer-file', `${this.fileName}: ${path}.pricePerUnit.USD is not a price (${JSON.stringify(usdText)}); no price was changed.`, path);
      }
      const d = dimension as Record<string, unknown>;
      const begin = Number(d['beginRange'] ?? 0);
      const endText = String(d['endRange'] ?? 'Inf');
      dimensions.push({ beginGb: Number.isFinite(begin) ? begin : 0, endGb: endText === 'Inf' ? null : Number(endText), usd, unit: String(d['unit'] ?? '') });
    }
    return dimensions.sort((a, b) => a.beginGb - b.beginGb);
  }
}

function inRegion(product: Product, region: string): boolean {
  const code = product.attributes['regionCode'];
  if (code !== undefined) return code === region;
  const location = product.attributes['location'] ?? product.attributes['fromLocation'];
  return location !== undefined && location === LOCATION_NAMES[region];
}

/** The usage type without its region prefix ("USE2-TimedStorage-ByteHrs" -> "timedstorage-bytehrs"). */
function usageTypeOf(product: Product): string | undefined {
  const usage = product.attributes['usagetype'];
  return usage?.replace(/^[A-Z]{2,4}\d?-/, '').toLowerCase();
}

function isOnDemandLinux(product: Product, instanceType: string): boolean {
  const a = product.attributes;
  return (
    a['instanceType'] === instanceType &&
    (a['operatingSystem'] ?? 'Linux') === 'Linux' &&
    (a['tenancy'] ?? 'Shared') === 'Shared' &&
    (a['preInstalledSw'] ?? 'NA') === 'NA' &&
    (a['capacitystatus'] ?? 'Used') === 'Used' &&
    (a['licenseModel'] ?? 'No License required') === 'No License required'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
