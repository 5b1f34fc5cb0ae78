import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../client/client-context';
import { FrameWriter } from '../log/frame-writer';
import { formatLogLine } from '../log/log-format';
import { LogSequencer } from '../log/log-sequencer';
import { readBufferLines } from '../log/terminal-buffer';
import { terminalTheme, terminalFontFamily } from '../log/terminal-theme';
import { reportError } from '../state/report-error';

/** What a Playwright test finds on the pane's element. */
export interface LogPaneElement extends HTMLDivElement {
  readTerminalBuffer?: () => string[];
}

interface LogPaneProps {
  jobId: number;
  /** The job has finished: nothing more will be streamed. */
  finished: boolean;
}

/**
 * A job's log in xterm. Lines go from the stream and the store straight into the terminal,
 * never through React state; React only learns whether there is any output at all.
 */
export function LogPane({ jobId, finished }: LogPaneProps) {
  const client = useClient();
  const paneRef = useRef<LogPaneElement>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const sequencerRef = useRef<LogSequencer | null>(null);
  const [hasOutput, setHasOutput] = useState(false);

  useEffect(() => {
    const pane = paneRef.current;
    const mount = mountRef.current;
    if (!pane || !mount) return;
    setHasOutput(false);

    const term = new Terminal({
      convertEol: false,
      disableStdin: true,
      scrollback: 100_000,
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      fontFamily: terminalFontFamily,
      fontSize: 13,
      lineHeight: 1.2,
      theme: terminalTheme,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(mount);
    const refit = () => {
      // fit() cannot measure a hidden element; the next resize will come.
      try {
        fit.fit();
      } catch {
        /* not laid out yet */
      }
    };
    refit();

    let announced = false;
    const showCount = (total: number) => {
      pane.dataset.lineCount = String(total);
      if (countRef.current) countRef.current.textContent = `${total.toLocaleString()} ${total === 1 ? 'line' : 'lines'}`;
      if (!announced && total > 0) {
        announced = true;
        setHasOutput(true);
      }
    };
    showCount(0);
    const writer = new FrameWriter(term, { onWritten: showCount });
    const sequencer = new LogSequencer({
      jobId,
      query: (input) => client.request('logs.query', input),
      write: (lines) => writer.write(lines.map(formatLogLine)),
      onError: (err) => reportError(err, 'Reading the log failed'),
    });
    sequencerRef.current = sequencer;

    // Subscribe before reading the store, so no line falls between the two.
    const unsubscribe = client.subscribe('logs', { jobId }, (batch) => sequencer.push(batch));
    sequencer.start();
    // After a reconnect the server may have stored lines we never got a batch for.
    const offConnection = client.onConnection((state) => {
      if (state === 'open') sequencer.catchUp();
    });

    let resizeFrame: number | null = null;
    const observer = new ResizeObserver(() => {
      if (resizeFrame === null) {
        resizeFrame = requestAnimationFrame(() => {
          resizeFrame = null;
          refit();
        });
      }
    });
    observer.observe(mount);
    pane.readTerminalBuffer = () => readBufferLines(term.buffer.active);

    return () => {
      unsubscribe();
      offConnection();
      sequencer.dispose();
      sequencerRef.current = null;
      writer.dispose();
      observer.disconnect();
      if (resizeFrame !== null) cancelAnimationFrame(resizeFrame);
      delete pane.readTerminalBuffer;
      term.dispose();
    };
  }, [client, jobId]);

  // The last batches of a job can race its end; read the store once more when it finishes.
  const wasFinished = useRef(finished);
  useEffect(() => {
    if (finished && !wasFinished.current) sequencerRef.current?.catchUp();
    wasFinished.current = finished;
  }, [finished]);

  return (
    <section className="log-pane-frame">
      <div className="log-pane-toolbar">
        <span className="log-follow" data-testid="log-follow-state" data-state={finished ? 'finished' : 'following'}>
          <span className="log-follow-dot" aria-hidden="true" />
          {finished ? 'Finished' : 'Following live'}
        </span>
        <span className="log-count" ref={countRef} data-testid="log-line-count" />
      </div>
      <div className="log-pane" data-testid="log-pane" ref={paneRef}>
        <div className="log-pane-terminal" ref={mountRef} />
        {!hasOutput && (
          <div className="log-pane-empty" data-testid="log-empty">
            No output yet
          </div>
        )}
      </div>
    </section>
  );
}
