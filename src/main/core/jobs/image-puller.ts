import type Docker from 'dockerode';
import type { LogLevel } from '../../../shared/model';

type Report = (message: string, level?: LogLevel) => void;

/** Pulls the image unless the host already has it, reporting progress as the job's system lines. */
export async function ensureImage(docker: Docker, image: string, report: Report): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  report(`Image ${image} is not on this host: pulling it`);
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

/** Docker puts the useful sentence in the JSON body of its error responses. */
export function dockerErrorMessage(err: unknown): string {
  const e = err as { json?: { message?: string } | null; message?: string; reason?: string } | null;
  const fromBody = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  const text = fromBody ?? e?.message ?? String(err);
  return text.replace(/^\(HTTP code \d+\) [\w ]+ - /, '').trim();
}
