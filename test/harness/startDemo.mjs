// What `npm start` shows a new user: a workspace with two SQL templates and a few small datasets
// (generated here, the same bytes every run), and those datasets stored through the real CLI on all
// three tiers (put; demote; archive), so the Storage view has objects under Local, Cloud and
// Archive; then a few small workloads run through the real CLI on those files, so the Workloads
// view and the Cost Dashboard have real runs, and a tasks.json whose neurolake tasks show the cost
// lens. Every step checks first, so a second start neither duplicates nor fails on the demo.
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

// Reads a CSV and writes it as a JSON array of objects: the demo's ETL step, plain node so it runs anywhere NeuroLake does.
const CSV_TO_JSON = `// Converts a CSV file with a header row to a JSON array of objects: node scripts/csv_to_json.js IN.csv OUT.json
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname } = require('node:path');
const [input, output] = process.argv.slice(2);
const [header, ...rows] = readFileSync(input, 'utf8').trim().split('\\n');
const names = header.split(',');
const records = rows.map((row) => Object.fromEntries(row.split(',').map((value, i) => [names[i], value])));
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(records, null, 2) + '\\n');
console.log(\`\${records.length} rows from \${input} to \${output}\`);
`;

/** The demo's runs, each a workload submitted through `neurolake compute submit` in the workspace. */
const WORKLOADS = [
  { name: 'demo-count-sales', type: 'query', minutes: 1, needs: ['data/sales_2024.csv'], command: 'wc -l data/sales_2024.csv' },
  { name: 'demo-sales-to-json', type: 'etl', minutes: 2, needs: ['scripts/csv_to_json.js', 'data/sales_2024.csv'], command: 'node scripts/csv_to_json.js data/sales_2024.csv out/sales_2024.json' },
  { name: 'demo-count-events', type: 'query', minutes: 1, needs: ['data/events_2023.csv'], command: 'wc -l data/events_2023.csv' },
];

// Two tasks whose cost lens shows what they would cost on this machine and on the cluster.
const TASKS = {
  version: '2.0.0',
  tasks: [
    { type: 'neurolake', name: 'Convert sales to JSON', workloadType: 'etl', command: 'node scripts/csv_to_json.js data/sales_2024.csv out/sales_2024.json', cpus: 1, estimatedMinutes: 2 },
    { type: 'neurolake', name: 'Count events', workloadType: 'query', command: 'wc -l data/events_2023.csv', estimatedMinutes: 1 },
  ],
};

/** Writes `files` that are missing, once: after `marker` exists a file the user changed or deleted on purpose stays as it is. */
function writeOnce(workspace, marker, files) {
  const markerPath = join(workspace, '.vscode', marker);
  if (existsSync(markerPath)) return false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(workspace, name);
    if (existsSync(path)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(dirname(markerPath), { recursive: true });
  writeFileSync(markerPath, `These NeuroLake demo files were written here by \`npm start\`; delete this file to have missing ones written again.\n`);
  return true;
}

/**
 * Writes the demo files that are missing. The workload files have a marker of their own, so a
 * workspace made before they were part of the demo gets them too.
 */
export function writeDemoWorkspace(workspace) {
  const data = writeOnce(workspace, 'neurolake-demo', { ...TEMPLATES, ...Object.fromEntries(DATASETS.map((dataset) => [dataset.file, dataset.content()])) });
  const workloads = writeOnce(workspace, 'neurolake-demo-workloads', { 'scripts/csv_to_json.js': CSV_TO_JSON, '.vscode/tasks.json': `${JSON.stringify(TASKS, null, 2)}\n` });
  return data || workloads;
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

/**
 * Runs each demo workload once through `neurolake compute submit --wait` in the workspace, on this
 * machine with one CPU (--tier local: the demo should not wait for a busy machine to have room),
 * unless it has a run that completed (or is still going) or a file it reads was deleted. Returns a
 * line per workload.
 */
export function runDemoWorkloads({ cli, workspace, dataFolder, env }) {
  const compute = (...args) => spawnSync(process.execPath, [cli, 'compute', ...args], { cwd: workspace, env: { ...process.env, ...env, NEUROLAKE_HOME: dataFolder }, encoding: 'utf8', timeout: 300_000 });
  const listed = compute('ls', '--json');
  if (listed.status !== 0) throw new Error(`listing runs: ${(listed.stderr || listed.error?.message || '').trim()}`);
  // A run refused or failed (a busier machine, a deleted file) is tried again next start.
  const recorded = new Set(JSON.parse(listed.stdout || '[]').filter((run) => ['queued', 'starting', 'running', 'completed'].includes(run.state)).map((run) => run.workload.name));
  const lines = [];
  for (const workload of WORKLOADS) {
    if (recorded.has(workload.name)) {
      lines.push(`${workload.name}: already run`);
      continue;
    }
    const missing = workload.needs.filter((file) => !existsSync(join(workspace, file)));
    if (missing.length > 0) {
      lines.push(`${workload.name}: not run, ${missing.join(' and ')} missing`);
      continue;
    }
    const submitted = compute('submit', '--name', workload.name, '--type', workload.type, '--minutes', String(workload.minutes), '--cpus', '1', '--tier', 'local', '--wait', '--', workload.command);
    if (submitted.status !== 0) throw new Error(`running ${workload.name} (${workload.command}): ${(submitted.stderr || submitted.stdout || submitted.error?.message || '').trim()}`);
    lines.push(`${workload.name}: ran \`${workload.command}\` on this machine`);
  }
  return lines;
}
