// Placeholder until the dollars replay lands.
export interface DollarsResult { readonly columns: readonly { name: string; total: number }[] }
export async function runDollarsReplay(_file: string): Promise<DollarsResult | undefined> {
  return undefined;
}
export function printDollars(_result: DollarsResult): void {}
