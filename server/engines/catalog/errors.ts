// Every catalog failure carries a code callers can branch on and a message a person can act on.

export type CatalogErrorCode =
  | 'invalid-entry'
  | 'duplicate-name'
  | 'not-found'
  | 'read-only'
  | 'invalid-bundle'
  | 'bundle-too-large'
  | 'newer-format'
  | 'corrupt-file'
  | 'storage';

export class CatalogError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    /** JSON path of the offending field, for bundle and entry validation errors. */
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CatalogError';
  }
}
