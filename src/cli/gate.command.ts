/**
 * @module `parkbutler gate play FILE`: plays a script of camera events (plate reads in the Vzenith
 * push format, heartbeats) against a running server, as the cameras at the gate would send them, so
 * the gate can be tried and tested without hardware. The tests play the same scripts in-process.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';

/** One camera event of a script: a plate read, or a heartbeat when `plate` is absent. */
export interface CameraEvent {
  /** When it happens, ISO 8601 with a zone. */
  at: string;
  camera: string;
  plate?: string;
  confidence?: number;
}

/** A script: the compound, each camera's secret (or none, for an address allow-list), the events in order. */
export interface CameraScript {
  compound: string;
  cameras: Record<string, { secret?: string; serialNo?: string }>;
  events: CameraEvent[];
}

/** How a script reaches the server: one POST of a JSON body to an `/api/…` path. */
export type Send = (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;

export interface PlayedEvent {
  event: CameraEvent;
  status: number;
  /** `Response_AlarmInfoPlate.info` of the reply, when there was one. */
  info: 'ok' | 'no' | null;
  reply: unknown;
}

/** The body a Vzenith (臻识) camera pushes for one read. */
export function vzenithRead(plate: string, options: { serialNo?: string; confidence?: number; at?: number } = {}) {
  const sec = Math.floor((options.at ?? 0) / 1000);
  return {
    AlarmInfoPlate: {
      serialno: options.serialNo ?? 'play-0001',
      ipaddr: '127.0.0.1',
      deviceName: 'IVS',
      channel: 0,
      result: {
        PlateResult: {
          license: plate,
          colorType: plate.length === 8 ? 5 : 1,
          confidence: options.confidence ?? 95,
          timeStamp: { Timeval: { sec, usec: 0 } },
          imageFile: '',
          imageFileLen: 0,
        },
      },
    },
  };
}

/**
 * Plays the script's events in order. `waitUntil` is called with each event's instant before it is
 * sent (the CLI sleeps; a test moves its clock).
 */
export async function playScript(
  script: CameraScript,
  send: Send,
  waitUntil: (at: number) => Promise<void>,
): Promise<PlayedEvent[]> {
  const played: PlayedEvent[] = [];
  for (const event of script.events) {
    const at = Date.parse(event.at);
    if (Number.isNaN(at)) throw new Error(`event ${played.length}: "at" is not an ISO 8601 instant: ${event.at}`);
    await waitUntil(at);
    const cam = script.cameras[event.camera];
    const query = cam?.secret === undefined ? '' : `?secret=${encodeURIComponent(cam.secret)}`;
    const path = `/api/gate/${encodeURIComponent(script.compound)}/cameras/${encodeURIComponent(event.camera)}/vzenith${query}`;
    const body =
      event.plate === undefined
        ? { heartbeat: { serialno: cam?.serialNo ?? 'play-0001' } }
        : vzenithRead(event.plate, {
            ...(cam?.serialNo === undefined ? {} : { serialNo: cam.serialNo }),
            ...(event.confidence === undefined ? {} : { confidence: event.confidence }),
            at,
          });
    const res = await send(path, body);
    const info = (res.body as { Response_AlarmInfoPlate?: { info?: 'ok' | 'no' } } | null)?.Response_AlarmInfoPlate
      ?.info;
    played.push({ event, status: res.status, info: info ?? null, reply: res.body });
  }
  return played;
}

export function registerGateCommands(program: Command): void {
  const gate = program.command('gate').description('gate plate cameras');
  gate
    .command('play')
    .description('play a script of camera events (JSON) against a running server')
    .argument('<file>', 'the script: { compound, cameras: { id: { secret } }, events: [{ at, camera, plate? }] }')
    .option('--url <url>', 'the server', 'http://127.0.0.1:3000')
    .option('--realtime', 'wait between events as long as the script says (default: send at once)')
    .action(async (file: string, options: { url: string; realtime?: boolean }) => {
      const script = JSON.parse(await readFile(file, 'utf8')) as CameraScript;
      let previous: number | null = null;
      const played = await playScript(
        script,
        async (path, body) => {
          const res = await fetch(new URL(path, options.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          return { status: res.status, body: await res.json().catch(() => null) };
        },
        async (at) => {
          const wait = previous === null ? 0 : at - previous;
          previous = at;
          if (options.realtime === true && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        },
      );
      for (const p of played)
        process.stdout.write(
          `${p.event.at} ${p.event.camera} ${p.event.plate ?? '(heartbeat)'} → ${p.status} ${p.info ?? JSON.stringify(p.reply)}\n`,
        );
      if (played.some((p) => p.status >= 400)) process.exitCode = 1;
    });
}
