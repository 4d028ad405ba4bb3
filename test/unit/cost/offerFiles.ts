// Small AWS Price List offer files in the published bulk format (offerCode, products keyed by
// SKU with attributes, terms.OnDemand[sku][sku.offerTermCode].priceDimensions[...].pricePerUnit.USD),
// holding only the few products the tests need.

interface Dimension {
  readonly unit: string;
  readonly usd: string;
  readonly begin?: string;
  readonly end?: string;
  readonly description?: string;
}

function term(sku: string, dimensions: readonly Dimension[]): Record<string, unknown> {
  const termCode = 'JRTCKXETXF';
  return {
    [`${sku}.${termCode}`]: {
      offerTermCode: termCode,
      sku,
      effectiveDate: '2026-05-01T00:00:00Z',
      priceDimensions: Object.fromEntries(
        dimensions.map((d, i) => {
          const rateCode = `${sku}.${termCode}.${['6YS6EN2CT7', 'PGHJ3S3EYE', 'D42MF2PVJS', 'E4MRVUA4AA'][i]}`;
          return [rateCode, { rateCode, description: d.description ?? '', beginRange: d.begin ?? '0', endRange: d.end ?? 'Inf', unit: d.unit, pricePerUnit: { USD: d.usd }, appliesTo: [] }];
        }),
      ),
      termAttributes: {},
    },
  };
}

interface ProductSpec {
  readonly sku: string;
  readonly family: string;
  readonly attributes: Record<string, string>;
  readonly dimensions: readonly Dimension[];
}

function offer(offerCode: string, specs: readonly ProductSpec[]): Record<string, unknown> {
  return {
    formatVersion: 'v1.0',
    disclaimer: 'This pricing list is for informational purposes only.',
    offerCode,
    version: '20260501000000',
    publicationDate: '2026-05-01T00:00:00Z',
    products: Object.fromEntries(specs.map((s) => [s.sku, { sku: s.sku, productFamily: s.family, attributes: { servicecode: offerCode, ...s.attributes } }])),
    terms: { OnDemand: Object.fromEntries(specs.map((s) => [s.sku, term(s.sku, s.dimensions)])) },
  };
}

const VIRGINIA = { location: 'US East (N. Virginia)', locationType: 'AWS Region', regionCode: 'us-east-1' };
const OREGON = { location: 'US West (Oregon)', locationType: 'AWS Region', regionCode: 'us-west-2' };

/** S3 Standard at $0.021 (moved from 0.023), Glacier storage, Tier1/Tier2 requests, and tiered egress; plus an Oregon product to ignore. */
export function s3Offer(): Record<string, unknown> {
  return offer('AmazonS3', [
    {
      sku: 'WP9ANXZGBYYSGJEA',
      family: 'Storage',
      attributes: { ...VIRGINIA, storageClass: 'General Purpose', volumeType: 'Standard', usagetype: 'TimedStorage-ByteHrs', operation: '' },
      dimensions: [
        { unit: 'GB-Mo', usd: '0.0210000000', begin: '0', end: '51200', description: '$0.021 per GB - first 50 TB / month of storage used' },
        { unit: 'GB-Mo', usd: '0.0200000000', begin: '51200', end: '512000' },
        { unit: 'GB-Mo', usd: '0.0190000000', begin: '512000', end: 'Inf' },
      ],
    },
    { sku: 'SZ6H9M3DS7X4X6SJ', family: 'Storage', attributes: { ...VIRGINIA, storageClass: 'Archive', volumeType: 'Amazon Glacier', usagetype: 'TimedStorage-GlacierByteHrs' }, dimensions: [{ unit: 'GB-Mo', usd: '0.0036000000' }] },
    { sku: 'QCGQW9VR3YMYE8CS', family: 'API Request', attributes: { ...VIRGINIA, group: 'S3-API-Tier1', usagetype: 'Requests-Tier1' }, dimensions: [{ unit: 'Requests', usd: '0.0000060000' }] },
    { sku: 'R4YJ9H3PEU3N7Y8K', family: 'API Request', attributes: { ...VIRGINIA, group: 'S3-API-Tier2', usagetype: 'Requests-Tier2' }, dimensions: [{ unit: 'Requests', usd: '0.0000004000' }] },
    {
      sku: 'N7YR9H3PE44ZA8QK',
      family: 'Data Transfer',
      attributes: { transferType: 'AWS Outbound', fromLocation: 'US East (N. Virginia)', fromLocationType: 'AWS Region', toLocation: 'External', toLocationType: 'Other', usagetype: 'DataTransfer-Out-Bytes', fromRegionCode: 'us-east-1' },
      dimensions: [
        { unit: 'GB', usd: '0.0000000000', begin: '0', end: '100' },
        { unit: 'GB', usd: '0.0900000000', begin: '100', end: '10240' },
        { unit: 'GB', usd: '0.0500000000', begin: '10240', end: 'Inf' },
      ],
    },
    { sku: 'ZZOREGONSTANDARD', family: 'Storage', attributes: { ...OREGON, storageClass: 'General Purpose', usagetype: 'USW2-TimedStorage-ByteHrs' }, dimensions: [{ unit: 'GB-Mo', usd: '0.0990000000' }] },
  ]);
}

/** Linux on-demand m5.large at $0.1 (moved from 0.096), and products that must not be taken for it. */
export function ec2Offer(): Record<string, unknown> {
  const m5 = { ...VIRGINIA, instanceType: 'm5.large', vcpu: '2', memory: '8 GiB', tenancy: 'Shared', operatingSystem: 'Linux', preInstalledSw: 'NA', licenseModel: 'No License required', capacitystatus: 'Used', usagetype: 'BoxUsage:m5.large', operation: 'RunInstances' };
  return offer('AmazonEC2', [
    { sku: 'WINDOWSM5LARGE00', family: 'Compute Instance', attributes: { ...m5, operatingSystem: 'Windows', operation: 'RunInstances:0002' }, dimensions: [{ unit: 'Hrs', usd: '0.1880000000' }] },
    { sku: 'DEDICATEDM5LARGE', family: 'Compute Instance', attributes: { ...m5, tenancy: 'Dedicated' }, dimensions: [{ unit: 'Hrs', usd: '0.1060000000' }] },
    { sku: '2WTMTR9HDDT7AA73', family: 'Compute Instance', attributes: m5, dimensions: [{ unit: 'Hrs', usd: '0.1000000000', description: '$0.1 per On Demand Linux m5.large Instance Hour' }] },
  ]);
}

export function rdsOffer(): Record<string, unknown> {
  return offer('AmazonRDS', [{ sku: 'RDS1', family: 'Database Instance', attributes: { ...VIRGINIA, instanceType: 'db.m5.large' }, dimensions: [{ unit: 'Hrs', usd: '0.171' }] }]);
}

/** An S3 file that holds only Oregon prices. */
export function oregonOnlyS3Offer(): Record<string, unknown> {
  return offer('AmazonS3', [{ sku: 'ZZOREGONSTANDARD', family: 'Storage', attributes: { ...OREGON, usagetype: 'USW2-TimedStorage-ByteHrs' }, dimensions: [{ unit: 'GB-Mo', usd: '0.023' }] }]);
}
