// Which client versions a server serves, and what an incompatible client is told.
import { describe, expect, it } from 'vitest';
import { API_VERSION, clientVersionProblem, versionsCompatible } from '../src/clientVersion';

describe('client versions', () => {
  it('serves the same major version, and for 0.x the same minor', () => {
    expect(versionsCompatible('1.4.0', '1.0.2')).toBe(true);
    expect(versionsCompatible('2.0.0', '1.9.9')).toBe(false);
    expect(versionsCompatible('0.1.9', '0.1.0')).toBe(true);
    expect(versionsCompatible('0.2.0', '0.1.0')).toBe(false);
    expect(versionsCompatible('0.1.0-beta.1', '0.1.3')).toBe(true);
    expect(versionsCompatible('latest', '0.1.0')).toBe(false);
  });

  it('names both versions and the one to install; no header is no problem', () => {
    expect(clientVersionProblem(null)).toBeNull();
    expect(clientVersionProblem(API_VERSION)).toBeNull();
    expect(clientVersionProblem('0.2.0', '0.1.4')).toBe(
      '@dtss/client 0.2.0 cannot talk to this DTSS server (API version 0.1.4): install ' +
        '@dtss/client 0.1.x, the version this server serves',
    );
    expect(clientVersionProblem('1.0.0', '2.3.0')).toContain('install @dtss/client 2.x');
  });
});
