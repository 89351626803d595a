// Each Lambda's environment: exactly the variables functions/composition/environment.ts lists
// for it, picked from one table of deployed values. The compiler checks that the table has a
// value for every variable some function reads.
import { API_ENVIRONMENT, JOB_ENVIRONMENT, ROUTE_GROUP_ENVIRONMENT, type DeployedVariable } from '../functions/composition/environment.ts';

export type DeployedValues = Record<DeployedVariable, string>;

const pick = (names: readonly DeployedVariable[], values: DeployedValues) => Object.fromEntries(names.map((name) => [name, values[name]]));

/** A route group without a list gets what every group reads (and a synth warning from route-access.ts). */
export function routeGroupEnvironment(group: string, values: DeployedValues): Record<string, string> {
  return pick((ROUTE_GROUP_ENVIRONMENT as Record<string, readonly DeployedVariable[]>)[group] ?? API_ENVIRONMENT, values);
}

/** A job has no safe default: without a list it cannot be deployed. */
export function jobEnvironment(job: string, values: DeployedValues): Record<string, string> {
  const names = (JOB_ENVIRONMENT as Record<string, readonly DeployedVariable[]>)[job];
  if (!names) throw new Error(`functions/composition/environment.ts: job ${job} has no environment list`);
  return pick(names, values);
}
