// The storage plan view's webview script: draws the plan the extension sends (moves, monthly cost
// per tier before and after, the saving) and, after Apply, each move's outcome. Buttons only post
// messages; the extension asks for confirmation and does the work.
import type { FromPlan, ToPlan } from './messages';
import { planModel, resultsModel, type PlanModel } from './model';
import { table } from '../webview/table';

declare function acquireVsCodeApi(): { postMessage(message: FromPlan): void };
const vscode = acquireVsCodeApi();
const post = (message: FromPlan): void => vscode.postMessage(message);

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The plan page has no #${id}.`);
  return element as T;
};

function fill(id: string, ...children: HTMLElement[]): void {
  $(id).replaceChildren(...children);
}

let model: PlanModel | undefined;
let busy = false;

function drawPlan(next: PlanModel): void {
  model = next;
  $('headline').textContent = next.headline;
  $('error').textContent = '';
  fill('moves', ...(next.empty ? [] : [table('moves', 'Moves', ['Key', 'Move', 'Size', 'From → to', 'Reason'], next.moves.map((m) => [m.key, m.move, m.bytes, m.fromTo, m.reason]), (column) => column === 2)]));
  fill('costs', table('costs', next.costsTitle, ['Tier', 'Now', 'After the plan', 'Change'], next.costs.map((c) => [c.tier, c.before, c.after, c.change])));
  updateButtons();
}

function updateButtons(): void {
  const apply = $<HTMLButtonElement>('apply');
  apply.hidden = model?.empty !== false;
  apply.disabled = busy;
  $<HTMLButtonElement>('refresh').disabled = busy;
}

window.addEventListener('message', (event: MessageEvent<ToPlan>) => {
  const message = event.data;
  switch (message.type) {
    case 'plan':
      drawPlan(planModel(message.plan));
      break;
    case 'applied': {
      const results = resultsModel(message.results, message.was, message.now);
      $('status').textContent = results.summary;
      const summary = document.createElement('p');
      summary.textContent = results.summary;
      fill('results', summary, table('results', 'What Apply did', ['Key', 'Move', 'Outcome'], results.rows.map((r) => [r.key, r.move, r.outcome]), () => false));
      $('results').hidden = false;
      break;
    }
    case 'busy':
      busy = message.busy;
      document.body.classList.toggle('busy', busy);
      updateButtons();
      break;
    case 'error':
      $('error').textContent = message.message;
      break;
  }
});

$('apply').addEventListener('click', () => post({ type: 'apply' }));
$('refresh').addEventListener('click', () => post({ type: 'refresh' }));
post({ type: 'ready' });
