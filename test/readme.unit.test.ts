import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeConfig } from '@incidents/config';
import { IngestConfig } from '../services/ingest/src/config.js';
import { ProjectorConfig } from '../services/projector/src/config.js';
import { QueryConfig } from '../services/query/src/config.js';
import { OpsConfig } from '../services/ops/src/config.js';

const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');

describe('README', () => {
  it.each([
    ['ingest', IngestConfig],
    ['projector', ProjectorConfig],
    ['query', QueryConfig],
    ['ops', OpsConfig],
  ])('documents every configuration key of %s with its default', (_name, schema) => {
    for (const doc of describeConfig(schema)) {
      const line = readme.split('\n').find((l) => l.startsWith(`| \`${doc.key}\` |`));
      expect(line ?? `missing ${doc.key}`).toContain(doc.default === '(unset)' ? '—' : `\`${doc.default}\``);
    }
  });

  it('names the two commands and .ci/run calls the test command', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
    expect(readFileSync(path.resolve(__dirname, '../.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
