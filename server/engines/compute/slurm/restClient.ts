// slurmrestd's REST API, as far as the compute engine needs it: submit, look at, cancel a job, and
// ping. Speaks v0.0.38 (Slurm 22.05) and reads the later versions' shapes where they differ
// (v0.0.39+ wrap numbers as {set, number} and give job_state as a list).
import { ComputeError } from '../errors';
import { tokenExpiry, type SlurmTokenSource } from './tokens';

export interface SlurmClientOptions {
  /** e.g. http://cluster:6820 */
  readonly url: string;
  /** e.g. v0.0.38 */
  readonly apiVersion: string;
  readonly tokens: SlurmTokenSource;
  readonly timeoutMs?: number;
}

export interface SlurmJobRequest {
  readonly name: string;
  readonly folder: string;
  readonly outputFile: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly timeLimitMinutes: number;
  readonly partition?: string;
  readonly script: string;
}

export interface SlurmJobInfo {
  readonly jobId: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY… */
  readonly state: string;
  readonly exitCode?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly reason?: string;
}

interface SlurmErrorBody {
  readonly errors?: readonly { description?: string; error_number?: number; error?: string }[];
}

/** Refresh a token this long before its `exp`, so a request in flight does not meet the expiry. */
const EXPIRY_MARGIN_S = 30;

export class SlurmClient {
  private token: string | undefined;

  constructor(private readonly options: SlurmClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  async ping(): Promise<void> {
    await this.request('GET', 'ping');
  }

  async submit(job: SlurmJobRequest): Promise<number> {
    const body = {
      job: {
        name: job.name,
        current_working_directory: job.folder,
        standard_output: job.outputFile,
        standard_error: job.outputFile,
        environment: this.isV38 ? job.environment : Object.entries(job.environment).map(([key, value]) => `${key}=${value}`),
        cpus_per_task: job.cpus,
        memory_per_node: this.isV38 ? job.memoryMb : { set: true, number: job.memoryMb },
        time_limit: this.isV38 ? job.timeLimitMinutes : { set: true, number: job.timeLimitMinutes },
        ...(job.partition === undefined ? {} : { partition: job.partition }),
        ...(this.isV38 ? {} : { script: job.script }),
      },
      ...(this.isV38 ? { script: job.script } : {}),
    };
    const answer = (await this.request('POST', 'job/submit', body)) as { job_id?: number };
    if (typeof answer.job_id !== 'number') throw new ComputeError('cluster', `The cluster accepted the job but returned no job id: ${JSON.stringify(answer).slice(0, 200)}`);
    return answer.job_id;
  }

  /** The job, or undefined when the cluster no longer knows it (finished long ago, or never existed). */
  async job(jobId: number): Promise<SlurmJobInfo | undefined> {
    let answer: { jobs?: readonly Record<string, unknown>[] };
    try {
      answer = (await this.request('GET', `job/${jobId}`)) as typeof answer;
    } catch (error) {
      if (error instanceof ComputeError && /Invalid job id|Unable to find JobId/i.test(error.message)) return undefined;
      throw error;
    }
    const job = answer.jobs?.[0];
    if (job === undefined) return undefined;
    const rawState = job['job_state'];
    const state = String(Array.isArray(rawState) ? rawState[0] : rawState);
    const exit = readExitCode(job['exit_code']);
    const start = readNumber(job['start_time']);
    const end = readNumber(job['end_time']);
    const reason = typeof job['state_reason'] === 'string' && job['state_reason'] !== 'None' ? job['state_reason'] : undefined;
    return { jobId, state, ...(exit === undefined ? {} : { exitCode: exit }), ...(start ? { startTime: start * 1000 } : {}), ...(end ? { endTime: end * 1000 } : {}), ...(reason === undefined ? {} : { reason }) };
  }

  async cancel(jobId: number): Promise<void> {
    await this.request('DELETE', `job/${jobId}`);
  }

  private get isV38(): boolean {
    return /^v0\.0\.3[0-8]$/.test(this.options.apiVersion);
  }

  private async currentToken(): Promise<string> {
    const token = this.token ?? (await this.options.tokens.token());
    const expiry = tokenExpiry(token);
    this.token = expiry !== undefined && expiry - EXPIRY_MARGIN_S <= Date.now() / 1000 ? await this.options.tokens.refresh() : token;
    return this.token;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const first = await this.send(method, path, body, await this.currentToken());
    if (!first.authFailed) return first.value;
    // A refused or expired token: once with a fresh one, then the cluster's own words.
    this.token = await this.options.tokens.refresh();
    const second = await this.send(method, path, body, this.token);
    if (second.authFailed) throw new ComputeError('cluster', `The cluster at ${this.options.url} refused the token for ${this.options.tokens.user} (expired or wrong); set a new one.`, true);
    return second.value;
  }

  private async send(method: string, path: string, body: unknown, token: string): Promise<{ authFailed: boolean; value?: unknown }> {
    const url = `${this.options.url.replace(/\/+$/, '')}/slurm/${this.options.apiVersion}/${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'X-SLURM-USER-NAME': this.options.tokens.user, 'X-SLURM-USER-TOKEN': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ComputeError('cluster', `The cluster at ${this.options.url} does not answer: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status === 401 || response.status === 403) return { authFailed: true };
    const errors = (parsed as SlurmErrorBody | undefined)?.errors ?? [];
    if (response.ok && errors.length === 0) return { authFailed: false, value: parsed };
    // 22.05 answers a refused or expired token with 500 and an unspecified error -1.
    if (errors.some((entry) => entry.error_number === -1)) return { authFailed: true };
    const words = errors.map((entry) => entry.description ?? entry.error).filter(Boolean).join('; ') || `HTTP ${response.status}: ${text.slice(0, 200)}`;
    throw new ComputeError('cluster', `The cluster refused ${method} ${path}: ${words}`);
  }
}

function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'number' in value) return Number((value as { number: unknown }).number);
  return undefined;
}

/** v0.0.38 gives the wait status (exit code × 256, or the signal); later versions give {return_code}. */
function readExitCode(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 255 ? value >> 8 : value & 0x7f ? 128 + (value & 0x7f) : value;
  if (typeof value === 'object' && value !== null && 'return_code' in value) return readNumber((value as { return_code: unknown }).return_code);
  return undefined;
}
