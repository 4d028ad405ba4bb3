// The one price module: the presets (price books with the date they are from) and the views the
// storage and compute engines read of them. Every engine that prices anything imports this file.
export * from './priceBook';
export * from './presets';
export * from './storagePrices';
export * from './compute';
