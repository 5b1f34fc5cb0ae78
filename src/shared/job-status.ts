/** Job statuses, kept free of zod so the renderer can use them without bundling the schemas. */
export const jobStatuses = ['pending', 'running', 'completed', 'failed', 'timed_out', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const finishedStatuses: ReadonlySet<JobStatus> = new Set<JobStatus>(['completed', 'failed', 'timed_out', 'cancelled']);

/** What made a job: a person in the UI or the CLI, the template's schedule, a retry, or a script through the REST API. */
export const jobTriggers = ['manual', 'schedule', 'retry', 'api'] as const;
export type JobTrigger = (typeof jobTriggers)[number];

export const pullPolicies = ['always', 'if-missing', 'never'] as const;
export type PullPolicy = (typeof pullPolicies)[number];

/** How a secret value is shown everywhere outside the container. */
export const secretMask = '••••';
