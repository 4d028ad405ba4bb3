// Every cost failure carries a code callers can branch on and a message a person can act on.

export type CostErrorCode =
  /** A price override or price book has a field that is missing, negative or not a number. */
  | 'invalid-prices'
  /** A price list file that is not JSON, not an AWS offer file, or has none of the prices needed. */
  | 'invalid-offer-file'
  /** A record or argument the calculation cannot use (a negative size, a day that is not a date). */
  | 'invalid-input'
  | 'unknown-preset'
  | 'closed';

export class CostError extends Error {
  constructor(
    readonly code: CostErrorCode,
    message: string,
    /** Dotted path of the offending field, for price and record validation. */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'CostError';
  }
}
