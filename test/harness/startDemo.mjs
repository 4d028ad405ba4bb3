// What `npm start` shows a new user: a workspace with two SQL templates and a few small datasets
// (generated here, the same bytes every run), and those datasets stored through the real CLI on all
// three tiers (put; demote; archive), so the Storage view has objects under Local, Cloud and
// Archive. Every step checks first, so a second start neither duplicates nor fails on the demo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TEMPLATES = {
  'templates/daily_sales.sql.hbs': `{{!-- neurolake
{
  "description": "Revenue and orders per day from a sales table",
  "dialects": ["duckdb", "postgresql"],
  "variables": [
    { "name": "table", "type": "identifier", "description": "Sales table to read", "default": "sales_2024" },
    { "name": "since", "type": "string", "description": "First day to include", "default": "2024-01-01" }
  ]
}
--}}
select sold_on, count(*) as orders, sum(amount) as revenue
from {{ident table}}
where sold_on >= {{literal since}}
group by sold_on
order by sold_on
`,
  'templates/customer_changes.sql.hbs': `{{!-- neurolake
{
  "description": "Customers whose segment changed since a snapshot: the input of a type 2 dimension load",
  "dialects": ["duckdb", "postgresql"],
  "variables": [
    { "name": "current", "type": "identifier", "description": "Today's customers", "default": "customers" },
    { "name": "snapshot", "type": "identifier", "description": "The last snapshot", "default": "customers_snapshot" }
  ]
}
--}}
select c.customer_id, s.segment as old_segment, c.segment as new_segment
from {{ident current}} c
join {{ident snapshot}} s on s.customer_id = c.customer_id
where s.segment <> c.segment
`,
};

/** Deterministic numbers, so the demo files are the same bytes on every machine and run. */
function numbers(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const REGIONS = ['north', 'south', 'east', 'west'];
const SEGMENTS = ['retail', 'wholesale', 'online'];
const PAGES = ['/home', '/search', '/product', '/cart', '/checkout'];

function day(year, index) {
  return new Date(Date.UTC(year, 0, 1) + index * 86_400_000).toISOString().slice(0, 10);
}

function salesCsv() {
  const next = numbers(2024);
  const rows = ['order_id,sold_on,customer_id,region,amount'];
  for (let i = 1; i <= 5000; i += 1) rows.push(`${i},${day(2024, Math.floor(next() * 366))},${1 + Math.floor(next() * 300)},${REGIONS[Math.floor(next() * 4)]},${(5 + next() * 495).toFixed(2)}`);
  return `${rows.join('\n')}\n`;
}

function customersJson() {
  const next = numbers(7);
  const customers = Array.from({ length: 300 }, (_, i) => ({ customer_id: i + 1, name: `Customer ${i + 1}`, segment: SEGMENTS[Math.floor(next() * 3)], since: day(2019 + Math.floor(next() * 5), Math.floor(next() * 365)) }));
  return `${JSON.stringify(customers, null, 2)}\n`;
}

function eventsCsv() {
  const next = numbers(2023);
  const rows = ['event_id,happened_on,customer_id,kind'];
  for (let i = 1; i <= 20_000; i += 1) rows.push(`${i},${day(2023, Math.floor(next() * 365))},${1 + Math.floor(next() * 300)},${['signup', 'login', 'purchase', 'refund'][Math.floor(next() * 4)]}`);
  return `${rows.join('\n')}\n`;
}

function clickstreamJsonl() {
  const next = numbers(2022);
  const lines = [];
  for (let i = 1; i <= 5000; i += 1) lines.push(JSON.stringify({ at: `${day(2022, Math.floor(next() * 365))}T${String(Math.floor(next() * 24)).padStart(2, '0')}:00:00Z`, customer_id: 1 + Math.floor(next() * 300), page: PAGES[Math.floor(next() * 5)] }));
  return `${lines.join('\n')}\n`;
}

/** The datasets, where each lives in the workspace, its key in storage and the tier it is shown on. */
const DATASETS = [
  { file: 'data/sales_2024.csv', key: 'datasets/sales_2024.csv', tier: 'local', content: salesCsv },
  { file: 'data/customers.json', key: 'datasets/customers.json', tier: 'local', content: customersJson },
  { file: 'data/events_2023.csv', key: 'datasets/events_2023.csv', tier: 'cloud', content: eventsCsv },
  { file: 'data/clickstream_2022.jsonl', key: 'datasets/clickstream_2022.jsonl', tier: 'archive', content: clickstreamJsonl },
];

/** Writes the demo files that are missing; a file the user changed or deleted on purpose stays as it is once the demo was made. */
export function writeDemoWorkspace(workspace) {
  const marker = join(workspace, '.vscode', 'neurolake-demo');
  if (existsSync(marker)) return false;
  const files = { ...TEMPLATES, ...Object.fromEntries(DATASETS.map((dataset) => [dataset.file, dataset.content()])) };
  for (const [name, text] of Object.entries(files)) {
    const path = join(workspace, name);
    if (existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, 'The NeuroLake demo files were written here by `npm start`; delete this file to have missing ones written again.\n');
  return true;
}

/**
 * Stores each demo dataset through `neurolake storage` and moves it to its tier, unless it is
 * already there (or the user deleted the workspace file). Resolves to a line per dataset.
 */
export function seedDemoStorage({ cli, workspace, dataFolder, env }) {
  const run = (...args) => {
    const result = spawnSync(process.execPath, [cli, 'storage', ...args, '--json'], { env: { ...process.env, ...env, NEUROLAKE_HOME: dataFolder }, encoding: 'utf8', timeout: 120_000 });
    return { ok: result.status === 0, json: result.status === 0 ? JSON.parse(result.stdout || 'null') : undefined, error: (result.stderr || result.error?.message || '').trim() };
  };
  const lines = [];
  for (const dataset of DATASETS) {
    const stat = run('stat', dataset.key);
    if (stat.ok && stat.json.tiers.includes(dataset.tier)) {
      lines.push(`${dataset.key}: on ${stat.json.tiers.join(' + ')}`);
      continue;
    }
    const source = join(workspace, dataset.file);
    if (!stat.ok) {
      if (!existsSync(source)) continue;
      const put = run('put', source, dataset.key);
      if (!put.ok) throw new Error(`storing ${dataset.key}: ${put.error}`);
    }
    const steps = { local: [], cloud: ['demote'], archive: ['archive'] }[dataset.tier];
    for (const step of steps) {
      const moved = run(step, dataset.key);
      if (!moved.ok) throw new Error(`${step} ${dataset.key}: ${moved.error}`);
    }
    const after = run('stat', dataset.key);
    lines.push(`${dataset.key}: stored, now on ${after.ok ? after.json.tiers.join(' + ') : '?'}`);
  }
  return lines;
}
