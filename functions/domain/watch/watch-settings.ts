// What an organisation watches (GET/PUT /api/watch/settings): the window within which a scanned
// tag stays watched, tags pinned as always watched whenever they were scanned, and muted tags
// that are never re-matched. Pins and mutes name a tag as the user does (image and tag); the
// tag id is resolved once, when they are saved, so that planning a run never resolves names.
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import type { Principal } from '../identity/principal.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import type { TagStateStore } from './tag-state.ts';

export const DEFAULT_WINDOW_DAYS = 30;
/** The widest window: a run's listing reads every tag scanned within it, so it is bounded. */
export const MAX_WINDOW_DAYS = 90;
const MAX_LISTED_TAGS = 500;

export interface TagReference {
  image: string;
  tag: string;
}

export interface WatchedTagReference extends TagReference {
  tagId: string;
}

export interface WatchSettings {
  windowDays: number;
  pinned: WatchedTagReference[];
  muted: WatchedTagReference[];
}

export const DEFAULT_WATCH_SETTINGS: WatchSettings = { windowDays: DEFAULT_WINDOW_DAYS, pinned: [], muted: [] };

const tagReference = z.strictObject({ image: z.string().check(z.minLength(1), z.maxLength(512)), tag: z.string().check(z.minLength(1), z.maxLength(256)) });
export const watchSettingsSchema = z.strictObject({
  windowDays: z.int().check(z.gte(1), z.lte(MAX_WINDOW_DAYS)),
  pinned: z.array(tagReference).check(z.maxLength(MAX_LISTED_TAGS)),
  muted: z.array(tagReference).check(z.maxLength(MAX_LISTED_TAGS)),
});
export type WatchSettingsInput = z.infer<typeof watchSettingsSchema>;

export interface WatchSettingsStore {
  getSettings(orgId: string): Promise<WatchSettings | undefined>;
  putSettings(orgId: string, settings: WatchSettings): Promise<void>;
  /** Every organisation that changed its settings from the defaults (a run plans them apart). */
  listCustomized(): Promise<Array<{ orgId: string; settings: WatchSettings }>>;
}

export interface WatchSettingsDeps {
  watchSettings: WatchSettingsStore;
  tagStates: TagStateStore;
  triage: TriageStore;
  now: () => Date;
}

export async function getWatchSettings(actor: Principal, deps: Pick<WatchSettingsDeps, 'watchSettings'>): Promise<WatchSettings> {
  return (await deps.watchSettings.getSettings(actor.orgId)) ?? DEFAULT_WATCH_SETTINGS;
}

export async function updateWatchSettings(actor: Principal, input: WatchSettingsInput, deps: WatchSettingsDeps): Promise<WatchSettings> {
  const resolve = async (field: 'pinned' | 'muted') =>
    Promise.all(
      input[field].map(async (reference, index) => {
        const tagId = await deps.tagStates.findTagId(actor.orgId, reference.image, reference.tag);
        return { reference, index, tagId };
      }),
    );
  const [pinned, muted] = await Promise.all([resolve('pinned'), resolve('muted')]);
  const unknown = [...pinned.map((entry) => ({ ...entry, field: 'pinned' })), ...muted.map((entry) => ({ ...entry, field: 'muted' }))].filter(
    (entry) => !entry.tagId,
  );
  if (unknown.length > 0) {
    throw new ValidationError(
      'Only a tag this organisation has scanned can be pinned or muted',
      unknown.map((entry) => ({ path: `${entry.field}.${entry.index}`, message: `${entry.reference.image}:${entry.reference.tag} was never scanned` })),
    );
  }
  const ids = (entries: typeof pinned) => [...new Map(entries.map(({ reference, tagId }) => [tagId!, { ...reference, tagId: tagId! }])).values()];
  const settings: WatchSettings = { windowDays: input.windowDays, pinned: ids(pinned), muted: ids(muted) };
  const mutedIds = new Set(settings.muted.map((entry) => entry.tagId));
  const both = settings.pinned.filter((entry) => mutedIds.has(entry.tagId));
  if (both.length > 0) {
    throw new ValidationError(
      'A tag cannot be both pinned and muted',
      both.map((entry) => ({ path: 'pinned', message: `${entry.image}:${entry.tag} is also muted` })),
    );
  }
  const before = await getWatchSettings(actor, deps);
  await deps.watchSettings.putSettings(actor.orgId, settings);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, deps.now()),
    action: 'watch-settings.update',
    target: actor.orgId,
    before,
    after: settings,
  });
  return settings;
}
