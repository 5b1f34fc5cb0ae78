import type { TemplateFields } from '../../src/shared/contract';
import { emptyRunSpec } from '../../src/shared/run-spec-defaults';

/** The fields of a template with nothing but a name and an image set, as the contract's defaults fill them. */
export function plainTemplate(name: string, image = 'busybox'): TemplateFields {
  return { ...emptyRunSpec(), name, image, hostId: null, retry: null, schedule: null, logRetention: {} };
}
