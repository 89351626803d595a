// An organisation's webhook subscription, the events it can receive, and the record of each
// delivery of an event to it. Stored by a WebhookStore (functions/adapters/dynamodb/webhook-repository.ts).
import type { WebhookEventType } from './event-types.ts';

/** The circuit breaker: after CIRCUIT_THRESHOLD consecutive failures a subscription is paused and probed hourly. */
export interface Circuit {
  state: 'closed' | 'open';
  consecutiveFailures: number;
  openedAt: string | null;
  /** While open: when the next delivery may try the receiver again. */
  nextProbeAt: string | null;
}

export const CLOSED_CIRCUIT: Circuit = { state: 'closed', consecutiveFailures: 0, openedAt: null, nextProbeAt: null };

/** A signing secret, sealed at rest. A rotated-out secret keeps signing until it expires (24 h). */
export interface SealedSecret {
  sealed: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface Webhook {
  id: string;
  orgId: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  /** Set by the user; a paused circuit leaves it true. */
  active: boolean;
  circuit: Circuit;
  secrets: SealedSecret[];
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

/** An event as it happened, stored once and shared by its deliveries. */
export interface WebhookEvent {
  id: string;
  orgId: string;
  type: WebhookEventType;
  /** When it happened (the payload's `timestamp`). */
  createdAt: string;
  data: Record<string, unknown>;
}

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status; null when no answer came (refused, timed out, unreachable). */
  responseStatus: number | null;
  durationMs: number;
  /** The first 1 KB of the receiver's answer. */
  responseBody: string;
  /** Why it failed, when it did. */
  error: string | null;
}

export interface Delivery {
  id: string;
  orgId: string;
  webhookId: string;
  eventId: string;
  eventType: WebhookEventType;
  status: DeliveryStatus;
  /** Attempts made (deferrals while the circuit is open are not attempts). */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  /** While pending: when the next attempt is due. Messages due at another time are stale. */
  nextAttemptAt: string | null;
  /** The latest attempts, newest last (bounded). */
  history: DeliveryAttempt[];
}

export interface WebhookStore {
  putWebhook(webhook: Webhook): Promise<void>;
  getWebhook(orgId: string, webhookId: string): Promise<Webhook | undefined>;
  listWebhooks(orgId: string): Promise<Webhook[]>;
  deleteWebhook(orgId: string, webhookId: string): Promise<Webhook | undefined>;
  /** Records a failed attempt: the new count of consecutive failures. */
  countFailure(orgId: string, webhookId: string): Promise<number>;
  /** Replaces the circuit, with `onlyIf` only while its nextProbeAt is still that; false when it was not (or the webhook is gone). */
  setCircuit(orgId: string, webhookId: string, circuit: Circuit, onlyIf?: { nextProbeAt: string | null }): Promise<boolean>;
  /** Stores an event once: repeated puts of the same id change nothing. */
  putEvent(event: WebhookEvent): Promise<void>;
  getEvent(orgId: string, eventId: string): Promise<WebhookEvent | undefined>;
  /** Creates the delivery unless it exists: false when it did. */
  createDelivery(delivery: Delivery): Promise<boolean>;
  getDelivery(orgId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined>;
  saveDelivery(delivery: Delivery): Promise<void>;
  /** Newest first. */
  listDeliveries(orgId: string, webhookId: string, page: { limit: number; after?: string }): Promise<{ items: Delivery[]; next: string | null }>;
}

/** What the delivery job is asked to do: fan an event out to its subscribers, or attempt one delivery. */
export type WebhookMessage =
  { kind: 'fanout'; orgId: string; eventId: string } | { kind: 'attempt'; orgId: string; webhookId: string; deliveryId: string; due: string };

export interface WebhookQueue {
  /** Sends after `delaySeconds` (at most the queue's 900). */
  send(message: WebhookMessage, delaySeconds?: number): Promise<void>;
  /** A delivery that exhausted its retries, for the dead-letter queue and its alarm. */
  deadLetter(message: WebhookMessage): Promise<void>;
}

/** One HTTP POST to a receiver, through the egress policy. */
export interface WebhookSender {
  post(request: { url: string; headers: Record<string, string>; body: string }): Promise<Omit<DeliveryAttempt, 'at'>>;
}

export const sealingContext = (orgId: string, webhookId: string) => `webhook:${orgId}:${webhookId}`;
