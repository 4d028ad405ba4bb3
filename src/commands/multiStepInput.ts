// Questions asked one after another in one quick input, with "Step n of m" and a Back button, as
// VS Code's own multi-step inputs do: each step is a function that asks one question and stores the
// answer; Back reruns the previous step with its answer filled in; Escape ends the whole thing.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
/** What a step resolves to: the answer, Back, or undefined when the user pressed Escape. */
export type Answer<T> = T | typeof BACK | undefined;

export interface StepPosition {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface TextQuestion extends StepPosition {
  readonly value?: string;
  readonly prompt: string;
  readonly placeholder?: string;
  readonly password?: boolean;
  /** An error message for a value that will not do, undefined when it will. */
  readonly validate?: (value: string) => string | undefined;
}

export function askText(question: TextQuestion): Promise<Answer<string>> {
  const input = vscode.window.createInputBox();
  Object.assign(input, {
    title: question.title,
    step: question.step,
    totalSteps: question.totalSteps,
    value: question.value ?? '',
    prompt: question.prompt,
    placeholder: question.placeholder ?? '',
    password: question.password === true,
    ignoreFocusOut: true,
    buttons: question.step > 1 ? [vscode.QuickInputButtons.Back] : [],
  });
  const check = (value: string): string | undefined => question.validate?.(value);
  return settle(input, (finish) => [
    input.onDidChangeValue((value) => (input.validationMessage = check(value))),
    input.onDidAccept(() => {
      const problem = check(input.value);
      input.validationMessage = problem;
      if (problem === undefined) finish(input.value);
    }),
  ]);
}

export interface PickQuestion<T extends string> extends StepPosition {
  readonly items: readonly (vscode.QuickPickItem & { readonly value: T })[];
  readonly active?: T;
  readonly placeholder?: string;
}

export function askPick<T extends string>(question: PickQuestion<T>): Promise<Answer<T>> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { readonly value: T }>();
  Object.assign(pick, {
    title: question.title,
    step: question.step,
    totalSteps: question.totalSteps,
    placeholder: question.placeholder ?? '',
    items: question.items,
    ignoreFocusOut: true,
    buttons: question.step > 1 ? [vscode.QuickInputButtons.Back] : [],
  });
  const active = question.items.find((item) => item.value === question.active);
  if (active !== undefined) pick.activeItems = [active];
  return settle(pick, (finish) => [
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      if (chosen !== undefined) finish(chosen.value);
    }),
  ]);
}

/** Shows `input` and resolves once it is accepted, backed out of or hidden; always disposes it. */
function settle<T>(input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, listen: (finish: (answer: Answer<T>) => void) => vscode.Disposable[]): Promise<Answer<T>> {
  return new Promise<Answer<T>>((resolve) => {
    let done = false;
    const finish = (answer: Answer<T>): void => {
      if (done) return;
      done = true;
      for (const subscription of subscriptions) subscription.dispose();
      input.dispose();
      resolve(answer);
    };
    const subscriptions = [
      ...listen(finish),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(BACK);
      }),
      input.onDidHide(() => finish(undefined)),
    ];
    input.show();
  });
}

/** One question of a multi-step input. */
export interface Step {
  /** Asks the question and keeps the answer; resolves to it, Back, or undefined (Escape). */
  readonly ask: (position: { step: number; totalSteps: number }) => Promise<Answer<unknown>>;
  /** False while the answers so far leave nothing to ask: the step is passed over and not counted. */
  readonly applies?: () => boolean;
}

/**
 * Runs `steps` in order from `first`: Back goes back to the step asked before (the first step has
 * none), Escape ends with false. "Step n of m" counts only the steps that apply to the answers so
 * far, so a question passed over neither leaves a gap in the numbers nor stops Back.
 */
export async function runSteps(steps: readonly Step[], first = 0): Promise<boolean> {
  const applies = (index: number): boolean => steps[index]!.applies?.() !== false;
  let index = Math.min(Math.max(first, 0), steps.length - 1);
  const visited: number[] = [];
  while (index < steps.length) {
    if (!applies(index)) {
      index += 1;
      continue;
    }
    const counted = steps.map((_, position) => position).filter(applies);
    const answer = await steps[index]!.ask({ step: counted.indexOf(index) + 1, totalSteps: counted.length });
    if (answer === undefined) return false;
    if (answer === BACK) {
      index = visited.pop() ?? 0;
      continue;
    }
    visited.push(index);
    index += 1;
  }
  return true;
}
