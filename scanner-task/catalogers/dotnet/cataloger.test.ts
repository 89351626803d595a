import { describe, expect, it } from 'vitest';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { dotnetCataloger } from './cataloger.ts';

describe('dotnet cataloger', () => {
  it("lists NuGet packages from deps.json, not the app's own projects", async () => {
    const deps = {
      runtimeTarget: { name: '.NETCoreApp,Version=v8.0' },
      libraries: {
        'MyApp/1.0.0': { type: 'project', serviceable: false },
        'Newtonsoft.Json/13.0.1': { type: 'package', serviceable: true, sha512: 'sha512-x', path: 'newtonsoft.json/13.0.1' },
        'System.Text.Json/8.0.0': { type: 'package' },
      },
    };
    const { packages } = await runCataloger(dotnetCataloger, { 'app/MyApp.deps.json': JSON.stringify(deps) });
    expect(packages.map((p) => p.purl)).toEqual(['pkg:nuget/Newtonsoft.Json@13.0.1', 'pkg:nuget/System.Text.Json@8.0.0']);
  });
});
