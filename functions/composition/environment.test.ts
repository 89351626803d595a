// The reader each factory uses: it reads only its own list, so a factory cannot start to depend
// on a variable its function is not deployed with.
import { describe, expect, it } from 'vitest';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

describe('configuration', () => {
  const env = { TABLE_NAME: 'hg', HG_SESSION_SECRET_ARN: 'arn:secret', SCANNER_CLUSTER: ' a , ,b ' };

  it('refuses a variable outside the list, even one that is set', () => {
    const reaper = configuration(JOB_ENVIRONMENT.reaper, env);
    expect(reaper.required('TABLE_NAME')).toBe('hg');
    expect(() => reaper.optional('HG_SESSION_SECRET_ARN' as never)).toThrow(/not in this function's environment list/);
  });

  it('names a missing variable, reads lists and positive numbers with their fallbacks', () => {
    const dispatcher = configuration(JOB_ENVIRONMENT.dispatcher, env);
    expect(() => dispatcher.required('HG_API_URL')).toThrow('Missing configuration: HG_API_URL');
    expect(dispatcher.list('SCANNER_CLUSTER')).toEqual(['a', 'b']);
    expect(dispatcher.positive('HG_MAX_RUNNING_SCANS', 50)).toBe(50);
    expect(() => configuration(['HG_MAX_RUNNING_SCANS'], { HG_MAX_RUNNING_SCANS: '-1' }).positive('HG_MAX_RUNNING_SCANS', 50)).toThrow(/positive number/);
  });
});
