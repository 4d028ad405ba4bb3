// Price presets every engine prices its work with: storage presets and compute rates.
export * from './storagePrices';
export * from './compute';
