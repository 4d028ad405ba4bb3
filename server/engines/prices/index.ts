// Prices NeuroLake estimates costs with: storage presets today; compute rates join them here.
export * from './storagePrices';
