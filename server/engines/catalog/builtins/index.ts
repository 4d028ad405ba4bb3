// NeuroLake's built-in pattern library: read-only templates every catalog starts with.
import { type TemplateEntry } from '../types';
import { DATA_QUALITY_TEMPLATES } from './dataQuality';
import { DEDUP_LATEST } from './dedup';
import { INCREMENTAL_MERGE } from './incremental';
import { SCD2_CHECK, SCD2_TIMESTAMP } from './scd2';
import { SURROGATE_KEY } from './surrogateKey';

export const BUILTIN_TEMPLATES: readonly TemplateEntry[] = [SCD2_TIMESTAMP, SCD2_CHECK, DEDUP_LATEST, INCREMENTAL_MERGE, ...DATA_QUALITY_TEMPLATES, SURROGATE_KEY];

export { SCD2_TIMESTAMP, SCD2_CHECK, DEDUP_LATEST, INCREMENTAL_MERGE, SURROGATE_KEY };
export { DQ_NOT_NULL, DQ_UNIQUE, DQ_ACCEPTED_VALUES, DQ_ROW_COUNT_CHANGE, DQ_FRESHNESS } from './dataQuality';
