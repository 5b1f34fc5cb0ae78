/**
 * Gets a job's image onto its host as the job's pull policy says:
 *
 *   if-missing ─ present ─▶ use it │ absent ─ pull ─▶ use it (a failed pull fails the job)
 *   always     ─ pull ─▶ use it    │ a failed pull fails the job, even with a copy present
 *   never      ─ present ─▶ use it │ absent ─▶ fail at once, saying so
 *
 * `always` fails rather than falling back to the local copy: whoever asked for it wants the
 * registry's current image, and running an older one silently is worse than a clear failure.
 */
import type Docker from 'dockerode';
import type { LogLevel, PullPolicy } from '../../../shared/model';

type Report = (message: string, level?: LogLevel) => void;

/** Makes sure `image` is on the host as `policy` wants, reporting progress as the job's system lines. */
export async function ensureImage(
  docker: Docker,
  image: string,
  policy: PullPolicy,
  report: Report,
  bounded: { abortSignal: AbortSignal },
): Promise<void> {
  const present = await hasImage(docker, image, bounded.abortSignal);
  if (policy === 'never') {
    if (!present) throw new Error(`image ${image} is not on this host and the pull policy is 'never': load or pull it there first`);
    return;
  }
  if (policy === 'if-missing' && present) return;
  report(policy === 'always' ? `Pulling ${image} (pull policy 'always')` : `Image ${image} is not on this host: pulling it`);
  try {
    await pull(docker, image, report);
  } catch (err) {
    const why = dockerErrorMessage(err);
    if (present) throw new Error(`could not pull ${image}: ${why} (the pull policy is 'always', so the copy already on this host is not used)`);
    throw new Error(`could not pull ${image}: ${why}`);
  }
}

async function pull(docker: Docker, image: string, report: Report): Promise<void> {
  const stream = (await docker.pull(image)) as NodeJS.ReadableStream;
  const seen = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: { status?: string; id?: string; error?: string; progress?: string }) => {
        if (event.error) return reject(new Error(event.error));
        // Per-layer byte counters arrive many times a second; keep only the changes of phase.
        if (!event.status || event.progress) return;
        const line = event.id ? `${event.id}: ${event.status}` : event.status;
        if (seen.has(line)) return;
        seen.add(line);
        report(line);
      },
    );
  });
}

/** `GET /images/{name}/json` through the modem: dockerode's Image.inspect drops the abort signal. */
function hasImage(docker: Docker, image: string, abortSignal: AbortSignal): Promise<boolean> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/images/${encodeURIComponent(image)}/json`,
        method: 'GET',
        abortSignal,
        statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      } as Parameters<Docker['modem']['dial']>[0],
      (err: unknown) => {
        if (!err) resolve(true);
        else if ((err as { statusCode?: number }).statusCode === 404) resolve(false);
        else reject(err);
      },
    );
  });
}

/** Docker puts the useful sentence in the JSON body of its error responses. */
export function dockerErrorMessage(err: unknown): string {
  const e = err as { json?: { message?: string } | null; message?: string; reason?: string } | null;
  const fromBody = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  const text = fromBody ?? e?.message ?? String(err);
  return text.replace(/^\(HTTP code \d+\) [\w ]+ - /, '').trim();
}
